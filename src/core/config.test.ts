import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadConfig, PalisadeError, parseConfig, ValidationError } from "./index.js";

function issuesOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  assert.fail("expected a ValidationError");
}

describe("configuration", () => {
  it("fills defaults for an empty file", () => {
    const config = parseConfig("", "palisade.yaml");
    assert.equal(config.log.level, "info");
    assert.equal(config.store.busyTimeoutMs, 5000);
    assert.equal(config.store.path, undefined);
  });

  it("names file, line, column and path for a value of the wrong type", () => {
    const error = issuesOf(() => parseConfig("store:\n  path: /tmp/x.db\nlog:\n  level: 7\n", "conf/palisade.yaml"));
    assert.equal(error.code, "bad-config");
    assert.deepEqual(
      error.issues.map((i) => [i.path, i.line, i.column]),
      [["log.level", 4, 10]],
    );
    assert.match(error.message, /^conf\/palisade\.yaml:4:10: log\.level: /);
  });

  it("points an unknown key at the key itself", () => {
    const error = issuesOf(() => parseConfig("store:\n  paht: x.db\n", "p.yaml"));
    assert.deepEqual(error.issues[0], { path: "store.paht", line: 2, column: 3, message: "unknown key" });
    assert.equal(error.message, "p.yaml:2:3: store.paht: unknown key");
  });

  it("reports a YAML syntax error with its line", () => {
    const error = issuesOf(() => parseConfig("store:\n  path: [unclosed\nlog: {}\n", "bad.yaml"));
    assert.equal(error.code, "bad-config");
    assert.ok(error.issues[0]?.line !== undefined);
    assert.match(error.message, /^bad\.yaml:\d+:\d+: /);
  });

  it("rejects duplicate keys instead of silently keeping one", () => {
    const error = issuesOf(() => parseConfig("log:\n  level: info\nlog:\n  level: debug\n", "dup.yaml"));
    assert.match(error.message, /^dup\.yaml:3:/);
  });

  it("refuses an alias bomb without expanding it", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const error = issuesOf(() => parseConfig(lines.join("\n"), "bomb.yaml"));
    assert.equal(error.code, "bad-config");
  });

  it("applies environment overrides over the file and validates them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-config-"));
    const file = join(dir, "palisade.yaml");
    await writeFile(file, "store:\n  path: /data/p.db\nlog:\n  level: warn\n");
    const { config, file: source } = loadConfig({ cwd: dir, env: { PALISADE_LOG_LEVEL: "debug" } });
    assert.equal(source, file);
    assert.equal(config.log.level, "debug");
    assert.equal(config.store.path, "/data/p.db");
    const bad = issuesOf(() => loadConfig({ cwd: dir, env: { PALISADE_DATABASE_URL: "mysql://x" } }));
    assert.match(bad.message, /PALISADE_DATABASE_URL/);
  });

  it("resolves a relative store path against the config file's folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-config-"));
    await writeFile(join(dir, "palisade.yaml"), "store:\n  path: data/p.db\n");
    const { config } = loadConfig({ file: join(dir, "palisade.yaml"), cwd: "/", env: {} });
    assert.equal(config.store.path, join(dir, "data/p.db"));
  });

  it("says which explicit config file is missing", () => {
    assert.throws(
      () => loadConfig({ file: "/nonexistent/palisade.yaml", env: {} }),
      (error: unknown) =>
        error instanceof PalisadeError && error.code === "bad-input" && error.input === "/nonexistent/palisade.yaml",
    );
  });

  it("never throws anything but a ValidationError on arbitrary text (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseConfig(text, "fuzz.yaml");
        } catch (error) {
          assert.ok(error instanceof ValidationError, `unexpected ${String(error)}`);
          assert.ok(error.message.startsWith("fuzz.yaml"));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("locates every issue in a structurally random document (property)", () => {
    const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constant(null));
    const doc = fc.dictionary(
      fc.constantFrom("store", "log", "gateway", "x"),
      fc.oneof(leaf, fc.dictionary(fc.constantFrom("path", "url", "level", "busyTimeoutMs", "nope"), leaf)),
    );
    fc.assert(
      fc.property(doc, (value) => {
        const text = JSON.stringify(value, null, 1);
        try {
          parseConfig(text, "p.json");
        } catch (error) {
          assert.ok(error instanceof ValidationError);
          for (const issue of error.issues) assert.ok(issue.line === undefined || issue.line >= 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
