/**
 * Writes examples/image/layout: a small OCI image for the docs (a Debian base, a Python AI layer
 * with a vulnerable Jinja2 and a poisoned pickle, vLLM serving a model). Deterministic: run it
 * again and the digests stay the same.
 *   node --import tsx scripts/make-example-image.mts
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildLayer, writeOciLayout } from "../test/helpers/oci-image.js";

const out = fileURLToPath(new URL("../examples/image/layout", import.meta.url));
const pickle = Buffer.from([
  0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c, 0x02, 0x6f, 0x73, 0x94, 0x8c, 0x06, 0x73, 0x79, 0x73, 0x74, 0x65,
  0x6d, 0x94, 0x93, 0x94, 0x2e,
]);
const dist = (name: string, version: string) => ({
  path: `usr/local/lib/python3.11/site-packages/${name}-${version}.dist-info/METADATA`,
  content: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\n`,
});
const status = [
  ["base-files", "12.4+deb12u5", ""],
  ["bash", "5.2.15-2+b2", ""],
  ["libssl3", "3.0.11-1~deb12u2", "openssl"],
]
  .map(
    ([p, v, s]) =>
      `Package: ${p}\nStatus: install ok installed\nArchitecture: amd64\n${s ? `Source: ${s}\n` : ""}Version: ${v}\n`,
  )
  .join("\n");

rmSync(out, { recursive: true, force: true });
writeOciLayout(out, {
  v1: {
    layers: [
      await buildLayer({
        createdBy: "ADD rootfs.tar /",
        files: [
          {
            path: "etc/os-release",
            content:
              'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
          },
          { path: "var/lib/dpkg/status", content: status },
          { path: "bin/bash", content: "\x7fELF", mode: 0o755 },
        ],
      }),
      await buildLayer({
        createdBy: "RUN pip install torch transformers vllm jinja2",
        files: [
          dist("torch", "2.3.1"),
          dist("transformers", "4.41.2"),
          dist("vllm", "0.5.0"),
          dist("Jinja2", "2.10"),
          { path: "usr/local/cuda/lib64/libcudart.so.12.2.140", content: "\x7fELF" },
          { path: "models/classifier.pkl", content: pickle },
        ],
      }),
    ],
    config: {
      Entrypoint: ["vllm", "serve"],
      Cmd: ["Qwen/Qwen2.5-7B-Instruct", "--port", "8000"],
      ExposedPorts: { "8000/tcp": {} },
    },
  },
});
