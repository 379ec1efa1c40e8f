/** `palisade config check`: validate configuration and show the effective values. */
import type { Command } from "commander";
import { ENV_OVERRIDES, loadConfig, redactUrl } from "../../core/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import type { GlobalOptions } from "../context.js";
import { createOutput, renderPairs } from "../output.js";

export function registerConfig(program: Command): void {
  const config = program.command("config").description("inspect Palisade's configuration");
  withExamples(config, ["palisade config check", "palisade config check ./palisade.yaml"]);

  const check = config
    .command("check")
    .description("validate palisade.yaml (or --config FILE, or FILE) with environment overrides applied")
    .argument("[file]", "configuration file to check (default: --config, $PALISADE_CONFIG or ./palisade.yaml)")
    .addOption(formatOption())
    .action((file: string | undefined, options: { format: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { config: effective, file: source } = loadConfig({ file: file ?? globals.config });
      const shown = {
        ...effective,
        store: { ...effective.store, ...(effective.store.url ? { url: redactUrl(effective.store.url) } : {}) },
      };
      const overrides = ENV_OVERRIDES.filter((o) => process.env[o.env]).map((o) => o.env);
      const out = createOutput();
      if (options.format === "json") {
        out.json({ valid: true, file: source, environment: overrides, config: shown });
        return;
      }
      out.text(
        renderPairs([
          ["file", source ?? "none (defaults)"],
          ["environment", overrides.length === 0 ? "none" : overrides.join(", ")],
          ["valid", "yes"],
        ]),
      );
      out.text("");
      out.text(JSON.stringify(shown, null, 2));
    });
  withExamples(check, [
    "palisade config check",
    "palisade config check deploy/palisade.yaml --format json",
    "PALISADE_LOG_LEVEL=debug palisade config check",
  ]);
}
