import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isPalisadeError } from "../../core/index.js";
import { createSecretsDetector } from "../../detect/index.js";
import { detectMcpConfig, MAX_MCP_SERVERS, type McpConfigResult, parseMcpConfig } from "./mcp.js";
import { MCP_DOCUMENT_LIMITS } from "./mcp-document.js";

const secrets = createSecretsDetector();
/** Test credentials, built at run time (the shape the detector's own tests use). */
const GITHUB_TOKEN = ["ghp", "R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0sY2aE8u"].join("_");
const RANDOM_KEY = ["Zq7", "Lm2VxR9", "pTb4WcN8", "kYhJ3sGf6Ud"].join("");

const names = (r: McpConfigResult) => r.servers.map((s) => s.name);
const summary = (r: McpConfigResult) =>
  r.servers.map((s) => [s.name, s.transport, s.url ?? [s.command, ...(s.args ?? [])].join(" "), s.line]);
const secretFindings = (r: McpConfigResult) =>
  r.findings.filter((f) => f.ruleId === "code.mcp-config-secret").map((f) => [f.severity, f.location?.line]);

function throwsBadInput(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => isPalisadeError(e) && e.code === "bad-input");
}

describe("VS Code mcp.json (JSONC)", () => {
  const text = [
    "// VS Code MCP servers",
    "{",
    '  "inputs": [',
    '    { "type": "promptString", "id": "gh", "description": "GitHub token", "password": true },',
    "  ],",
    '  "servers": {',
    "    /* the GitHub server */",
    '    "github": {',
    '      "command": "npx",',
    '      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8",],',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal reference is the input under test
    '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${input:gh}" },',
    "    },",
    '    // "old": { "command": "npx", "args": ["old-server"] },',
    '    "docs": { "type": "http", "url": "https://docs.example.com/mcp" }, // trailing comment',
    "  },",
    "}",
  ].join("\n");

  it("reads servers past comments and trailing commas, with the line of each name", () => {
    const result = parseMcpConfig(text, { file: ".vscode/mcp.json", secrets });
    assert.deepEqual(summary(result), [
      ["github", "stdio", "npx -y @modelcontextprotocol/server-github@2025.4.8", 8],
      ["docs", "http", "https://docs.example.com/mcp", 14],
    ]);
    assert.equal(result.servers[0]?.client, "vscode");
  });

  it("does not count a commented-out server as configured", () => {
    assert.ok(!names(parseMcpConfig(text, { file: ".vscode/mcp.json" })).includes("old"));
  });

  it("accepts `input:` references in env without a finding", () => {
    assert.deepEqual(parseMcpConfig(text, { file: ".vscode/mcp.json", secrets }).findings, []);
  });

  it("gives the line of the last of two servers with the same name, as JSON does", () => {
    const dup = '{"servers": {\n"a": {"command": "x"},\n"a": {"command": "y"}\n}}';
    assert.deepEqual(summary(parseMcpConfig(dup, { file: "mcp.json" })), [["a", "stdio", "y", 3]]);
  });
});

