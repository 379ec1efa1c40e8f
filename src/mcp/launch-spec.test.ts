import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readLaunch, splitCommandLine, splitCommands } from "./launch-spec.js";

const target = (command: string, ...args: string[]) => readLaunch(command, args).target;
/** The package a command line launches, or a failure when it launches none. */
const pkg = (command: string, ...args: string[]) => {
  const found = target(command, ...args);
  assert.equal(found?.kind, "package", `${command} ${args.join(" ")}`);
  return found as Extract<typeof found, { kind: "package" }>;
};

describe("launch spec", () => {
  it("reads npm launchers and whether the version is exact", () => {
    assert.deepEqual(target("npx", "-y", "@scope/pkg@1.2.3"), {
      kind: "package",
      launcher: "npx",
      ecosystem: "npm",
      name: "@scope/pkg",
      version: "1.2.3",
      exact: true,
    });
    for (const spec of ["pkg", "pkg@latest", "pkg@^1.2.0", "pkg@1", "pkg@next", "@scope/pkg"])
      assert.equal(pkg("npx", "-y", spec).exact, false, spec);
    assert.equal(target("pnpm", "dlx", "pkg@2.0.0")?.name, "pkg");
    assert.equal(target("npm", "exec", "--package=pkg@1.0.0", "--", "bin")?.name, "pkg");
    assert.equal(target("npx", "-p", "pkg@1.0.0", "bin")?.name, "pkg");
    assert.equal(target("C:\\Program Files\\nodejs\\npx.cmd", "-y", "pkg@1.0.0")?.name, "pkg");
    assert.equal(target("pnpm", "install"), undefined);
  });

  it("reads uvx, uv tool run and pipx run", () => {
    assert.equal(pkg("uvx", "mcp-server-fetch==2025.4.7").exact, true);
    assert.equal(pkg("uvx", "pkg@1.4.2").exact, true);
    assert.equal(pkg("uvx", "pkg").exact, false);
    assert.equal(pkg("uvx", "pkg>=1.0").exact, false);
    const from = pkg("uvx", "--from", "git-pkg==0.3.0", "cli");
    assert.deepEqual([from.name, from.exact], ["git-pkg", true]);
    assert.equal(pkg("uv", "tool", "run", "pkg==1.0").exact, true);
    assert.equal(pkg("pipx", "run", "pkg").exact, false);
    assert.equal(pkg("pipx", "run", "--spec", "pkg==2.1", "cli").exact, true);
  });

  it("reads docker and podman images past option values", () => {
    assert.deepEqual(
      target("docker", "run", "-i", "--rm", "-e", "TOKEN", "-v", "/a:/b", "ghcr.io/github/github-mcp-server"),
      { kind: "image", launcher: "docker", name: "ghcr.io/github/github-mcp-server" },
    );
    assert.deepEqual(target("podman", "run", "--network=none", "localhost:5000/mcp:1.2"), {
      kind: "image",
      launcher: "podman",
      name: "localhost:5000/mcp",
      tag: "1.2",
    });
    const pinned = target("docker", "container", "run", "mcp/x@sha256:abc");
    assert.equal(pinned?.kind === "image" && pinned.digest, "sha256:abc");
    assert.equal(target("docker", "ps"), undefined);
  });

  it("sees through shell wrappers, one command deep", () => {
    const bash = readLaunch("bash", ["-lc", "npx -y pkg && echo done"]);
    assert.equal(bash.shell?.shell, "bash");
    assert.equal(bash.target?.name, "pkg");
    assert.equal(readLaunch("/bin/sh", ["-c", "exec uvx 'tool==1.0'"]).target, undefined, "exec is not a launcher");
    assert.equal(readLaunch("cmd", ["/c", "npx", "-y", "pkg@1.0.0"]).target?.name, "pkg");
    assert.equal(readLaunch("pwsh", ["-EncodedCommand", "SQBFAFgA"]).shell?.encoded, true);
    assert.equal(readLaunch("sh", ["-c", "cd ~/notes && npx -y notes-mcp"]).target?.name, "notes-mcp");
    assert.equal(readLaunch("bash", ["server.sh"]).shell, undefined, "a script file is not a -c wrapper");
    assert.equal(readLaunch("bash", ["-e", "server.sh"]).shell, undefined);
  });

  it("finds the URL an mcp-remote bridge connects to", () => {
    assert.equal(
      readLaunch("npx", ["-y", "mcp-remote@0.1.29", "http://10.0.0.1/sse"]).bridgeUrl,
      "http://10.0.0.1/sse",
    );
  });

  it("splits command lines without throwing, whatever the text", () => {
    assert.deepEqual(splitCommandLine(`a "b c" 'd' e; f`), ["a", "b c", "d", "e"]);
    assert.deepEqual(splitCommands("a b && c | d; e & f || g"), [["a", "b"], ["c"], ["d"], ["e"], ["f"], ["g"]]);
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 6 }), (cmd, args) => {
        splitCommandLine(cmd);
        readLaunch(cmd, args);
      }),
    );
  });
});
