/**
 * No silent skips: every container is recognised by its magic bytes whatever it is called, read
 * when the scanner can read it, and reported `unscannable` (naming the member) when it cannot.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  anLz4Frame,
  aPythonStream,
  aSevenZip,
  aZipWithEncrypted,
  aZstdFrame,
  EVIL_PICKLE,
  PLAIN_PICKLE,
} from "./fixtures/archives.js";
import { scanModelBytes } from "./index.js";

const scan = (bytes: Uint8Array, name: string) => scanModelBytes(bytes, name, { hash: false });

describe("7z archives", () => {
  it("finds a malicious pickle inside a 7z, under any name", async () => {
    const archive = await aSevenZip({ "weights/model.pkl": EVIL_PICKLE, "README.md": new TextEncoder().encode("hi") });
    for (const name of ["model.7z", "download.bin", "notes"]) {
      const r = await scan(archive, name);
      assert.equal(r?.verdict, "malicious", name);
      assert.equal(r?.format, "7z-archive");
      assert.equal(r?.findings.find((f) => f.effect === "malicious")?.entry, "weights/model.pkl");
    }
  });

  it("passes a 7z of a plain pickle, and skips a 7z with no model in it", async () => {
    const model = await scan(await aSevenZip({ "model.pkl": PLAIN_PICKLE }), "m.7z");
    assert.equal(model?.verdict, "safe");
    const docs = await scan(await aSevenZip({ "a.txt": new TextEncoder().encode("just text\n") }), "docs.7z");
    assert.equal(docs, undefined);
  });

  it("reads a member once however many links in the archive point at it (no copies through links)", async () => {
    const big = new Uint8Array(4 * 1024 * 1024);
    big.set(EVIL_PICKLE);
    const links = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`copy${i}.pkl`, "model.pkl"]));
    const { extractSevenZip } = await import("./containers/sevenzip.js");
    const archive = await aSevenZip({ "model.pkl": big }, { links });
    const result = await extractSevenZip(archive, 16 * 1024 * 1024);
    assert.deepEqual([...result.members.keys()], ["model.pkl"]);
    const r = await scan(archive, "x.7z");
    assert.equal(r?.verdict, "malicious");
  });

  it("reports an encrypted member as unscannable by name, and encrypted headers as unscannable", async () => {
    const members = await scan(await aSevenZip({ "model.pkl": EVIL_PICKLE }, { password: "s3cret" }), "x.7z");
    assert.equal(members?.verdict, "unscannable");
    assert.equal(members?.findings[0]?.entry, "model.pkl");
    assert.match(members?.findings[0]?.detail ?? "", /encrypted/);
    const headers = await scan(
      await aSevenZip({ "model.pkl": EVIL_PICKLE }, { password: "s3cret", encryptHeaders: true }),
      "y.7z",
    );
    assert.equal(headers?.verdict, "unscannable");
    assert.match(headers?.findings[0]?.detail ?? "", /cannot be listed/);
  });

  it("never extracts a member whose size the archive does not record (a streamed RAR5 member)", async () => {
    const { parseListing, extractionRefusal } = await import("./containers/sevenzip.js");
    const listing = parseListing([
      "Type = Rar5",
      "----------",
      "Path = weights.pkl",
      "Size = ",
      "Encrypted = -",
      "",
      "Path = notes.txt",
      "Size = 12",
      "",
    ]);
    assert.deepEqual(
      listing.entries.map((e) => e.size),
      [undefined, 12],
    );
    assert.match(extractionRefusal(listing.entries, 1 << 30) ?? "", /"weights\.pkl" has no recorded size/);
    assert.equal(extractionRefusal(listing.entries.slice(1), 1 << 30), undefined);
    assert.match(extractionRefusal(listing.entries.slice(1), 11) ?? "", /over the 11-byte limit/);
  });

  it("reports a damaged 7z as unscannable, never skipped", async () => {
    const archive = await aSevenZip({ "model.pkl": EVIL_PICKLE });
    const cut = archive.subarray(0, 40);
    const r = await scan(cut, "cut.7z");
    assert.equal(r?.verdict, "unscannable");
  });

  it("leaves the process exit code alone when 7-Zip fails", async () => {
    const before = process.exitCode;
    await scan(Uint8Array.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 1, 2, 3]), "junk.7z");
    assert.equal(process.exitCode, before);
  });
});

describe("compressed streams", () => {
  it("decodes xz, bzip2 and zstd and analyses what is inside", async () => {
    for (const [name, bytes] of [
      ["model.pkl.xz", aPythonStream("xz", EVIL_PICKLE)],
      ["model.pkl.bz2", aPythonStream("bz2", EVIL_PICKLE)],
      ["model.pkl.zst", aZstdFrame(EVIL_PICKLE)],
      ["blob", aPythonStream("xz", Uint8Array.from([0x80, 0x02, ...EVIL_PICKLE.subarray(0)]))],
    ] as const) {
      const r = await scan(bytes, name);
      assert.equal(r?.verdict, "malicious", name);
    }
  });

  it("stops decoding a bomb at the member limit and says so", async () => {
    const bomb = aPythonStream("bz2", new Uint8Array(4 << 20));
    const r = await scanModelBytes(bomb, "model.pkl.bz2", { hash: false, archive: { maxMemberBytes: 1 << 20 } });
    assert.equal(r?.verdict, "unscannable");
    assert.match(r?.findings[0]?.detail ?? "", /decodes past 1048576 bytes/);
  });

  it("skips a compressed text file that holds no model", async () => {
    assert.equal(await scan(aPythonStream("xz", new TextEncoder().encode("hello\n")), "log.xz"), undefined);
  });

  it("reports LZ4, which it does not decode, as unscannable whatever its name", async () => {
    const r = await scan(anLz4Frame(), "data.txt");
    assert.equal(r?.verdict, "unscannable");
    assert.match(r?.findings[0]?.detail ?? "", /LZ4/);
  });
});

describe("zip members", () => {
  it("reports an encrypted member by name instead of parsing ciphertext", async () => {
    const zip = aZipWithEncrypted(
      { "archive/data.pkl": EVIL_PICKLE, "archive/version": new TextEncoder().encode("3\n") },
      ["archive/data.pkl"],
    );
    const r = await scan(zip, "model.bin");
    assert.equal(r?.verdict, "unscannable");
    const f = r?.findings.find((x) => x.entry === "archive/data.pkl");
    assert.match(f?.detail ?? "", /encrypted/);
    assert.ok(
      !r?.findings.some((x) => /stack underflow|does not inflate|opcode/.test(x.detail)),
      JSON.stringify(r?.findings),
    );
  });

  it("opens an archive hidden as a PyTorch tensor record instead of skipping it as raw data", async () => {
    const inner = await aSevenZip({ "m.pkl": EVIL_PICKLE });
    const zip = aZipWithEncrypted({ "archive/data.pkl": PLAIN_PICKLE, "archive/data/0": inner }, []);
    const r = await scan(zip, "pytorch_model.bin");
    assert.equal(r?.format, "pytorch-zip");
    assert.equal(r?.verdict, "malicious");
    assert.equal(r?.findings.find((f) => f.effect === "malicious")?.entry, "archive/data/0!m.pkl");
  });

  it("finds a 7z inside a tar member that has no model name", async () => {
    const { execFileSync } = await import("node:child_process");
    const inner = await aSevenZip({ "m.pkl": EVIL_PICKLE });
    const tar = execFileSync(
      "python3",
      [
        "-c",
        "import io,sys,tarfile\nb=io.BytesIO()\nd=sys.stdin.buffer.read()\nwith tarfile.open(fileobj=b,mode='w') as t:\n  i=tarfile.TarInfo('payload');i.size=len(d);t.addfile(i,io.BytesIO(d))\nsys.stdout.buffer.write(b.getvalue())",
      ],
      { input: inner },
    );
    const r = await scan(new Uint8Array(tar), "bundle.tar");
    assert.equal(r?.verdict, "malicious");
    assert.equal(r?.findings[0]?.entry, "payload!m.pkl");
  });
});
