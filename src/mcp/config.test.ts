import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadClientServers } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-mcp-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("loadClientServers", () => {
  it("reads VS Code's JSONC mcp.json: comments, trailing commas, inputs, a disabled server", () => {
    const config = loadClientServers(
      file(
        "mcp.json",
        `{
  // prompted once, kept by VS Code
  "inputs": [{ "type": "promptString", "id": "token", "password": true }],
  "servers": {
    "github": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"], "env": { "GITHUB_TOKEN": "\${input:token}" } },
    /* "old": { "command": "node", "args": ["old.js"] }, */
    "docs": { "type": "http", "url": "https://mcp.example.com/mcp", },
    "off": { "command": "node", "disabled": true },
  },
}`,
      ),
    );
    assert.deepEqual(Object.keys(config.servers), ["github", "docs", "off"]);
    assert.equal(config.servers.off?.disabled, true);
    assert.deepEqual(config.servers.docs, {
      type: "http",
      url: "https://mcp.example.com/mcp",
      headers: {},
      disabled: false,
    });
  });

  it("reads Claude Desktop's mcpServers, and YAML", () => {
    const claude = loadClientServers(
      file("claude_desktop_config.json", JSON.stringify({ mcpServers: { fs: { command: "npx", args: ["x"] } } })),
    );
    assert.deepEqual(claude.servers.fs?.disabled, false);
    const yaml = loadClientServers(
      file("servers.yaml", "servers:\n  notes:\n    command: node\n    args: [notes.js]\n"),
    );
    assert.deepEqual(Object.keys(yaml.servers), ["notes"]);
  });

  it("names the file and line of broken JSONC, a missing table, and a server name with a dot", () => {
    assert.throws(
      () => loadClientServers(file("bad.json", '{\n  "servers": {\n    "a": { "command": }\n  }\n}')),
      /bad\.json:3: not valid JSON/,
    );
    assert.throws(
      () => loadClientServers(file("none.json", '{ "editor.fontSize": 14 }')),
      /no mcpServers \(or servers\) table/,
    );
    assert.throws(
      () => loadClientServers(file("dot.json", JSON.stringify({ mcpServers: { "a.b": { command: "x" } } }))),
      /server name "a.b": letters, digits, '_' and '-' only/,
    );
    assert.throws(() => loadClientServers(join(dir, "missing.json")), /cannot read/);
  });
});
