import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { MAX_INPUT_BYTES } from "../src/cli/input.js";
import {
  assertOneLineError,
  CLOSED_STDIN,
  hasScript,
  pipedFrom,
  redirectedFrom,
  runCli,
  runCliOnTerminal,
  TIMEOUT,
} from "./helpers/cli.js";

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "palisade-detect-"));
}

/** A PNG's signature and header chunk: NUL bytes early, as in every image. */
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

const NO_INPUT = /^palisade: no input: give FILE, --text TEXT, or pipe text on stdin$/;

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

  it("chooses how names are found with --names off|fast|full, and refuses another mode", async () => {
    // Lake Tahoe: a place only the NLP pass (`full`) reads from the sentence.
    const text = "Our trip to Lake Tahoe was short. Card 4111 1111 1111 1111.";
    const entities = async (names: string) => {
      const result = await runCli(["detect", "pii", "--names", names, "--text", text, "--format", "json"]);
      assert.equal(result.code, 0, result.stderr);
      const out = JSON.parse(result.stdout) as { detections: { entity: string; start: number; end: number }[] };
      return out.detections.map((d) => `${d.entity}:${text.slice(d.start, d.end)}`);
    };
    assert.deepEqual(await entities("off"), ["CREDIT_CARD:4111 1111 1111 1111"]);
    assert.ok(!(await entities("fast")).includes("LOCATION:Lake Tahoe"));
    assert.ok((await entities("full")).includes("LOCATION:Lake Tahoe"));
    const bad = await runCli(["detect", "pii", "--names", "nlp", "--text", text]);
    assert.equal(bad.code, 2);
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

describe("palisade detect pii|secrets input", () => {
  it("refuses a named pipe as FILE with exit 2 and one line instead of waiting for a writer", async () => {
    const fifo = join(await tempDir(), "pipe");
    execFileSync("mkfifo", [fifo]);
    for (const kind of ["pii", "secrets"]) {
      const result = await runCli(["detect", kind, fifo], { wrapper: TIMEOUT });
      assertOneLineError(result, /^palisade: \S+\/pipe is not a regular file \(it is a named pipe\)$/);
    }
  });

  it("refuses a directory as FILE with exit 2 naming it", async () => {
    const dir = await tempDir();
    const result = await runCli(["detect", "secrets", dir], { wrapper: TIMEOUT });
    assertOneLineError(result, /is not a regular file \(it is a directory\)$/);
  });

  it("exits 2 asking for input when no FILE or --text is given and stdin is a terminal", {
    skip: hasScript ? false : "needs script(1) from util-linux to give the CLI a terminal on stdin",
  }, async () => {
    for (const kind of ["pii", "secrets"]) {
      const result = await runCliOnTerminal(["detect", kind]);
      assert.equal(result.code, 2, result.output);
      assert.equal(result.output.trim(), "palisade: no input: give FILE, --text TEXT, or pipe text on stdin");
    }
  });

  it("exits 2 asking for input when no FILE or --text is given and stdin is /dev/null", async () => {
    for (const kind of ["pii", "secrets"]) {
      // runCli without `stdin` gives the CLI /dev/null, as `palisade detect secrets </dev/null` does.
      assertOneLineError(await runCli(["detect", kind], { wrapper: TIMEOUT }), NO_INPUT);
    }
  });

  it("exits 2 asking for input when no FILE or --text is given and stdin is closed", async () => {
    for (const kind of ["pii", "secrets"]) {
      assertOneLineError(await runCli(["detect", kind], { wrapper: CLOSED_STDIN }), NO_INPUT);
    }
  });

  it("reads stdin redirected from a file or given as a socket, and finds nothing in an empty one", async () => {
    const dir = await tempDir();
    const file = join(dir, "mail.txt");
    await writeFile(file, "mail a.b@example.com\n");
    const empty = join(dir, "empty.txt");
    await writeFile(empty, "");
    const fromFile = await runCli(["detect", "pii", "--format", "json"], { wrapper: redirectedFrom(file) });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal((JSON.parse(fromFile.stdout) as { detections: unknown[] }).detections.length, 1);
    // runCli's `stdin` option pipes through a socket pair, as Node's child_process does.
    const fromSocket = await runCli(["detect", "pii", "--format", "json"], { stdin: "mail a.b@example.com" });
    assert.equal(fromSocket.code, 0, fromSocket.stderr);
    assert.equal((JSON.parse(fromSocket.stdout) as { detections: unknown[] }).detections.length, 1);
    for (const result of [
      await runCli(["detect", "pii", empty]),
      await runCli(["detect", "secrets"], { wrapper: redirectedFrom(empty) }),
      await runCli(["detect", "pii"], { wrapper: pipedFrom(empty) }),
    ]) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "no findings\n");
    }
  });

  it("scans text piped on stdin when no FILE is given", async () => {
    const file = join(await tempDir(), "mail.txt");
    await writeFile(file, "mail a.b@example.com\n");
    const result = await runCli(["detect", "pii", "--format", "json"], { wrapper: pipedFrom(file) });
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { source: string; detections: { entity: string }[] };
    assert.equal(out.source, "stdin");
    assert.deepEqual(
      out.detections.map((d) => d.entity),
      ["EMAIL_ADDRESS"],
    );
  });

  it("refuses binary files (an image, a gzip, Latin-1 bytes) without printing their bytes", async () => {
    const dir = await tempDir();
    const files = {
      "logo.png": PNG,
      "notes.txt.gz": gzipSync("card 4111 1111 1111 1111"),
      "latin1.txt": Buffer.from("caf\xe9 card 4111 1111 1111 1111", "latin1"),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      for (const kind of ["pii", "secrets"]) {
        const result = await runCli(["detect", kind, file]);
        assertOneLineError(
          result,
          new RegExp(`^palisade: \\S+/${name.replaceAll(".", "\\.")} is a binary file, not text`),
        );
      }
    }
  });

  it("refuses binary data piped on stdin", async () => {
    const file = join(await tempDir(), "logo.png");
    await writeFile(file, PNG);
    const result = await runCli(["detect", "pii", "-"], { wrapper: pipedFrom(file) });
    assertOneLineError(result, /^palisade: stdin is binary data, not text$/);
  });
});

