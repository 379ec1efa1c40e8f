/**
 * The `palisade` command. Commands are thin: they parse flags, call modules, print results.
 * Every failure ends as one line on stderr and an exit code from the one table in exit-codes.ts.
 * Defining the commands loads no module a command runs with: each loads its own when it runs
 * (see command-helpers.ts), so starting the CLI costs little whatever the command.
 */
import { Command, CommanderError, Option } from "commander";
import { describeError, isPalisadeError, LOG_FORMATS, LOG_LEVELS, loadConfig, PalisadeError } from "../core/index.js";
import {
  commandContext,
  defineLater,
  defineNow,
  isDefinedLater,
  RUNS_OWN_ACTION,
  withExamples,
} from "./command-helpers.js";
import { registerAudit } from "./commands/audit.js";
import { registerConfig } from "./commands/config.js";
import { registerDb } from "./commands/db.js";
import { registerGateway } from "./commands/gateway.js";
import { registerK8s } from "./commands/k8s.js";
import { registerKeys } from "./commands/keys.js";
import { registerMcp } from "./commands/mcp.js";
import { registerPolicy } from "./commands/policy.js";
import { registerRedteam } from "./commands/redteam.js";
import { registerSign } from "./commands/sign.js";
import { registerUp } from "./commands/up.js";
import { packageVersion, registerVersion } from "./commands/version.js";
import { registerWorker } from "./commands/worker.js";
import type { GlobalOptions } from "./context.js";
import { EXIT, type ExitCode, exitCodeFor } from "./exit-codes.js";

export function buildProgram(): Command {
  const program = new Command("palisade")
    // Lists only what this version ships; it grows with each capability.
    .description(
      "Palisade: security for self-hosted AI: AI-BOM of code and model files, a policy gate for CI, detectors for PII, secrets and prompt injection, and an OpenAI-compatible AI gateway",
    )
    .version(packageVersion(), "-V, --version", "print the version number")
    .option("-c, --config <file>", "configuration file (default: $PALISADE_CONFIG or ./palisade.yaml)")
    .option(
      "--db <path-or-url>",
      "store: a SQLite file or a postgres:// URL (default: $PALISADE_DATABASE_URL or ~/.palisade/palisade.db)",
    )
    .addOption(new Option("--log-level <level>", "log level on stderr").choices(LOG_LEVELS))
    .addOption(
      new Option("--log-format <format>", "logs on stderr (default: pretty on a terminal, json when piped)").choices(
        LOG_FORMATS,
      ),
    )
    // Also accepted before the command (`palisade --format json db status`); each command checks it.
    .option("-f, --format <format>", "output format: table, json, and per command sarif, cyclonedx...")
    .exitOverride()
    .configureOutput({ outputError: writeUsageError });
  program.addHelpText(
    "after",
    "\nExamples:\n  $ palisade scan fs .\n  $ palisade scan fs . --policy policy.yaml --exit-code --format sarif\n  $ palisade detect secrets .env\n  $ palisade gateway --upstream http://127.0.0.1:11434 --upstream-kind ollama --no-auth\n\nExit codes: 0 done, 1 gate failed, 2 bad usage or input, 3 internal error.\n",
  );
  registerVersion(program);
  registerDb(program, commandContext);
  registerAudit(program, commandContext);
  registerConfig(program);
  // Groups defined when used (defineLater): their commands' choices and defaults come from modules
  // that are slow to load, which `palisade --help` and every other command should not wait for.
  const detect = program.command("detect").description("run Palisade's text detectors on text or files");
  withExamples(detect, ['palisade detect pii --text "call me at +1 415 555 2671"', "palisade detect secrets .env"]);
  defineLater(detect, async () => {
    const [{ registerDetect }, { registerDetectInjection }] = await Promise.all([
      import("./commands/detect.js"),
      import("./commands/detect-injection.js"),
    ]);
    registerDetectInjection(registerDetect(detect));
  });
  const scan = program
    .command("scan")
    .description("scan source trees, model files, container images and registries for AI risks");
  withExamples(scan, [
    "palisade scan fs .",
    "palisade scan code ./app --format cyclonedx",
    "palisade scan model ./models",
    "palisade scan model ./models --policy policy.yaml --exit-code --format sarif",
    "palisade scan image oci:./layout:latest",
    "palisade scan registry 127.0.0.1:5000 --insecure",
  ]);
  defineLater(scan, async () => {
    const [code, model, fs, image, registry] = await Promise.all([
      import("./commands/scan-code.js"),
      import("./commands/scan-model.js"),
      import("./commands/scan-fs.js"),
      import("./commands/scan-image.js"),
      import("./commands/scan-registry.js"),
    ]);
    code.registerScanCode(scan);
    model.registerScanModel(scan);
    fs.registerScanFs(scan);
    image.registerScanImage(scan);
    registry.registerScanRegistry(scan, commandContext);
  });
  registerWorker(program, commandContext);
  registerMcp(program, commandContext);
  registerPolicy(program);
  registerGateway(program);
  registerUp(program);
  registerKeys(program);
  const events = program
    .command("events")
    .description("runtime sensor events (Falco, Tetragon) into the store, correlated into incidents");
  withExamples(events, [
    "palisade events ingest --source falco falco-events.json",
    "palisade events serve --listen 127.0.0.1:8790",
  ]);
  defineLater(events, async () => (await import("./commands/events.js")).registerEvents(events));
  const incident = program
    .command("incident")
    .description("incidents correlated from gateway, MCP and runtime sensor events, and their root-cause traces");
  withExamples(incident, [
    "palisade incident correlate",
    "palisade incident list --status open",
    "palisade incident trace INC-3f2a9c1d0b7e --format mermaid",
  ]);
  defineLater(incident, async () => (await import("./commands/incident.js")).registerIncident(incident));
  const gate = program
    .command("gate")
    .description("run the registry and Kubernetes admission gates (same policy as CI)");
  withExamples(gate, [
    "palisade gate registry --upstream http://127.0.0.1:5000 --listen 127.0.0.1:5050 --policy policy.yaml",
    "palisade gate admission review pod-review.json --policy policy.yaml",
    "palisade gate admission manifests --policy policy.yaml --image ghcr.io/acme/palisade:0.1.0",
  ]);
  defineLater(gate, async () => {
    const [{ registerGateRegistry }, { registerGateAdmission }] = await Promise.all([
      import("./commands/gate-registry.js"),
      import("./commands/gate-admission.js"),
    ]);
    registerGateRegistry(gate);
    registerGateAdmission(gate);
  });
  registerK8s(program, commandContext);
  registerSign(program);
  registerRedteam(program);
  program.hook("preAction", (_root, action) => applyGlobalOptions(program, action));
  finishCommands(allCommands(program));
  return program;
}