describe("MCP client configs found by content", () => {
  it("reads an `mcpServers` table in a JSON file of any name", () => {
    const text = JSON.stringify({ mcpServers: { fs: { command: "uvx", args: ["mcp-server-fs==1.0"] } } }, null, 2);
    const result = detectMcpConfig(text, { file: "tools/agent-settings.json" });
    assert.deepEqual(result && summary(result), [["fs", "stdio", "uvx mcp-server-fs==1.0", 3]]);
  });

  it("reads a top-level `servers` table of an MCP-named file with no MCP word inside, trailing comma and all", () => {
    const text = [
      "{",
      '  "servers": {',
      '    "math": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-math"], },',
      '    "weather": { "transport": "sse", "url": "http://localhost:8000/sse" }',
      "  }",
      "}",
    ].join("\n");
    assert.deepEqual(
      detectMcpConfig(text, { file: "examples/complex_mcp.json" })?.servers.map((s) => [s.name, s.transport]),
      [
        ["math", "stdio"],
        ["weather", "sse"],
      ],
    );
    assert.equal(detectMcpConfig(text, { file: "examples/complex.json" }), undefined);
  });

  it("reads Claude Code's per-project servers nested under `projects`", () => {
    const text = JSON.stringify({
      projects: { "/home/me/app": { mcpServers: { ctx: { type: "sse", url: "http://localhost:9/sse" } } } },
    });
    assert.deepEqual(
      detectMcpConfig(text, { file: ".claude.json" })?.servers.map((s) => [s.name, s.transport]),
      [["ctx", "sse"]],
    );
  });

  it("reads Zed's `context_servers` in a settings.json with comments, in both command shapes", () => {
    const text = [
      "{",
      "  // Zed settings",
      '  "theme": "One Dark",',
      '  "context_servers": {',
      '    "postgres": { "command": { "path": "npx", "args": ["-y", "pg-mcp@0.3.0"], "env": {} } },',
      '    "brave": { "command": "npx", "args": ["-y", "brave-mcp@1.0.0"] },',
      "  },",
      "}",
    ].join("\n");
    const result = detectMcpConfig(text, { file: ".zed/settings.json" });
    assert.deepEqual(result && summary(result), [
      ["postgres", "stdio", "npx -y pg-mcp@0.3.0", 5],
      ["brave", "stdio", "npx -y brave-mcp@1.0.0", 6],
    ]);
    assert.equal(result?.servers[0]?.client, "zed");
  });

  it("reads VS Code user settings with `mcp.servers`", () => {
    const text =
      '{\n  "editor.tabSize": 2,\n  "mcp": {\n    "servers": {\n      "time": { "command": "uvx", "args": ["mcp-server-time==0.6.2"] }\n    }\n  }\n}';
    const result = detectMcpConfig(text, { file: ".vscode/settings.json" });
    assert.deepEqual(result && summary(result), [["time", "stdio", "uvx mcp-server-time==0.6.2", 5]]);
  });

  it("reads opencode's `mcp` table: local command lists and remote URLs", () => {
    const text = JSON.stringify(
      {
        $schema: "https://opencode.ai/config.json",
        mcp: {
          local: { type: "local", command: ["bunx", "my-mcp@2.0.0"], enabled: true, environment: { MODE: "dev" } },
          remote: { type: "remote", url: "https://mcp.example.com/mcp", enabled: false },
        },
      },
      null,
      2,
    );
    const result = detectMcpConfig(text, { file: "opencode.json" });
    assert.deepEqual(result && summary(result), [
      ["local", "stdio", "bunx my-mcp@2.0.0", 4],
      ["remote", "http", "https://mcp.example.com/mcp", 15],
    ]);
    assert.equal(result?.servers[1]?.disabled, true);
  });

  it("reads Codex's `[mcp_servers.NAME]` tables in config.toml", () => {
    const text = [
      'model = "o3"',
      "",
      "[mcp_servers.github]",
      'command = "npx"',
      'args = ["-y", "@modelcontextprotocol/server-github@2025.4.8"]',
      "",
      "[mcp_servers.github.env]",
      'GITHUB_PERSONAL_ACCESS_TOKEN = ""',
      "",
      '[mcp_servers."remote-docs"]',
      'url = "https://docs.example.com/mcp"',
    ].join("\n");
    const result = detectMcpConfig(text, { file: ".codex/config.toml", secrets });
    assert.deepEqual(result && summary(result), [
      ["github", "stdio", "npx -y @modelcontextprotocol/server-github@2025.4.8", 3],
      ["remote-docs", "http", "https://docs.example.com/mcp", 10],
    ]);
    assert.deepEqual(result?.findings, []);
  });

  it("reads Continue's YAML list of servers", () => {
    const text = [
      "name: My MCP",
      "version: 0.0.1",
      "schema: v1",
      "mcpServers:",
      "  - name: sqlite",
      "    command: uvx",
      "    args:",
      "      - mcp-server-sqlite==0.6.2",
    ].join("\n");
    const result = detectMcpConfig(text, { file: ".continue/mcpServers/sqlite.yaml" });
    assert.deepEqual(result && summary(result), [["sqlite", "stdio", "uvx mcp-server-sqlite==0.6.2", 5]]);
  });

  it("reads Spring AI client connections and its own server from application.properties", () => {
    const text = [
      "spring.application.name=mcp-client",
      "spring.ai.mcp.client.toolcallback.enabled=true",
      "spring.ai.mcp.client.streamable-http.connections.flights.url=http://localhost:8080",
      "spring.ai.mcp.client.streamable-http.connections.flights.endpoint=/mcp",
      "spring.ai.mcp.client.stdio.connections.fs.command=npx",
      "spring.ai.mcp.client.stdio.connections.fs.args[0]=-y",
      "spring.ai.mcp.client.stdio.connections.fs.args[1]=@modelcontextprotocol/server-filesystem@2025.3.28",
      "spring.ai.mcp.server.name=springfly-mcp-server",
    ].join("\n");
    const result = detectMcpConfig(text, { file: "src/main/resources/application.properties" });
    assert.deepEqual(result && summary(result), [
      ["flights", "http", "http://localhost:8080/mcp", 3],
      ["fs", "stdio", "npx -y @modelcontextprotocol/server-filesystem@2025.3.28", 5],
    ]);
    assert.deepEqual(result?.implementations, [
      {
        name: "springfly-mcp-server",
        file: "src/main/resources/application.properties",
        line: 8,
        sdk: "spring-ai",
        tools: [],
      },
    ]);
  });

  it("reads Spring AI SSE connections from application.yml", () => {
    const text = [
      "spring:",
      "  ai:",
      "    mcp:",
      "      client:",
      "        sse:",
      "          connections:",
      "            weather:",
      "              url: http://localhost:8081",
    ].join("\n");
    const result = detectMcpConfig(text, { file: "src/main/resources/application.yml" });
    assert.deepEqual(result && summary(result), [["weather", "sse", "http://localhost:8081", 7]]);
  });
});