describe("palisade detect pii|secrets --eval", () => {
  it("exits 2 for an evaluation file without labelled examples instead of reporting perfect scores", async () => {
    const dir = await tempDir();
    const empty = join(dir, "empty.jsonl");
    await writeFile(empty, "");
    for (const kind of ["pii", "secrets"]) {
      const result = await runCli(["detect", kind, "--eval", empty, "--format", "json"]);
      assertOneLineError(result, /^palisade: no labelled examples in \S+\/empty\.jsonl$/);
    }
    const presidio = join(dir, "empty.json");
    await writeFile(presidio, "[]");
    assertOneLineError(
      await runCli(["detect", "pii", "--eval", presidio]),
      /^palisade: no labelled examples in \S+\/empty\.json$/,
    );
  });

  it("exits 2 when the evaluation file labels none of the detector's entities", async () => {
    const file = join(await tempDir(), "pii-only.jsonl");
    await writeFile(
      file,
      `${JSON.stringify({ text: "mail x@example.org now", spans: [{ start: 5, end: 18, type: "EMAIL_ADDRESS" }] })}\n`,
    );
    const result = await runCli(["detect", "secrets", "--eval", file, "--format", "json"]);
    assertOneLineError(result, /^palisade: no labelled examples in \S+\/pii-only\.jsonl for these entities/);
  });
});

describe("palisade detect pii|secrets findings", () => {
  it("gives each finding a 1-based line and a column counted in characters, with a remediation", async () => {
    const result = await runCli([
      "detect",
      "pii",
      "--text",
      "hello\n  café 😀 card 4111 1111 1111 1111",
      "--format",
      "json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as {
      detections: { entity: string; start: number; line: number; column: number; remediation: string }[];
    };
    assert.deepEqual(out.detections, [
      {
        ...out.detections[0],
        entity: "CREDIT_CARD",
        start: 21,
        line: 2,
        column: 15,
        remediation: "remove or redact this value (palisade detect pii --redact mask)",
      },
    ]);
  });

  it("shows file:line:col and the remediation in the table for a file", async () => {
    const file = join(await tempDir(), "config.txt");
    await writeFile(file, 'name = "app"\nsecond line\n  token: ghp_R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0sY2aE8u\n');
    const result = await runCli(["detect", "secrets", file]);
    assert.equal(result.code, 0, result.stderr);
    const [header, row] = result.stdout.split("\n");
    assert.match(header ?? "", /^LOCATION\s+ENTITY\s+SCORE\s+RULE\s+PREVIEW$/);
    assert.ok(row?.startsWith(`${file}:3:10 `), row);
    assert.match(row ?? "", /GITHUB_TOKEN/);
    assert.match(
      result.stdout,
      /\nremediation: revoke and rotate this credential, then remove it from the file and its history\n$/,
    );
    assert.ok(!result.stdout.includes("ghp_R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0sY2aE8u"));
  });

  it("shows line:col without a file name for --text and names each entity family's remediation", async () => {
    const result = await runCli([
      "detect",
      "secrets",
      "--text",
      'token: ghp_R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0sY2aE8u\npassword = "hunter2hunter2"',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rows = result.stdout.split("\n").slice(1, 3);
    assert.deepEqual(
      rows.map((r) => r.split(/\s+/)[0]),
      ["1:8", "2:13"],
    );
    assert.match(result.stdout, /\nremediation \(GITHUB_TOKEN\): revoke and rotate this credential/);
    assert.match(result.stdout, /\nremediation \(PASSWORD\): change this password wherever it is used/);
  });
});

describe("palisade policy eval --input - (the shared stdin reader)", () => {
  const policy = new URL("../examples/policy/policy.yaml", import.meta.url).pathname;

  it("refuses binary data on stdin in one line", async () => {
    const file = join(await tempDir(), "logo.png");
    await writeFile(file, PNG);
    const result = await runCli(["policy", "eval", "-p", policy, "-i", "-"], { wrapper: pipedFrom(file) });
    assertOneLineError(result, /^palisade: stdin is binary data, not text$/);
  });

  it("refuses stdin past the input size limit instead of reading it all", async () => {
    const tooBig = [
      ...TIMEOUT,
      "sh",
      "-c",
      'n=$1; shift; head -c "$n" /dev/zero | "$@"',
      "sh",
      `${MAX_INPUT_BYTES + 1}`,
    ];
    const result = await runCli(["policy", "eval", "-p", policy, "-i", "-"], { wrapper: tooBig });
    assertOneLineError(result, new RegExp(`^palisade: stdin is larger than ${MAX_INPUT_BYTES} bytes$`));
  });

  it("still evaluates JSON piped on stdin", async () => {
    const input = JSON.stringify({ kind: "request", identity: { id: "api-key:intern" }, model: "gpt-4o" });
    const result = await runCli(["policy", "eval", "-p", policy, "-i", "-", "--format", "json"], { stdin: input });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { decision: string }).decision, "deny");
  });
});
