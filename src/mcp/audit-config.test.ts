/**
 * `palisade mcp scan`'s static audit against the fixture corpus: one folder per client format
 * under test/fixtures/mcp-configs/, each holding the config as that client writes it and an
 * expected.json written by hand before the code ran. Every case must match exactly (no finding
 * missing, none extra); a folder without its expected.json fails rather than being skipped.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { z } from "zod";
import { PalisadeError } from "../core/index.js";
import { createSecretsDetector } from "../detect/index.js";
import { compileMcpApproval } from "../policy/index.js";
import { auditClientConfigs, readClientConfig } from "./audit-config.js";

const FIXTURES = join(import.meta.dirname, "../../test/fixtures/mcp-configs");
const secrets = createSecretsDetector();

const ExpectedSchema = z.strictObject({
  client: z.string(),
  servers: z.array(z.string()),
  findings: z.array(
    z.strictObject({ ruleId: z.string(), server: z.string(), line: z.number(), severity: z.string().optional() }),
  ),
});

/** The one config file of a case folder (any file but expected.json, at any depth). */
function configFileOf(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== "expected.json")
    .map((e) => join(e.parentPath, e.name));
  assert.equal(files.length, 1, `${dir}: expected one config file, found ${files.length}`);
  return files[0] as string;
}

function read(text: string, file = "mcp.json") {
  return readClientConfig(text, { file, secrets, explicit: true });
}

describe("mcp config audit: fixture corpus", () => {
  const cases = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory());

  it("has a case for every client format", () => {
    const names = cases.map((c) => c.name);
    for (const client of ["claude-desktop", "claude-code-project", "claude-code-user", "cursor", "vscode", "windsurf"])
      assert.ok(names.includes(client), `no fixture for ${client}`);
  });

  for (const c of cases) {
    it(`finds exactly what ${c.name}/expected.json lists`, () => {
      const dir = join(FIXTURES, c.name);
      const expected = ExpectedSchema.parse(JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")));
      const path = configFileOf(dir);
      const shown = path.slice(dir.length + 1);
      const config = readClientConfig(readFileSync(path, "utf8"), { file: shown, secrets });
      assert.deepEqual(config.servers.map((s) => s.name).sort(), expected.servers);
      assert.ok(
        config.servers.every((s) => s.client === expected.client),
        `clients: ${config.servers.map((s) => s.client)}`,
      );
      const findings = auditClientConfigs([config]);
      const key = (f: { ruleId: string; server?: string; line?: number }) => `${f.server}:${f.line}:${f.ruleId}`;
      assert.deepEqual(
        findings.map((f) => key({ ruleId: f.ruleId, server: f.component, line: f.location?.line })).sort(),
        expected.findings.map(key).sort(),
      );
      for (const want of expected.findings.filter((f) => f.severity)) {
        const got = findings.find((f) => key({ ...f, server: f.component, line: f.location?.line }) === key(want));
        assert.equal(got?.severity, want.severity, key(want));
      }
      for (const f of findings) {
        assert.equal(f.location?.path, shown);
        assert.ok(f.fingerprint?.startsWith(`${f.ruleId}:${shown}:`), f.fingerprint);
      }
    });
  }
});