describe("no MCP servers in unrelated config", () => {
  const cases: Record<string, string> = {
    "openapi.json": JSON.stringify({ openapi: "3.0.0", servers: [{ url: "https://api.example.com" }] }),
    "package.json": JSON.stringify({
      name: "x",
      keywords: ["mcp"],
      description: "An MCP client",
      scripts: { mcp: "node mcp.js" },
    }),
    "config/hosts.json": JSON.stringify({ servers: { web: { url: "https://web.example.com", command: "start" } } }),
    "docker-compose.yml": "services:\n  mcp:\n    image: mcp/server\n    command: serve\n",
    "mkdocs.yml": "site_name: MCP docs\nnav:\n  - mcp: mcp.md\n",
    "pyproject.toml": '[project]\nname = "mcp-tool"\ndependencies = ["mcp>=1.0"]\n',
    "tsconfig.json": '{\n  // comment\n  "compilerOptions": { "strict": true }\n}',
  };
  for (const [file, text] of Object.entries(cases))
    it(`finds none in ${file}`, () => {
      assert.equal(detectMcpConfig(text, { file }), undefined);
    });
});

describe("credentials in a server's config", () => {
  const config = (env: Record<string, string>, extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        mcpServers: {
          gh: { command: "docker", args: ["run", "-i", "ghcr.io/github/github-mcp-server:v1"], env, ...extra },
        },
      },
      null,
      2,
    );

  it("raises a finding for a literal GitHub token in env, at its line", () => {
    const result = parseMcpConfig(config({ GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TOKEN }), {
      file: "mcp.json",
      secrets,
    });
    assert.deepEqual(secretFindings(result), [["critical", 11]]);
    assert.ok(!JSON.stringify(result.findings).includes(GITHUB_TOKEN), "the token is not repeated in the finding");
  });

  it("raises a finding for a token hidden under an odd key name", () => {
    const result = parseMcpConfig(config({ X_CFG_7: GITHUB_TOKEN }), { file: "mcp.json", secrets });
    assert.deepEqual(secretFindings(result), [["critical", 11]]);
  });

  it("raises a finding for a token passed as a command-line argument", () => {
    const text = JSON.stringify({
      mcpServers: { gh: { command: "node", args: ["srv.js", `--auth=${GITHUB_TOKEN}`] } },
    });
    const result = parseMcpConfig(text, { file: "mcp.json", secrets });
    assert.deepEqual(secretFindings(result), [["critical", 1]]);
  });

  it("raises a finding for a random-looking literal under an odd key, even without a detector rule", () => {
    const result = parseMcpConfig(config({ OPT_B: RANDOM_KEY }), { file: "mcp.json", secrets });
    assert.deepEqual(secretFindings(result), [["high", 11]]);
  });

  it("raises a finding for a database password, not only AI keys", () => {
    const result = parseMcpConfig(config({ DB_PASSWORD: "Tr0ub4dor&3x" }), { file: "mcp.json", secrets });
    assert.equal(secretFindings(result).length, 1);
  });

  it("raises a finding for a bearer token in headers and a password in an argument", () => {
    const text = JSON.stringify(
      {
        mcpServers: {
          api: { url: "https://mcp.example.com/mcp", headers: { Authorization: `Bearer ${RANDOM_KEY}` } },
          db: { command: "uvx", args: ["mcp-pg==1.0", "postgresql://app:S3cretPass9@db.internal/app"] },
        },
      },
      null,
      2,
    );
    const result = parseMcpConfig(text, { file: ".cursor/mcp.json", secrets });
    assert.deepEqual(
      result.findings.filter((f) => f.ruleId === "code.mcp-config-secret").map((f) => f.title.split('"')[1]),
      ["api", "db"],
    );
  });

  it("accepts references, placeholders, empty values and settings", () => {
    const env = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal reference is the input under test
      GITHUB_TOKEN: "${env:GITHUB_TOKEN}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal reference is the input under test
      API_KEY: "${input:api-key}",
      OPENCODE: "{env:OPENCODE_KEY}",
      SHELL_REF: "$SLACK_TOKEN",
      EMPTY_TOKEN: "",
      PLACEHOLDER_TOKEN: "<your-token-here>",
      YOUR_KEY: "your-api-key",
      TOOLSETS: "repos,issues,pull_requests",
      ALLOWED_DIR: "/home/me/projects",
      DEBUG: "true",
      PORT: "8080",
      BASE_URL: "https://api.example.com/v1",
      TOKEN_FILE: "/run/secrets/token",
      PROJECT_ID: "4f1c2b7e-9a3d-4c8e-b1f0-2d6a7e9c3b51",
    };
    assert.deepEqual(parseMcpConfig(config(env), { file: "mcp.json", secrets }).findings, []);
  });
});

