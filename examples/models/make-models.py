#!/usr/bin/env python3
"""Build the two tiny model files next to this script (Python standard library only).

    python3 examples/models/make-models.py

- sentiment-classifier.safetensors: a 2x4 linear head in safetensors format. Safetensors holds
  only a JSON header and raw tensor bytes, so loading it cannot run code: Palisade calls it SAFE.
- sentiment-classifier.pkl: the "same" head as a pickle, with a payload that calls
  os.system("echo pwned") the moment anyone unpickles it (pickle.load, joblib.load,
  torch.load without weights_only=True). Palisade calls it MALICIOUS.

This script only WRITES the pickle; it never loads it. Do not load it yourself: it runs a
(harmless) shell command, which is exactly the point. The output is byte-for-byte reproducible.
"""

import json
import os
import pickle
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent

WEIGHT = [0.25, -0.5, 0.75, -1.0, 1.0, -0.75, 0.5, -0.25]  # shape [2, 4]: two labels, four features
BIAS = [0.1, -0.1]  # shape [2]
LABELS = ["negative", "positive"]


def write_safetensors(path: Path) -> None:
    """8-byte little-endian header length, a JSON header (padded to 8 bytes), the raw data."""
    weight = struct.pack("<8f", *WEIGHT)
    bias = struct.pack("<2f", *BIAS)
    header = {
        "__metadata__": {"format": "pt", "labels": ",".join(LABELS)},
        "classifier.weight": {"dtype": "F32", "shape": [2, 4], "data_offsets": [0, len(weight)]},
        "classifier.bias": {"dtype": "F32", "shape": [2], "data_offsets": [len(weight), len(weight) + len(bias)]},
    }
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + weight + bias)


class Payload:
    """Unpickling this object calls os.system("echo pwned") (pickle's REDUCE opcode)."""

    def __reduce__(self):
        return (os.system, ("echo pwned",))


def write_malicious_pickle(path: Path) -> None:
    """A dict that looks like a scikit-learn-style checkpoint, with the payload hidden inside."""
    checkpoint = {
        "labels": LABELS,
        "classifier.weight": WEIGHT,
        "classifier.bias": BIAS,
        "_init": Payload(),
    }
    path.write_bytes(pickle.dumps(checkpoint, protocol=4))


if __name__ == "__main__":
    write_safetensors(HERE / "sentiment-classifier.safetensors")
    write_malicious_pickle(HERE / "sentiment-classifier.pkl")
    for name in ("sentiment-classifier.safetensors", "sentiment-classifier.pkl"):
        print(f"{name}: {(HERE / name).stat().st_size} bytes")