/**
 * What every command gets once defined: a group run without a command is a usage error, and
 * usage errors are one line and exit 2 everywhere.
 */
function finishCommands(commands: readonly Command[]): void {
  for (const command of commands) {
    if ((command.commands.length > 0 || isDefinedLater(command)) && !RUNS_OWN_ACTION.has(command))
      requireSubcommand(command);
    command
      .exitOverride()
      .configureOutput({ outputError: (message, write) => write(`palisade: ${message.replace(/^error: /, "")}`) });
  }
}

/**
 * Define the groups left for later (see defineLater) that a command line may reach: those it
 * names (`palisade detect pii`, `palisade help detect`), or with no arguments given all of them.
 */
export async function defineCommands(command: Command, args?: readonly string[]): Promise<void> {
  for (const sub of command.commands) {
    if (args && !args.includes(sub.name())) continue;
    if (await defineNow(sub)) finishCommands(allCommands(sub));
    await defineCommands(sub, args);
  }
}

/**
 * Before any command runs: hand a global `--format` to the command (checked against the formats
 * it offers) and load the configuration, so a bad `--config` stops every command alike.
 */
function applyGlobalOptions(program: Command, action: Command): void {
  const format = program.opts<{ format?: string }>().format;
  if (format !== undefined) {
    const own = action.options.find((o) => o.attributeName() === "format");
    if (!own) {
      throw new PalisadeError("bad-usage", `${commandPath(action)} does not take --format`, { input: format });
    }
    if (own.argChoices && !own.argChoices.includes(format)) {
      throw new PalisadeError(
        "bad-usage",
        `${commandPath(action)} --format must be one of ${own.argChoices.join(", ")}, got ${format}`,
        { input: format },
      );
    }
    action.setOptionValueWithSource("format", format, "cli");
  }
  // `config check FILE` reports on its own file; every other command needs a valid configuration.
  if (commandPath(action) !== "config check") {
    loadConfig({ file: program.opts<GlobalOptions>().config });
  }
}