describe("MCP configs without a servers key, and in Jsonnet (issue 15, round 3)", () => {
  it("reads an MCP-named file whose top level is the server table itself", () => {
    const text = JSON.stringify({ arxiv: { command: "uvx", args: ["arxiv-mcp-server"] } }, null, 2);
    const result = detectMcpConfig(text, { file: ".codex-mcp.json" });
    assert.deepEqual(result && summary(result), [["arxiv", "stdio", "uvx arxiv-mcp-server", 2]]);
    assert.equal(result?.servers[0]?.client, "codex");
  });

  it("does not read the top level of other files unless every entry says MCP, nor one with a non-server entry", () => {
    // Round 14: a bare table whose every entry says MCP is read in any file (round14.test.ts).
    const servers = JSON.stringify({ arxiv: { command: "uvx", args: ["arxiv-server"] } });
    assert.equal(detectMcpConfig(servers, { file: "tools/settings.json" }), undefined);
    const marked = JSON.stringify({ arxiv: { command: "uvx", args: ["arxiv-mcp-server"] } });
    assert.equal(detectMcpConfig(marked, { file: "tools/settings.json" })?.servers[0]?.name, "arxiv");
    const mixed = JSON.stringify({ arxiv: { command: "uvx" }, version: "1", build: { target: "x" } });
    assert.equal(detectMcpConfig(mixed, { file: "mcp-manifest.json" }), undefined);
  });

  it("reads the servers a Jsonnet file spells out, with references kept as text and lines of names", () => {
    const text = [
      "local secrets = import 'secrets.jsonnet';",
      "local home = std.extVar('HOME');",
      "{",
      "  mcpServers: {",
      "    slack: {",
      "      command: 'npx',",
      "      args: ['-y', '@modelcontextprotocol/server-slack'],",
      "      env: { SLACK_BOT_TOKEN: secrets.slack.token },",
      "    },",
      "    // off: { command: 'npx', args: ['off-mcp'] },",
      "    'Framelink Figma MCP': {",
      "      command: home + '/bin/npx',",
      "      args: ['-y', 'figma-developer-mcp', '--figma-api-key=' + secrets.figma.token],",
      "    },",
      "    remote: { type: 'http', url: 'https://mcp.example.com/mcp' },",
      "  },",
      "}",
    ].join("\n");
    const result = parseMcpConfig(text, { file: "agent/mcp/config.jsonnet", secrets });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.line]),
      [
        ["slack", "stdio", 5],
        ["Framelink Figma MCP", "stdio", 11],
        ["remote", "http", 15],
      ],
    );
    assert.deepEqual(secretFindings(result), []);
    throwsBadInput(() => parseMcpConfig("{ a: 'unterminated }", { file: "x.jsonnet" }));
  });
});

