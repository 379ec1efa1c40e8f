/**
 * The `palisade` command. Commands are thin: they parse flags, call modules, print results.
 * Every failure ends as one line on stderr and an exit code from the one table in exit-codes.ts.
 */
import { Command, CommanderError, Option } from "commander";
import { describeError, isPalisadeError, LOG_LEVELS } from "../core/index.js";
import { withExamples } from "./command-helpers.js";
import { registerConfig } from "./commands/config.js";
import { registerDb } from "./commands/db.js";
import { registerDetect } from "./commands/detect.js";
import { registerDetectInjection } from "./commands/detect-injection.js";
import { registerGateway } from "./commands/gateway.js";
import { registerKeys } from "./commands/keys.js";
import { registerPolicy } from "./commands/policy.js";
import { registerScanCode } from "./commands/scan-code.js";
import { registerScanFs } from "./commands/scan-fs.js";
import { registerScanModel } from "./commands/scan-model.js";
import { packageVersion, registerVersion } from "./commands/version.js";
import { createContext } from "./context.js";
import { EXIT, type ExitCode, exitCodeFor } from "./exit-codes.js";

export function buildProgram(): Command {
  const program = new Command("palisade")
    .description("Palisade: security for self-hosted AI (AI-BOM, gates, AI and MCP gateways, runtime, incidents)")
    .version(packageVersion(), "-V, --version", "print the version number")
    .option("-c, --config <file>", "configuration file (default: $PALISADE_CONFIG or ./palisade.yaml)")
    .option(
      "--db <path-or-url>",
      "store: a SQLite file or a postgres:// URL (default: $PALISADE_DATABASE_URL or ~/.palisade/palisade.db)",
    )
    .addOption(new Option("--log-level <level>", "log level on stderr").choices(LOG_LEVELS))
    .exitOverride()
    .configureOutput({ outputError: writeUsageError });
  program.addHelpText(
    "after",
    "\nExamples:\n  $ palisade db migrate\n  $ palisade db status --format json\n  $ palisade config check ./palisade.yaml\n\nExit codes: 0 done, 1 gate failed, 2 bad usage or input, 3 internal error.\n",
  );
  registerVersion(program);
  registerDb(program, (globals) => createContext(globals));
  registerConfig(program);
  registerDetectInjection(registerDetect(program));
  const scan = program.command("scan").description("scan code, images and model files for AI risks");
  withExamples(scan, [
    "palisade scan model ./models",
    "palisade scan model ./models --policy policy.yaml --exit-code --format sarif",
  ]);
  registerScanCode(scan);
  registerScanModel(scan);
  registerScanFs(scan);
  registerPolicy(program);
  registerGateway(program);
  registerKeys(program);
  // Subcommands inherit exit override and error output so usage errors are exit 2 everywhere.
  for (const command of allCommands(program)) {
    command
      .exitOverride()
      .configureOutput({ outputError: (message, write) => write(`palisade: ${message.replace(/^error: /, "")}`) });
  }
  return program;
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
  try {
    await program.parseAsync([...argv]);
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
