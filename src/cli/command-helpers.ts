/**
 * Pieces every command shares: the --format option, the examples section of --help, the command
 * context, and the groups whose commands are defined only when used.
 *
 * Defining commands must stay cheap: `palisade --help` and `--version` define every command, so
 * a definition imports only this file, commander, core and other light files. What a command
 * runs with (detectors, scanners, the store...) it imports in its action, with `await import`.
 */
import { type Command, Option } from "commander";
import type { CommandContext, GlobalOptions } from "./context.js";
import { BASE_FORMATS } from "./output.js";

/** `--format` with the choices a command supports (table and json everywhere). */
export function formatOption(extra: readonly string[] = []): Option {
  return new Option("-f, --format <format>", "output format").choices([...BASE_FORMATS, ...extra]).default("table");
}

/** Append an Examples section to a command's --help. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
}

/** Commands that run their own action and also have subcommands (main.ts leaves them alone). */
export const RUNS_OWN_ACTION = new WeakSet<Command>();

/** A command's context from its global options, as commands that take one are given it. */
export type Contextual = (globals: GlobalOptions) => Promise<CommandContext>;

/** The command context (configuration, logger, store), loaded when a command runs: the store's drivers too. */
export const commandContext: Contextual = async (globals) => (await import("./context.js")).createContext(globals);

const definedLater = new WeakMap<Command, () => Promise<void>>();

/**
 * Define a group's commands when the group is used (run, or its help shown) instead of at start:
 * for groups whose definitions need a module that is slow to load (choices, defaults).
 * main.ts calls `defineNow` for the groups a command line names.
 */
export function defineLater(group: Command, define: () => Promise<void>): Command {
  definedLater.set(group, define);
  return group;
}

/** Whether the group's commands are still to be defined. */
export function isDefinedLater(group: Command): boolean {
  return definedLater.has(group);
}

/** Define the group's commands now if they were left for later; resolves to whether it did. */
export async function defineNow(group: Command): Promise<boolean> {
  const define = definedLater.get(group);
  if (!define) return false;
  definedLater.delete(group);
  await define();
  return true;
}
