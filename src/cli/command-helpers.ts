/** Pieces every command shares: the --format option and the examples section of --help. */
import { type Command, Option } from "commander";
import { BASE_FORMATS } from "./output.js";

/** `--format` with the choices a command supports (table and json everywhere). */
export function formatOption(extra: readonly string[] = []): Option {
  return new Option("-f, --format <format>", "output format").choices([...BASE_FORMATS, ...extra]).default("table");
}

/** Append an Examples section to a command's --help. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
}
