/**
 * A stand-alone `palisade scan code` for tests, until the lead wires `scan` into main.ts: a fresh
 * commander program with a `scan` command, the same error-to-exit-code mapping as the CLI.
 */
import { Command, CommanderError } from "commander";
import { registerScanCode } from "../../src/cli/commands/scan-code.js";
import { EXIT, exitCodeFor } from "../../src/cli/exit-codes.js";
import { isPalisadeError } from "../../src/core/index.js";

const program = new Command("palisade").exitOverride();
const scan = program.command("scan").description("scan things").exitOverride();
registerScanCode(scan);
for (const command of scan.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
  process.exitCode = EXIT.ok;
} catch (error) {
  if (error instanceof CommanderError)
    process.exitCode = error.code === "commander.helpDisplayed" ? EXIT.ok : EXIT.badInput;
  else if (isPalisadeError(error)) {
    process.stderr.write(`palisade: ${error.message}\n`);
    process.exitCode = exitCodeFor(error.code);
  } else {
    process.stderr.write(`palisade: internal error\n`);
    process.exitCode = EXIT.internal;
  }
}
