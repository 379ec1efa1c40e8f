/**
 * The CLI contract of docs/cli.md, checked on every command `palisade --help` lists: `--help`
 * exits 0 with examples; bad usage or bad input exits 2 with one line naming the input, within
 * seconds, and changes nothing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { buildProgram, defineCommands, normaliseExitCodeFlag } from "../src/cli/main.js";
import { type CliResult, runCli } from "./helpers/cli.js";

/** A bad-input run must end well within this; a hang is killed and fails the test. */
const TIMEOUT_MS = 20_000;

/** The command at `path` (`["scan", "fs"]`) under `program`. */
function commandAt(program: Command, path: readonly string[]): Command {
  let command = program;
  for (const name of path) command = command.commands.find((c) => c.name() === name) ?? command;
  return command;
}

/** A command with a placeholder for each required argument, so option checks are reached. */
function withRequiredArguments(program: Command, path: string[]): string[] {
  const command = commandAt(program, path);
  return [
    ...path,
    ...command.registeredArguments.filter((a) => a.required).map(() => "placeholder"),
    ...command.options.filter((o) => o.mandatory).flatMap((o) => [o.long ?? "", o.argChoices?.[0] ?? "placeholder"]),
  ];
}

/** Every command path below `command`: groups (`["db"]`) and the commands in them (`["db", "status"]`). */
function commandPaths(command: Command, path: string[] = []): string[][] {
  return command.commands
    .filter((c) => c.name() !== "help")
    .flatMap((c) => {
      const here = [...path, c.name()];
      return c.commands.length > 0 ? [here, ...commandPaths(c, here)] : [here];
    });
}

const tempDir = () => mkdtempSync(join(tmpdir(), "palisade-contract-"));

