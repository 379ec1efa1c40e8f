/**
 * `palisade mcp scan` end to end, the built CLI as users run it: discovery under a private HOME
 * and project folder (never the real home), the three output formats, the gate's exit codes,
 * bad input naming file and line, and `--connect` against a real MCP server over Streamable
 * HTTP (the SDK's, behind the proxy), refused for private addresses and for stdio servers when
 * no sandbox can fence them.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { McpConfigSchema } from "../src/core/index.js";
import { type HttpServing, type McpProxy, serveHttp, startMcpProxy } from "../src/mcp/index.js";
import { sandboxAvailable } from "../src/mcp/sandbox.js";
import { assertOneLineError, runCli } from "./helpers/cli.js";
import { loadSarifSchema } from "./helpers/sarif-schema.js";

const root = mkdtempSync(join(tmpdir(), "palisade-mcp-scan-"));
after(() => rmSync(root, { recursive: true, force: true }));
const home = join(root, "home");
const project = join(root, "project");

function write(path: string, value: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

/** The CLI with HOME and the XDG/Windows/Copilot variables pointed into the test's folders. */
function scan(args: readonly string[], cwd = project) {
  return runCli(["mcp", "scan", ...args], {
    cwd,
    env: { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: "", APPDATA: "", COPILOT_HOME: "" },
    timeoutMs: 60_000,
  });
}

before(() => {
  mkdirSync(project, { recursive: true });
  write(join(home, ".config/Claude/claude_desktop_config.json"), {
    mcpServers: { fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] } },
  });
  write(join(home, ".cursor/mcp.json"), {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: client reference syntax written in a config, not a template
    mcpServers: { docs: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${env:T}" } } },
  });
  write(join(home, ".codeium/windsurf/mcp_config.json"), {
    mcpServers: { imds: { serverUrl: "http://169.254.169.254/latest/" } },
  });
  write(join(project, ".mcp.json"), {
    mcpServers: { time: { command: "uvx", args: ["mcp-server-time==0.6.2"] } },
  });
  write(
    join(project, ".vscode/mcp.json"),
    '{\n  // VS Code\n  "servers": { "img": { "command": "docker", "args": ["run", "-i", "mcp/x:latest"] } },\n}\n',
  );
});