/**
 * A command group (`db`, `scan`...) run without a command: one line naming the commands, exit 2,
 * instead of commander's full help on stderr.
 */
function requireSubcommand(group: Command): void {
  group
    .usage("[options] [command]")
    .argument("[command]")
    .action((name: string | undefined) => {
      const known = group.commands.map((c) => c.name()).filter((n) => n !== "help");
      const path = commandPath(group);
      throw new PalisadeError(
        "bad-usage",
        name === undefined
          ? `${path} needs a command: ${known.join(", ")} (see palisade ${path} --help)`
          : `unknown command '${name}' for ${path} (known: ${known.join(", ")})`,
        { input: name ?? path },
      );
    });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  // Without the root: messages already start with "palisade: ".
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * Trivy spells the gate flag `--exit-code 1`; ours is a switch. Accept Trivy's spelling so the
 * number is not read as a path: `--exit-code 1` is the switch, `--exit-code 0` leaves it off.
 * Only where `--exit-code` is an option of the command being run, and never inside another
 * option's value (`--text --exit-code=5` is text).
 */
export function normaliseExitCodeFlag(program: Command, args: readonly string[]): string[] {
  const out: string[] = [];
  let command = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const sub = arg.startsWith("-") ? undefined : command.commands.find((c) => c.name() === arg);
    if (sub) {
      command = sub;
      out.push(arg);
      continue;
    }
    const option = arg.startsWith("-") && !arg.includes("=") ? optionOf(command, arg) : undefined;
    if (option && option.long !== "--exit-code" && (option.required || option.optional)) {
      // Its value (or values) pass through untouched.
      out.push(arg);
      do out.push(args[++i] as string);
      while (option.variadic && i + 1 < args.length && !(args[i + 1] as string).startsWith("-"));
      continue;
    }
    const takesExitCode = optionOf(command, "--exit-code") !== undefined;
    const joined = /^--exit-code=(.*)$/.exec(arg)?.[1];
    const next = args[i + 1];
    const value = !takesExitCode
      ? undefined
      : (joined ?? (arg === "--exit-code" && next !== undefined && /^\d+$/.test(next) ? next : undefined));
    if (value === undefined) {
      out.push(arg);
      continue;
    }
    if (joined === undefined) i++;
    if (value === "1") out.push("--exit-code");
    else if (value !== "0") {
      throw new PalisadeError(
        "bad-usage",
        `--exit-code takes no value, or 0 or 1 (a failed gate exits 1), got ${value}`,
        {
          input: value,
        },
      );
    }
  }
  return out;
}

/** The option a flag names on this command or one of its parents. */
function optionOf(command: Command, flag: string): Option | undefined {
  for (let c: Command | null = command; c; c = c.parent) {
    const found = c.options.find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return undefined;
}

/** Commander's usage errors as one line, like every other CLI error. */
function writeUsageError(message: string, write: (text: string) => void): void {
  write(`palisade: ${message.replace(/^error: /, "").trim()} (see --help)\n`);
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Run the CLI; resolves to the exit code instead of calling process.exit, so output is flushed. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  // A stray rejection from a driver or stream must still end as one line and exit 3, not a trace.
  const crash = (error: unknown) => {
    process.stderr.write(`palisade: internal error: ${describeError(error)}\n`);
    process.exit(EXIT.internal);
  };
  // `palisade ... | head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT.ok);
    crash(error);
  });
  process.once("uncaughtException", crash);
  process.once("unhandledRejection", crash);
  const program = buildProgram();
  const args = argv.slice(2);
  try {
    await defineCommands(program, args);
    await program.parseAsync(normaliseExitCodeFlag(program, args), { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander but successes to the user.
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help"
    ) {
      return EXIT.ok;
    }
    return EXIT.badInput;
  }
  if (isPalisadeError(error)) {
    process.stderr.write(`palisade: ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  process.stderr.write(`palisade: internal error: ${describeError(error)}\n`);
  if (process.env.PALISADE_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  return EXIT.internal;
}
