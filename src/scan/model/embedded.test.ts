/**
 * Pickles embedded as data (bytes, base64, latin-1 text) in JSON and YAML configs, safetensors
 * metadata and MessagePack files are found and analysed; code and URLs in metadata are reported.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExtData, encode } from "@msgpack/msgpack";
import { scanModelBytes } from "./index.js";

/** PROTO 2, GLOBAL os.system, BINUNICODE "id", TUPLE1, REDUCE, STOP. */
const EVIL = Uint8Array.from([
  0x80,
  0x02,
  ...new TextEncoder().encode("cos\nsystem\n"),
  0x58,
  2,
  0,
  0,
  0,
  ...new TextEncoder().encode("id"),
  0x85,
  0x52,
  0x2e,
]);
/** PROTO 2, EMPTY_DICT, STOP. */
const PLAIN = Uint8Array.from([0x80, 0x02, 0x7d, 0x2e]);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const scan = (bytes: Uint8Array, name: string) => scanModelBytes(bytes, name, { hash: false });

/** A one-tensor safetensors file with the given metadata. */
function safetensors(metadata: Record<string, string>): Uint8Array {
  const header = JSON.stringify({ __metadata__: metadata, w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  return out;
}

describe("safetensors metadata", () => {
  it("analyses a pickle hidden in base64 and judges it by its calls", async () => {
    const r = await scan(safetensors({ format: "pt", optimizer: b64(EVIL) }), "model.safetensors");
    assert.equal(r?.verdict, "malicious");
    assert.match(r?.findings[0]?.detail ?? "", /^embedded pickle at __metadata__\.optimizer \(base64\): os\.system/);
  });

  it("calls code or a shell command suspicious, notes a URL, and passes plain metadata", async () => {
    const code = await scan(safetensors({ format: "pt", hook: "__import__('os').system('id')" }), "a.safetensors");
    assert.equal(code?.verdict, "suspicious");
    assert.equal(code?.findings[0]?.rule, "safetensors-metadata-code");
    const url = await scan(safetensors({ format: "pt", source: "https://example.com/model" }), "b.safetensors");
    assert.equal(url?.verdict, "safe");
    assert.equal(url?.findings[0]?.rule, "safetensors-metadata-url");
    const plain = await scan(safetensors({ format: "pt", step: "1000" }), "c.safetensors");
    assert.deepEqual(plain?.findings, []);
  });
});

describe("configs", () => {
  it("finds a base64 pickle in a JSON config and a !!binary pickle in YAML", async () => {
    const json = await scan(
      new TextEncoder().encode(JSON.stringify({ model_type: "x", state: b64(EVIL) })),
      "config.json",
    );
    assert.equal(json?.verdict, "malicious");
    const yaml = await scan(new TextEncoder().encode(`state: !!binary |\n  ${b64(EVIL)}\n`), "train.yaml");
    assert.equal(yaml?.verdict, "malicious");
    assert.match(yaml?.findings[0]?.detail ?? "", /embedded pickle at state \(bytes\)/);
  });

  it("does not report a config whose embedded pickle is plain", async () => {
    assert.equal(await scan(new TextEncoder().encode(JSON.stringify({ state: b64(PLAIN) })), "config.json"), undefined);
  });
});

describe("MessagePack checkpoints", () => {
  it("finds a pickle stored as bytes in a Flax-style msgpack, and passes arrays in ext data", async () => {
    const tensor = new ExtData(1, Uint8Array.from([0x93, 0x01, 0x02, 0x03]));
    const evil = encode({ params: { dense: { kernel: tensor } }, opt_state: EVIL });
    const r = await scan(evil, "flax_model.msgpack");
    assert.equal(r?.format, "msgpack");
    assert.equal(r?.verdict, "malicious");
    assert.match(r?.findings[0]?.detail ?? "", /msgpack\.opt_state \(bytes\)/);
    const plain = await scan(encode({ params: { dense: { kernel: tensor } } }), "flax_model.msgpack");
    assert.equal(plain?.verdict, "safe");
  });

  it("reports a damaged msgpack as unscannable", async () => {
    const r = await scan(Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff]), "flax_model.msgpack");
    assert.equal(r?.verdict, "unscannable");
  });
});