describe("mcp config audit: rules", () => {
  it("never repeats a credential from a URL in a finding", () => {
    const config = read(
      JSON.stringify({ mcpServers: { x: { url: "http://10.0.0.5/mcp?api_key=Zq81mX0pLw7KdV2nR5tY9sB3" } } }),
    );
    const text = JSON.stringify(auditClientConfigs([config]));
    assert.doesNotMatch(text, /Zq81mX0pLw7KdV2nR5tY9sB3/);
  });

  it("reports servers off the approved list, with the policy's action as severity", () => {
    const config = read(
      JSON.stringify({
        mcpServers: {
          ok: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory@2025.4.25"] },
          other: { command: "npx", args: ["-y", "left-pad-mcp@1.0.0"] },
          image: { command: "docker", args: ["run", "-i", "ghcr.io/github/github-mcp-server:0.5.0"] },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: client reference syntax written in a config, not a template
          remote: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${input:t}" } },
        },
      }),
    );
    const approval = {
      isApproved: compileMcpApproval([
        { package: "@modelcontextprotocol/server-memory", versions: "*" },
        { image: "ghcr.io/github/*" },
      ]),
      action: "warn" as const,
    };
    const off = auditClientConfigs([config], { approval }).filter((f) => f.ruleId === "mcp.server-not-approved");
    assert.deepEqual(off.map((f) => [f.component, f.severity]).sort(), [
      ["other", "medium"],
      ["remote", "medium"],
    ]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: client reference syntax written in a config, not a template
  it("takes ${input:...} and ${env:...} references as fine, and a literal token as a secret", () => {
    const refs = read(
      JSON.stringify({
        servers: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: client reference syntax written in a config, not a template
          a: { command: "x", env: { GITHUB_TOKEN: "${input:gh}", API_KEY: "${env:API_KEY}" } },
        },
      }),
    );
    assert.deepEqual(auditClientConfigs([refs]), []);
    const literal = read(JSON.stringify({ servers: { a: { command: "x", env: { API_KEY: "Zq81mX0pLw7KdV2n" } } } }));
    assert.deepEqual(
      auditClientConfigs([literal]).map((f) => f.ruleId),
      ["mcp.config-secret"],
    );
  });

  it("refuses a named file that holds no MCP servers, naming it", () => {
    assert.throws(
      () => read('{"editor.fontSize": 14}', "settings.json"),
      (e: unknown) => e instanceof PalisadeError && e.code === "bad-input" && /settings\.json/.test(e.message),
    );
  });

  it("names the file and line of malformed JSON", () => {
    assert.throws(
      () => read('{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": 1\n  }\n}', ".cursor/mcp.json"),
      (e: unknown) =>
        e instanceof PalisadeError && e.code === "bad-input" && /^\.cursor\/mcp\.json:4: /.test(e.message),
    );
  });
});

describe("mcp config audit: hostile configs", () => {
  it("rejects deep nesting with a clear error instead of overflowing the stack", () => {
    const deep = `{"mcpServers":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    assert.throws(
      () => read(deep),
      (e: unknown) => e instanceof PalisadeError && e.code === "bad-input" && /nested deeper/.test(e.message),
    );
  });

  it("rejects a huge file with a clear error, quickly", () => {
    const huge = `{"mcpServers":{"a":{"command":"x","args":["${"a".repeat(2 * 1024 * 1024)}"]}}}`;
    const started = performance.now();
    assert.throws(
      () => read(huge),
      (e: unknown) => e instanceof PalisadeError && e.code === "bad-input" && /over \d+ bytes/.test(e.message),
    );
    assert.ok(performance.now() - started < 1000);
  });

  it("never throws anything but bad-input, whatever the values are", () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), {
        maxKeys: 4,
      }),
    );
    const server = fc.record(
      {
        command: value,
        args: value,
        env: value,
        url: fc.oneof(value, fc.webUrl(), fc.constantFrom("http://[::1", "http://0x7f.1/", "http://%zz/")),
        serverUrl: value,
        headers: value,
        type: value,
      },
      { requiredKeys: [] },
    );
    const config = fc.record({
      mcpServers: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(server, value), { maxKeys: 5 })),
      servers: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 12 }), server, { maxKeys: 3 })),
    });
    fc.assert(
      fc.property(config, (doc) => {
        try {
          const read1 = read(JSON.stringify(doc));
          const findings = auditClientConfigs([read1]);
          for (const f of findings) assert.ok(f.ruleId.startsWith("mcp."));
        } catch (e) {
          assert.ok(e instanceof PalisadeError && e.code === "bad-input", String(e));
        }
      }),
      { numRuns: 300 },
    );
  });
});