describe("hostile MCP configs", () => {
  it("reports malformed JSON as bad input, never a crash", () => {
    throwsBadInput(() => parseMcpConfig('{"mcpServers": {"a": {"command": }', { file: "mcp.json" }));
  });

  it("refuses nesting deeper than the limit before parsing it", () => {
    const deep = `{"mcpServers": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    throwsBadInput(() => parseMcpConfig(deep, { file: "mcp.json" }));
    throwsBadInput(() => parseMcpConfig(`mcpServers: ${"[".repeat(100_000)}`, { file: "mcp.yaml" }));
  });

  it("refuses a document over the size limit", () => {
    const big = `{"mcpServers": {}, "pad": "${"x".repeat(MCP_DOCUMENT_LIMITS.maxBytes)}"}`;
    throwsBadInput(() => parseMcpConfig(big, { file: "mcp.json" }));
  });

  it("refuses YAML alias bombs and malformed TOML as bad input", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
      "mcpServers: {}",
    ].join("\n");
    throwsBadInput(() => parseMcpConfig(bomb, { file: "mcp.yaml" }));
    throwsBadInput(() => parseMcpConfig("[mcp_servers.a\ncommand = ", { file: "config.toml" }));
  });

  it("reports an unterminated comment as bad input", () => {
    throwsBadInput(() => parseMcpConfig('{"servers": {} /* never closed', { file: ".vscode/mcp.json" }));
  });

  it("reads at most MAX_MCP_SERVERS servers from one file", () => {
    const many = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`s${i}`, { command: "node", args: [`s${i}.js`] }]),
    );
    const result = parseMcpConfig(JSON.stringify({ mcpServers: many }), { file: "mcp.json" });
    assert.equal(result.servers.length, MAX_MCP_SERVERS);
  });

  it("keeps a `__proto__` server name a plain name", () => {
    const result = parseMcpConfig('{"mcpServers": {"__proto__": {"command": "npx", "args": ["x@1"]}}}', {
      file: "mcp.json",
    });
    assert.deepEqual(names(result), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>).command, undefined);
  });

  it("never throws from detection, whatever the text (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.constantFrom("a.json", "a.yaml", "a.toml", "a.properties"),
        (text, file) => {
          detectMcpConfig(`mcp ${text}`, { file, secrets });
          detectMcpConfig(text, { file, secrets });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds no servers in JSON without an MCP key, and every server in an `mcpServers` table (property)", () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !/mcp|servers/i.test(k));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(key, fc.jsonValue({ maxDepth: 3 })), (value, extra) => {
        const unrelated = JSON.stringify({ ...extra, data: value });
        assert.equal(detectMcpConfig(unrelated, { file: "data.json" })?.servers.length ?? 0, 0);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          key,
          fc.record({
            command: fc.constantFrom("npx", "uvx", "node"),
            args: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
          }),
          { minKeys: 1 },
        ),
        (servers) => {
          const result = detectMcpConfig(JSON.stringify({ mcpServers: servers }, null, 2), { file: "anything.json" });
          assert.deepEqual(result?.servers.map((s) => s.name).sort(), Object.keys(servers).sort());
          assert.ok(result?.servers.every((s) => s.line !== undefined && s.line > 1));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("servers declared stdio without a command (shared launcher manifests)", () => {
  it("reads entries with transport stdio and a launcher or package, and nothing without either", () => {
    const text = JSON.stringify({
      name: "team-mcp-manifest",
      servers: {
        github: { transport: "stdio", launcher: "launchers/github.mjs", package: "github-mcp" },
        devtools: { transport: "stdio", package: "chrome-devtools-mcp@0.8.1" },
        docs: { transport: "http", url: "https://docs.example.com/mcp" },
        odd: { transport: "stdio", description: "no launcher, no package" },
        notstdio: { launcher: "x.mjs" },
      },
    });
    const r = parseMcpConfig(text, { file: "tools/mcp.manifest.json" });
    assert.deepEqual(
      r.servers.map((s) => [s.name, s.transport, s.command ?? s.url, s.package, s.version]),
      [
        ["github", "stdio", "launchers/github.mjs", "github-mcp", undefined],
        ["devtools", "stdio", "chrome-devtools-mcp@0.8.1", "chrome-devtools-mcp", "0.8.1"],
        ["docs", "http", "https://docs.example.com/mcp", undefined, undefined],
      ],
    );
    assert.equal(r.findings.filter((f) => f.ruleId === "code.mcp-unpinned-server").length, 0);
  });
});

describe("server tables inside lists (issue 15, round 5)", () => {
  it("reads mcpServers of each entry of a plugin marketplace's plugins list", () => {
    const text = JSON.stringify({
      name: "tools",
      plugins: [
        { name: "search", source: "./", mcpServers: { search: { type: "http", url: "https://example.test/mcp" } } },
        { name: "docs", keywords: ["mcp"] },
      ],
    });
    const result = parseMcpConfig(text, { file: ".claude-plugin/marketplace.json" });
    assert.deepEqual(names(result), ["search"]);
  });
});
