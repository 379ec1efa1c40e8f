/**
 * Docs that cannot lie: every ```console block in README.md and docs/*.md is run and its output
 * compared with what the page shows. Each page runs in its own empty folder (with `examples/`
 * and `docs/` linked in, as in a clone, and a private HOME, so `~/.palisade` is fresh), its blocks in order, each block as
 * one shell session: `palisade` is the built CLI, stdout and stderr are shown together as on a
 * terminal, and `$ echo $?` shows the last exit code.
 *
 * Matching: lines are compared after trimming trailing spaces; `[..]` in an expected line
 * matches any text within the line, and a line that is just `...` matches any number of lines
 * (for timings, hashes and long listings). Blocks that illustrate without running (a server,
 * a request to it) use another fence (`bash`, `text`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

interface ConsoleBlock {
  /** 1-based line of the opening fence. */
  line: number;
  commands: { command: string; expected: string[] }[];
}

/** The ```console blocks of a page: `$ ` lines are commands, the lines after them their output. */
export function consoleBlocks(markdown: string): ConsoleBlock[] {
  const blocks: ConsoleBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== "```console") continue;
    const block: ConsoleBlock = { line: i + 1, commands: [] };
    for (i++; i < lines.length && lines[i]?.trim() !== "```"; i++) {
      const text = lines[i] ?? "";
      if (text.startsWith("$ ")) block.commands.push({ command: text.slice(2), expected: [] });
      else block.commands.at(-1)?.expected.push(text);
    }
    blocks.push(block);
  }
  return blocks;
}

/** Does `actual` match `expected`, with `[..]` inside lines and `...` lines as wildcards? */
export function matchesOutput(expected: readonly string[], actual: readonly string[]): boolean {
  const want = trimBlankEnds(expected.map((l) => l.trimEnd()));
  const got = trimBlankEnds(actual.map((l) => l.trimEnd()));
  const lineMatches = (pattern: string, text: string) =>
    pattern.includes("[..]")
      ? new RegExp(`^${pattern.split("[..]").map(escapeRegExp).join(".*")}$`).test(text)
      : pattern === text;
  // Memoised two-pointer match: `...` either ends here or swallows one more actual line.
  const seen = new Map<string, boolean>();
  const match = (w: number, g: number): boolean => {
    const key = `${w},${g}`;
    const known = seen.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (w === want.length) result = g === got.length;
    else if (want[w] === "...") result = match(w + 1, g) || (g < got.length && match(w, g + 1));
    else result = g < got.length && lineMatches(want[w] as string, got[g] as string) && match(w + 1, g + 1);
    seen.set(key, result);
    return result;
  };
  return match(0, 0);
}

function trimBlankEnds(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === "") start++;
  while (end > start && lines[end - 1] === "") end--;
  return lines.slice(start, end);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A folder for one page: `examples/` linked in, `palisade` on PATH, a private HOME. */
function pageFolder(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = mkdtempSync(join(tmpdir(), "palisade-docs-"));
  symlinkSync(join(ROOT, "examples"), join(cwd, "examples"));
  symlinkSync(join(ROOT, "docs"), join(cwd, "docs"));
  const bin = join(cwd, ".bin");
  mkdirSync(bin);
  const shim = join(bin, "palisade");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "bin", "palisade.js")}" "$@"\n`);
  chmodSync(shim, 0o755);
  const home = join(cwd, ".home");
  mkdirSync(home);
  return {
    cwd,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      HOME: home,
      PALISADE_HOME: join(home, ".palisade"),
      COLUMNS: "120",
      NO_COLOR: "1",
      LANG: "C.UTF-8",
      // Logs are left out of the pages: they carry times and vary from run to run.
      PALISADE_LOG_LEVEL: "warn",
    },
  };
}

/** Run one block as one shell session; the output of each command is cut out by markers. */
function runBlock(block: ConsoleBlock, folder: { cwd: string; env: NodeJS.ProcessEnv }): string[][] {
  const marker = (i: number) => `@@palisade-docs-${i}@@`;
  // The marker keeps the previous command's exit status, so `$ echo $?` shows it.
  const script = block.commands
    .map((c, i) => `palisade_status=$?; echo '${marker(i)}'; (exit $palisade_status)\n${c.command}`)
    .join("\n");
  const result = spawnSync("bash", ["-c", `exec 2>&1\n${script}`], {
    cwd: folder.cwd,
    env: folder.env,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(result.error, undefined, `block at line ${block.line} did not finish: ${result.error?.message}`);
  const outputs: string[][] = [];
  let current: string[] | undefined;
  for (const line of result.stdout.split("\n")) {
    if (/^@@palisade-docs-\d+@@$/.test(line)) {
      current = [];
      outputs.push(current);
    } else current?.push(line);
  }
  return outputs;
}

describe("docs examples", () => {
  it("matches output with [..] and ... wildcards, and nothing else", () => {
    assert.ok(matchesOutput(["a [..] c", "...", "z"], ["a b c", "x", "y", "z", ""]));
    assert.ok(matchesOutput(["...", "z"], ["z"]));
    assert.ok(!matchesOutput(["a", "b"], ["a", "c"]));
    assert.ok(!matchesOutput(["a.c"], ["abc"]), "a dot is a dot");
    assert.ok(!matchesOutput(["a"], ["a", "b"]), "extra output fails");
  });

  it("shows the exit code of the command before `echo $?`", () => {
    const block = {
      line: 1,
      commands: [
        { command: "false", expected: [] },
        { command: "echo $?", expected: [] },
      ],
    };
    assert.deepEqual(
      runBlock(block, pageFolder())[1]?.filter((l) => l !== ""),
      ["1"],
    );
  });

  for (const page of PAGES) {
    const blocks = consoleBlocks(readFileSync(join(ROOT, page), "utf8"));
    if (blocks.length === 0) continue;
    it(`${page}: every console block runs and prints what the page shows`, () => {
      const folder = pageFolder();
      for (const block of blocks) {
        const outputs = runBlock(block, folder);
        block.commands.forEach((c, i) => {
          const actual = outputs[i] ?? [];
          assert.ok(
            matchesOutput(c.expected, actual),
            `${page}:${block.line}: $ ${c.command}\n--- page\n${c.expected.join("\n")}\n--- actual\n${actual.join("\n")}`,
          );
        });
      }
    });
  }
});