describe("palisade mcp scan: discovery and output", () => {
  it("finds every client's config under HOME and the project, and reports each server's findings", async () => {
    const result = await scan(["--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      files: { file: string; client: string; servers: number }[];
      servers: { name: string; client: string }[];
      findings: { ruleId: string; component: string; remediation: string }[];
    };
    assert.deepEqual(
      report.files.map((f) => [f.client, f.file.startsWith(home) ? `~/${f.file.slice(home.length + 1)}` : f.file]),
      [
        ["claude-desktop", "~/.config/Claude/claude_desktop_config.json"],
        ["cursor", "~/.cursor/mcp.json"],
        ["windsurf", "~/.codeium/windsurf/mcp_config.json"],
        ["claude-code", ".mcp.json"],
        ["vscode", ".vscode/mcp.json"],
      ],
    );
    assert.deepEqual(report.servers.map((s) => s.name).sort(), ["docs", "fs", "imds", "img", "time"]);
    assert.deepEqual(report.findings.map((f) => `${f.component} ${f.ruleId}`).sort(), [
      "fs mcp.unpinned-package",
      "imds mcp.plain-http",
      "imds mcp.private-address",
      "imds mcp.remote-without-auth",
      "img mcp.unpinned-image",
    ]);
    assert.ok(report.findings.every((f) => f.remediation.length > 0));
  });

  it("reads a project given with --project, from anywhere", async () => {
    const result = await scan(["--project", project, "--format", "json"], root);
    assert.equal(result.code, 0, result.stderr);
    const files = (JSON.parse(result.stdout) as { files: { file: string }[] }).files.map((f) => f.file);
    assert.ok(files.includes(join("project", ".mcp.json")), files.join(", "));
  });

  it("says so when there is nothing to scan", async () => {
    const empty = mkdtempSync(join(root, "empty-"));
    const result = await runCli(["mcp", "scan", "--project", empty], {
      cwd: empty,
      env: { HOME: empty, XDG_CONFIG_HOME: "", APPDATA: "", COPILOT_HOME: "" },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /No MCP client configuration found/);
  });

  it("writes valid SARIF with rule help for every mcp rule", async () => {
    const result = await scan([
      join(home, ".codeium/windsurf/mcp_config.json"),
      ".vscode/mcp.json",
      "--format",
      "sarif",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const log = JSON.parse(result.stdout) as Log;
    const ajv = new Ajv({ strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(loadSarifSchema());
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0];
    assert.deepEqual(run?.results?.map((r) => r.ruleId).sort(), [
      "mcp.plain-http",
      "mcp.private-address",
      "mcp.remote-without-auth",
      "mcp.unpinned-image",
    ]);
    for (const rule of run?.tool.driver.rules ?? []) assert.match(rule.help?.text ?? "", /How to fix: \S/, rule.id);
    const local = run?.results?.find((r) => r.ruleId === "mcp.unpinned-image");
    assert.deepEqual(local?.locations?.[0]?.physicalLocation?.artifactLocation, {
      uri: ".vscode/mcp.json",
      uriBaseId: "%SRCROOT%",
    });
    assert.equal(local?.locations?.[0]?.physicalLocation?.region?.startLine, 3);
  });
});

describe("palisade mcp scan: gate and errors", () => {
  it("fails the gate only when asked, at --fail-on", async () => {
    const file = join(home, ".codeium/windsurf/mcp_config.json");
    assert.equal((await scan([file])).code, 0);
    const high = await scan([file, "--exit-code"]);
    assert.equal(high.code, 1, high.stderr);
    assert.match(high.stdout, /gate: deny/);
    const critical = await scan([file, "--exit-code", "--fail-on", "critical"]);
    assert.equal(critical.code, 0, critical.stderr);
  });

  it("gates approval with the policy's own rule", async () => {
    const policy = write(join(root, "policy.yaml"), {
      apiVersion: "palisade.dev/v1",
      kind: "Policy",
      metadata: { name: "mcp" },
      spec: { supplyChain: { mcpServers: { approved: [{ package: "mcp-server-time", versions: "*" }] } } },
    });
    const result = await scan([".mcp.json", ".vscode/mcp.json", "--policy", policy, "--exit-code", "--format", "json"]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; component: string }[];
      verdict: { reasons: { ruleId: string; message: string }[] };
    };
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId === "mcp.server-not-approved").map((f) => f.component),
      ["img"],
    );
    assert.deepEqual(
      report.verdict.reasons.map((r) => r.ruleId),
      ["supply-chain.mcp-server-not-approved"],
    );
  });

  it("names the file and line of a malformed config, exit 2", async () => {
    const bad = write(join(root, "bad/mcp.json"), '{\n  "mcpServers": {\n    "a": { "command": "x" },,\n  }\n}\n');
    assertOneLineError(await scan([bad]), /bad\/mcp\.json:3: /);
  });

  it("refuses a missing file, a file with no servers and one over the size limit, each by name", async () => {
    assertOneLineError(await scan(["nope.json"]), /cannot read nope\.json: ENOENT/);
    const settings = write(join(root, "settings.json"), '{"editor.fontSize": 14}');
    assertOneLineError(await scan([settings]), /settings\.json: no MCP servers table/);
    const huge = write(join(root, "huge.json"), `{"mcpServers":{},"pad":"${"x".repeat(1_100_000)}"}`);
    assertOneLineError(await scan([huge]), /huge\.json: over \d+ bytes/);
  });
});

describe("palisade mcp scan --connect", () => {
  let proxy: McpProxy;
  let serving: HttpServing;
  before(async () => {
    const notes = join(import.meta.dirname, "fixtures/mcp/notes-server.mjs");
    proxy = await startMcpProxy(
      McpConfigSchema.parse({ servers: { notes: { command: process.execPath, args: [notes] } } }),
      { stderr: "ignore" },
    );
    serving = await serveHttp(proxy, "127.0.0.1", 0);
  });
  after(async () => {
    await serving?.close();
    await proxy?.close();
  });

  it("does not connect to a loopback server without --allow-private", async () => {
    const config = write(join(root, "connect/mcp.json"), { mcpServers: { local: { url: serving.url } } });
    const result = await scan([config, "--connect"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /local: not connected \(127\.0\.0\.1 is a loopback address; --allow-private connects\)/,
    );
  });

  it("lists a server's tools over HTTP and reports the ones never approved", async () => {
    const config = write(join(root, "connect/mcp.json"), { mcpServers: { local: { url: serving.url } } });
    const result = await scan([config, "--connect", "--allow-private", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; detail: string }[] }).findings;
    const unapproved = findings.find((f) => f.ruleId === "mcp.tools-unapproved");
    assert.match(unapproved?.detail ?? "", /notes\.\w+/);
  });

  it("refuses to start stdio servers when no sandbox can be made, before running anything", async () => {
    const marker = join(root, "ran");
    const config = write(join(root, "connect/stdio.json"), {
      mcpServers: { evil: { command: "sh", args: ["-c", `touch ${marker}`] } },
    });
    // No bwrap on this PATH (the CLI itself is started by absolute path).
    const empty = mkdtempSync(join(root, "path-"));
    const result = await runCli(["mcp", "scan", config, "--connect"], {
      cwd: project,
      env: { HOME: home, PATH: empty, XDG_CONFIG_HOME: "", APPDATA: "", COPILOT_HOME: "" },
    });
    assertOneLineError(result, /--connect starts stdio servers only inside the bubblewrap sandbox, .*bwrap/);
    assert.equal(existsSync(marker), false);
  });
});

describe("palisade mcp scan --connect, stdio servers in the sandbox", async () => {
  const available = await sandboxAvailable({ recordExec: true });
  const skip = available.ok ? false : `no sandbox on this machine: ${available.reason}`;

  it("lists a poisoned server's tools inside the sandbox and reports the poisoning", { skip }, async () => {
    const poisoned = join(import.meta.dirname, "fixtures/mcp/poisoned-server.mjs");
    const config = write(join(root, "connect/poisoned.json"), {
      // Its cwd is the checkout (script and node_modules): the sandbox's /tmp is its own, so a
      // server run from a folder under /tmp (the test's project) would not see its files.
      mcpServers: { helper: { command: process.execPath, args: [poisoned], cwd: join(import.meta.dirname, "..") } },
    });
    const result = await scan([config, "--connect", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; title: string }[]; notes?: string[] };
    const rules = new Set(report.findings.map((f) => f.ruleId));
    assert.ok(rules.has("mcp.poisoning.secret-access"), [...rules].join(", "));
    assert.ok(rules.has("mcp.poisoning.instruction-block"), [...rules].join(", "));
    assert.ok(rules.has("mcp.tools-unapproved"));
    assert.ok(!rules.has("mcp.connect-failed"), result.stdout);
  });
});