/** Exit 2 with exactly one non-empty stderr line starting `palisade:` that matches `pattern`. */
function assertBadInput(result: CliResult, pattern: RegExp, label: string): void {
  assert.ok(!result.timedOut, `${label}: still running after ${TIMEOUT_MS} ms`);
  assert.equal(result.code, 2, `${label}: exit ${result.code}\n${result.stderr}`);
  const lines = result.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `${label}: expected one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0] ?? "", /^palisade: /, label);
  assert.match(lines[0] ?? "", pattern, label);
}

/** Run `check` over `items` a few at a time: each CLI start is mostly waiting on the loader. */
async function eachConcurrently<T>(items: readonly T[], check: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await check(item);
    }),
  );
}

const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(args, { timeoutMs: TIMEOUT_MS, ...options });

describe("CLI contract on every command", async () => {
  const program = buildProgram();
  await defineCommands(program);
  const commands = commandPaths(program);

  it("lists the commands this version ships, and only those", () => {
    const names = commands.map((c) => c.join(" "));
    for (const expected of [
      "scan fs",
      "scan code",
      "scan model",
      "scan image",
      "scan registry",
      "worker",
      "detect pii",
      "gateway",
      "keys create",
      "mcp proxy",
      "gate registry",
      "sign image",
    ])
      assert.ok(names.includes(expected), expected);
    for (const expected of ["events ingest", "events serve", "incident trace", "audit verify"])
      assert.ok(names.includes(expected), expected);
  });

  it("offers --format json on every command (README: every command takes --format)", () => {
    for (const path of commands) {
      const command = commandAt(program, path);
      if (command.commands.length > 0) continue;
      const format = command.options.find((o) => o.attributeName() === "format");
      assert.ok(format?.argChoices?.includes("json"), `${path.join(" ")} takes --format json`);
    }
  });

  it("answers --help with examples and exit 0 on each command", async () => {
    await eachConcurrently([[], ...commands], async (args) => {
      const result = await run([...args, "--help"]);
      assert.equal(result.code, 0, `${args.join(" ")} --help: ${result.stderr}`);
      assert.match(result.stdout, /Examples:\n {2}\$ palisade/, `${args.join(" ")} --help has examples`);
    });
  });

  it("answers an unknown option with exit 2 and one line on each command", async () => {
    await eachConcurrently(commands, async (args) => {
      const result = await run([...args, "--no-such-option"]);
      assertBadInput(
        result,
        /no-such-option|unknown|missing|required|needs a command/,
        `${args.join(" ")} --no-such-option`,
      );
    });
  });

  it("answers a --format a command does not offer with exit 2 and one line on each command", async () => {
    await eachConcurrently(commands, async (path) => {
      const args = withRequiredArguments(program, path);
      const result = await run([...args, "--format", "xml"]);
      assertBadInput(result, /xml|format/, `${args.join(" ")} --format xml`);
    });
  });

  it("stops every command on a bad --config, not only the ones that use the store", async () => {
    const dir = tempDir();
    const config = join(dir, "palisade.yaml");
    writeFileSync(config, "store:\n  pathh: typo.db\n");
    for (const args of [["version"], ["scan", "fs", dir], ["detect", "pii", "--text", "x"], ["policy", "rules"]]) {
      const result = await run(["--config", config, ...args]);
      assertBadInput(result, /palisade\.yaml/, `--config ${args.join(" ")}`);
    }
  });
});

describe("CLI bad input", () => {
  it("refuses an impossible key expiry and leaves the store as it was", async () => {
    const db = join(tempDir(), "palisade.db");
    assert.equal((await run(["keys", "create", "first", "--db", db])).code, 0);
    const before = await run(["keys", "list", "--db", db, "--format", "json"]);
    for (const expires of ["99999999y", "0d", "1.5d"]) {
      assertBadInput(await run(["keys", "create", "w", "--expires", expires, "--db", db]), /--expires/, expires);
    }
    const after = await run(["keys", "list", "--db", db, "--format", "json"]);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, before.stdout);
  });

  it("refuses a store location it cannot use, creating nothing", async () => {
    const cwd = tempDir();
    for (const [db, pattern] of [
      ["mysql://x", /unsupported store mysql:\/\/x/],
      ["redis://127.0.0.1/0", /unsupported store/],
      ["", /store location is empty/],
      ["/proc/palisade-test/x/palisade.db", /cannot create the store's folder \/proc\/palisade-test/],
      ["file:store.db", /give a file:\/\/\/absolute\/path URL/],
      ["file:///tmp/x.db?mode=ro", /give a file:\/\/\/absolute\/path URL/],
      ["mysql:/u:secretpw@h/x", /unsupported store mysql:\/u:\*\*\*@h\/x/],
    ] as const) {
      assertBadInput(await run(["db", "migrate", "--db", db], { cwd }), pattern, `--db ${db}`);
    }
    assert.deepEqual(readdirSync(cwd), [], "no folder named after a URL scheme");
  });

  it("opens a file: URL as the SQLite file it names", async () => {
    const dir = tempDir();
    const result = await run(["db", "migrate", "--db", `file://${dir}/x.db`, "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { location: string }).location, join(dir, "x.db"));
  });

  it("refuses a policy init path it cannot write, naming it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a-file"), "x");
    mkdirSync(join(dir, "a-folder"));
    symlinkSync(join(dir, "loop"), join(dir, "loop"));
    writeFileSync(join(dir, "exists.yaml"), "x");
    for (const [target, pattern] of [
      [join(dir, "missing", "policy.yaml"), /folder does not exist/],
      [join(dir, "a-file", "policy.yaml"), /is a file, not a folder/],
      [join(dir, "a-folder"), /it is a folder/],
      [join(dir, "loop"), /symbolic links/],
      [join(dir, "exists.yaml"), /exists; use --force/],
      ["/proc/version", /cannot write/],
      ["", /empty/],
    ] as const) {
      assertBadInput(await run(["policy", "init", target]), pattern, `policy init ${target}`);
    }
  });

  it("refuses a symlink loop given to policy test", async () => {
    const dir = tempDir();
    symlinkSync(join(dir, "loop"), join(dir, "loop"));
    assertBadInput(await run(["policy", "test", join(dir, "loop")]), /cannot read .*loop: ELOOP/, "policy test loop");
  });

  it("refuses an unknown upstream kind or a non-HTTP upstream URL at once", async () => {
    for (const [flags, pattern] of [
      [["--upstream-kind", "frob", "--upstream", "http://127.0.0.1:1"], /frob/],
      [["--upstream", "not a url"], /--upstream must be an http/],
      [["--upstream", "ftp://x"], /ftp:\/\/x/],
      [["--upstream", "htp://admin:secretpw@host"], /htp:\/\/admin:\*\*\*@host$/],
    ] as const) {
      const result = await run(["gateway", ...flags, "--no-auth", "--db", join(tempDir(), "g.db")]);
      assertBadInput(result, pattern, flags.join(" "));
    }
  });

  it("exits 2 naming the address when the listen port is in use, instead of running on", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await run([
        "gateway",
        "--upstream",
        "http://127.0.0.1:1",
        "--no-auth",
        "--listen",
        `127.0.0.1:${port}`,
        "--db",
        join(tempDir(), "g.db"),
      ]);
      assertBadInput(result, new RegExp(`127\\.0\\.0\\.1:${port}: the address is already in use`), "listen in use");
    } finally {
      blocker.close();
    }
  });

  it("exits 3 in one line when Redis is unreachable at start, instead of running on", async () => {
    const dir = tempDir();
    const config = join(dir, "palisade.yaml");
    writeFileSync(config, "gateway:\n  redisUrl: redis://127.0.0.1:1/0\n");
    const result = await run([
      "--config",
      config,
      "gateway",
      "--upstream",
      "http://127.0.0.1:1",
      "--no-auth",
      "--listen",
      "127.0.0.1:0",
      "--db",
      join(dir, "g.db"),
    ]);
    assert.ok(!result.timedOut, "still running");
    assert.equal(result.code, 3, result.stderr);
    const lines = result.stderr.split("\n").filter((l) => l.trim() !== "");
    assert.deepEqual(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? "", /^palisade: cannot connect to Redis at redis:\/\/127\.0\.0\.1:1\/0/);
  });

  it("takes a global --format before the command as well as after it", async () => {
    const before = await run(["--format", "json", "version"]);
    assert.equal(before.code, 0, before.stderr);
    assert.equal(typeof (JSON.parse(before.stdout) as { palisade: string }).palisade, "string");
    assertBadInput(await run(["--format", "sarif", "version"]), /version --format must be one of table, json/, "sarif");
  });

  it("accepts Trivy's --exit-code 1 spelling and refuses other numbers", async () => {
    const dir = tempDir();
    const trivy = await run(["scan", "fs", dir, "--exit-code", "1"]);
    assert.equal(trivy.code, 0, trivy.stderr);
    assertBadInput(await run(["scan", "fs", dir, "--exit-code", "7"]), /--exit-code takes no value, or 0 or 1/, "7");
  });
});

