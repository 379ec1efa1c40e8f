/** `palisade version`: what is running, for bug reports. */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { formatOption, withExamples } from "../command-helpers.js";
import { createOutput, renderPairs } from "../output.js";

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export function registerVersion(program: Command): void {
  const command = program
    .command("version")
    .description("print the Palisade, Node.js and SQLite versions")
    .addOption(formatOption())
    .action(async (options: { format: string }) => {
      const { default: BetterSqlite3 } = await import("better-sqlite3");
      const memory = new BetterSqlite3(":memory:");
      const sqlite = (memory.prepare("select sqlite_version() as v").get() as { v: string }).v;
      memory.close();
      const info = {
        palisade: packageVersion(),
        node: process.version,
        sqlite,
        platform: `${process.platform}-${process.arch}`,
      };
      const out = createOutput();
      if (options.format === "json") out.json(info);
      else out.text(renderPairs(Object.entries(info)));
    });
  withExamples(command, ["palisade version", "palisade version --format json"]);
}
