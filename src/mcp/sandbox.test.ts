import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { McpSandboxSchema, McpUpstreamSchema } from "../core/index.js";
import { isStdio } from "./config.js";
import { effectiveSandbox, type McpStdioServerConfig, sandboxAvailable } from "./sandbox.js";

function aStdioServer(input: Record<string, unknown> = {}): McpStdioServerConfig {
  const config = McpUpstreamSchema.parse({ command: "node", args: ["server.js"], ...input });
  assert.ok(isStdio(config));
  return config;
}

describe("effectiveSandbox", () => {
  it("uses a server's own sandbox key over the proxy-wide default", () => {
    const own = aStdioServer({ sandbox: { network: true, writable: ["/srv/data"] } });
    assert.deepEqual(effectiveSandbox(own, false), McpSandboxSchema.parse({ network: true, writable: ["/srv/data"] }));
    assert.equal(effectiveSandbox(aStdioServer({ sandbox: false }), true), undefined);
  });

  it("fences a server without a key only when mcp.sandbox is on, with the default grants", () => {
    assert.equal(effectiveSandbox(aStdioServer(), false), undefined);
    assert.deepEqual(effectiveSandbox(aStdioServer(), true), {
      network: false,
      writable: [],
      hidden: [],
      memoryMb: 2048,
      maxProcesses: 256,
      recordExec: true,
    });
  });

  it("hands out a fresh default each time (no shared object a caller could change)", () => {
    const first = effectiveSandbox(aStdioServer(), true);
    first?.writable.push("/");
    assert.deepEqual(effectiveSandbox(aStdioServer(), true)?.writable, []);
  });
});

describe("sandboxAvailable", () => {
  it("says which programs are missing and which Debian packages bring them", async () => {
    assert.deepEqual(await sandboxAvailable({ path: "/nonexistent", tools: { bwrap: "/nonexistent/bwrap" } }), {
      ok: false,
      reason:
        process.getuid?.() === 0
          ? "bwrap, prlimit, setpriv, strace not found on PATH (Debian: apt-get install bubblewrap, util-linux, strace)"
          : "bwrap, prlimit, strace not found on PATH (Debian: apt-get install bubblewrap, util-linux, strace)",
    });
    assert.match(
      ((await sandboxAvailable({ path: "/nonexistent", recordExec: false })) as { reason: string }).reason,
      /^bwrap, prlimit(, setpriv)? not found/,
    );
  });
});