describe("CLI logs", () => {
  const hasScript = spawnSync("script", ["--version"]).status === 0;

  it("writes readable lines on a terminal", { skip: hasScript ? false : "needs script(1) from util-linux" }, () => {
    const db = join(tempDir(), "palisade.db");
    // script(1) gives the CLI a pseudo-terminal on stdin, stdout and stderr.
    const shown = spawnSync(
      "script",
      [
        "-qec",
        `${JSON.stringify(process.execPath)} bin/palisade.js db migrate --db ${JSON.stringify(db)}`,
        "/dev/null",
      ],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", PALISADE_CONFIG: "" }, timeout: TIMEOUT_MS },
    );
    const log = shown.stdout.split(/\r?\n/).find((l) => l.includes("store migrated")) ?? "";
    assert.match(log, /^\[\d\d:\d\d:\d\d\] INFO: store migrated \{"store":/, shown.stdout);
  });

  it("writes JSON lines when stderr is piped, or when --log-format json asks", async () => {
    for (const extra of [[], ["--log-format", "json"]]) {
      const result = await run(["db", "migrate", "--db", join(tempDir(), "palisade.db"), ...extra]);
      const entry = JSON.parse(result.stderr.split("\n")[0] ?? "") as { msg: string; level: number };
      assert.equal(entry.msg, "store migrated");
    }
    const pretty = await run(["db", "migrate", "--db", join(tempDir(), "palisade.db"), "--log-format", "pretty"]);
    assert.match(pretty.stderr, /INFO: store migrated/);
  });
});

describe("normaliseExitCodeFlag", async () => {
  const program = buildProgram();
  await defineCommands(program);
  const normalise = (args: string[]) => normaliseExitCodeFlag(program, args);

  it("turns Trivy's spellings into the switch on commands that gate", () => {
    assert.deepEqual(normalise(["scan", "fs", "--exit-code", "1", "."]), ["scan", "fs", "--exit-code", "."]);
    assert.deepEqual(normalise(["scan", "fs", "--exit-code=1", "."]), ["scan", "fs", "--exit-code", "."]);
    assert.deepEqual(normalise(["scan", "fs", "--exit-code", "0", "."]), ["scan", "fs", "."]);
    assert.deepEqual(normalise(["scan", "fs", ".", "-p", "a.yaml", "b.yaml", "--exit-code", "1"]), [
      "scan",
      "fs",
      ".",
      "-p",
      "a.yaml",
      "b.yaml",
      "--exit-code",
    ]);
  });

  it("leaves paths, other options' values, other commands and what follows -- alone", () => {
    for (const args of [
      ["scan", "fs", "--exit-code", "./models"],
      ["detect", "secrets", "--text", "--exit-code=5"],
      ["detect", "secrets", "--text", "--exit-code", "7"],
      ["db", "status", "--exit-code=1"],
      ["scan", "fs", ".", "--", "--exit-code", "1"],
    ]) {
      assert.deepEqual(normalise(args), args, args.join(" "));
    }
  });
});
