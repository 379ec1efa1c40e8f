import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "./helpers/cli.js";

describe("palisade detect pii", () => {
  it("lists findings as JSON without echoing the full values", async () => {
    const result = await runCli([
      "detect",
      "pii",
      "--text",
      "card 4111 1111 1111 1111, mail a.b@example.com",
      "--format",
      "json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { detections: { entity: string; preview: string }[] };
    assert.deepEqual(
      out.detections.map((d) => [d.entity, d.preview]),
      [
        ["CREDIT_CARD", "**** **** **** 1111"],
        ["EMAIL_ADDRESS", "*.*@******e.com"],
      ],
    );
    assert.ok(!result.stdout.includes("4111 1111 1111 1111"));
  });

  it("redacts a file in every style", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-detect-"));
    const file = join(dir, "chat.txt");
    await writeFile(file, "Send it to DE89 3704 0044 0532 0130 00 today.");
    const expected: Record<string, RegExp> = {
      placeholder: /^Send it to <IBAN_CODE> today\.$/,
      mask: /^Send it to \*{4} \*{4} \*{4} \*{4} \*\*30 00 today\.$/,
      drop: /^Send it to {2}today\.$/,
      hash: /^Send it to <IBAN_CODE:[0-9a-f]{16}> today\.$/,
      pseudonym: /^Send it to <IBAN_CODE_1> today\.$/,
    };
    for (const [style, pattern] of Object.entries(expected)) {
      const result = await runCli(["detect", "pii", file, "--redact", style], { env: { PALISADE_HASH_KEY: "k" } });
      assert.equal(result.code, 0, `${style}: ${result.stderr}`);
      assert.match(result.stdout.trim(), pattern, style);
    }
  });

  it("evaluates a labelled JSONL file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-detect-"));
    const file = join(dir, "gold.jsonl");
    const lines = [
      { text: "card 4111111111111111", spans: [{ start: 5, end: 21, type: "CREDIT_CARD" }] },
      { text: "no pii here", spans: [] },
      { text: "mail x@example.org now", spans: [{ start: 5, end: 18, type: "EMAIL_ADDRESS" }] },
    ];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n"));
    const result = await runCli(["detect", "pii", "--eval", file, "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { records: number; overall: { f2: number }; throughput_mb_s: number };
    assert.equal(report.records, 3);
    assert.equal(report.overall.f2, 1);
    assert.equal(typeof report.throughput_mb_s, "number");
  });

  it("exits 2 naming the line of a broken evaluation file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-detect-"));
    const file = join(dir, "bad.jsonl");
    await writeFile(file, '{"text": "ok", "spans": []}\n{"text": 5}\n');
    const result = await runCli(["detect", "pii", "--eval", file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.jsonl:2: text: /);
  });

  it("exits 2 for an unknown entity, a missing file and a hash without key", async () => {
    const unknown = await runCli(["detect", "pii", "--text", "x", "--entities", "SHOE_SIZE"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown entity SHOE_SIZE/);
    const missing = await runCli(["detect", "pii", "/nonexistent/file.txt"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read \/nonexistent\/file\.txt: ENOENT/);
    const noKey = await runCli(["detect", "pii", "--text", "a@b.io", "--redact", "hash"], {
      env: { PALISADE_HASH_KEY: "" },
    });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /HMAC key/);
  });
});
