import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { createSecretsDetector } from "../../detect/index.js";
import { loadAiCatalog } from "./catalog.js";
import { toCycloneDx } from "./cyclonedx.js";
import { toJsonReport, toScanInput } from "./output.js";
import { scanCodebase } from "./scan.js";

const catalog = loadAiCatalog();
const secrets = createSecretsDetector();
const OPENAI_KEY = ["sk", "proj", "giL1mETmCXmYaT9nf71jOLdGno9wlZxIfnlnakmb6edVUMy2"].join("-");

async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "palisade-mcp-"));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

describe("MCP configs in a scanned tree", () => {
  it("reads a JSONC .vscode/mcp.json instead of skipping it as malformed", async () => {
    const root = await project({
      ".vscode/mcp.json":
        '{\n  // servers\n  "servers": {\n    "fetch": { "command": "uvx", "args": ["mcp-server-fetch==2025.4.7"], },\n  },\n}\n',
    });
    const report = await scanCodebase(root, { catalog, secrets });
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(
      report.mcpServers.map((s) => [s.name, s.file, s.line]),
      [["fetch", ".vscode/mcp.json", 4]],
    );
  });

  it("finds client configs by content under names not on the list", async () => {
    const root = await project({
      "opencode.json": JSON.stringify({ mcp: { docs: { type: "remote", url: "https://docs.example.com/mcp" } } }),
      ".zed/settings.json":
        '{\n  // zed\n  "context_servers": { "pg": { "command": "npx", "args": ["pg-mcp@1.0.0"] } }\n}\n',
      ".codex/config.toml": '[mcp_servers.time]\ncommand = "uvx"\nargs = ["mcp-server-time==0.6.2"]\n',
      "config/agents.yaml": "mcpServers:\n  search:\n    url: https://search.example.com/sse\n    type: sse\n",
      "openapi.json": JSON.stringify({ openapi: "3.1.0", servers: [{ url: "https://api.example.com" }] }),
    });
    const report = await scanCodebase(root, { catalog, secrets });
    assert.deepEqual(report.mcpServers.map((s) => [s.name, s.transport, s.file]).sort(), [
      ["docs", "http", "opencode.json"],
      ["pg", "stdio", ".zed/settings.json"],
      ["search", "sse", "config/agents.yaml"],
      ["time", "stdio", ".codex/config.toml"],
    ]);
  });

  it("reports an AI key in a server's env once, as a hard-coded AI key", async () => {
    const root = await project({
      "claude_desktop_config.json": JSON.stringify(
        { mcpServers: { ai: { command: "uvx", args: ["ai-mcp==1.0"], env: { OPENAI_API_KEY: OPENAI_KEY } } } },
        null,
        2,
      ),
    });
    const report = await scanCodebase(root, { catalog, secrets });
    assert.deepEqual(
      report.findings.map((f) => [f.ruleId, f.severity, f.location?.path, f.location?.line]),
      [["code.hardcoded-ai-key", "critical", "claude_desktop_config.json", 9]],
    );
    assert.ok(!JSON.stringify(report).includes(OPENAI_KEY));
  });

  it("reports a GitHub token in a server's env as an MCP config secret, with file and line", async () => {
    const token = ["ghp", "R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0sY2aE8u"].join("_");
    const root = await project({
      ".vscode/mcp.json": `{\n  "servers": {\n    // GitHub\n    "github": {\n      "command": "docker",\n      "args": ["run", "-i", "ghcr.io/github/github-mcp-server:v0.4.0"],\n      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${token}" },\n    },\n  },\n}\n`,
    });
    const report = await scanCodebase(root, { catalog, secrets });
    assert.deepEqual(
      report.findings.map((f) => [f.ruleId, f.severity, f.location?.path, f.location?.line]),
      [["code.mcp-config-secret", "critical", ".vscode/mcp.json", 7]],
    );
    assert.ok(!JSON.stringify(report).includes(token));
  });

  it("keeps implemented servers out of mcpServers in every output", async () => {
    const root = await project({
      "server.py":
        'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("notes")\n\n@mcp.tool()\ndef add_note(text: str) -> str:\n    return text\n',
      ".mcp.json": JSON.stringify({ mcpServers: { notes: { command: "python", args: ["server.py"] } } }),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.mcpImplementations.map((m) => [m.name, m.file, m.tools]),
      [["notes", "server.py", ["add_note"]]],
    );
    assert.deepEqual(
      report.mcpServers.map((m) => [m.name, m.transport]),
      [["notes", "stdio"]],
    );
    const json = toJsonReport(report);
    assert.deepEqual(
      (json.mcpImplementations as { name: string }[]).map((m) => m.name),
      ["notes"],
    );
    assert.equal((json.mcpServers as unknown[]).length, 1);
    assert.deepEqual(
      toScanInput(report).mcpServers.map((m) => m.name),
      ["notes"],
    );
    const bom = toCycloneDx(report, { toolVersion: "0.0.0" }) as {
      services: { name: string; properties: { name: string; value: string }[] }[];
    };
    const kinds = bom.services.map((s) => [s.name, s.properties.find((p) => p.name === "palisade:kind")?.value]);
    assert.deepEqual(kinds.sort(), [
      ["notes", "mcp-server"],
      ["notes", "mcp-server-implementation"],
    ]);
    const impl = bom.services.find((s) => s.properties.some((p) => p.value === "mcp-server-implementation"));
    assert.deepEqual(
      impl?.properties.filter((p) => p.name === "palisade:mcp:tool").map((p) => p.value),
      ["add_note"],
    );
  });
});
