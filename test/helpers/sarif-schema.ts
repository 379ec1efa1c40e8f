/**
 * The official SARIF 2.1.0 JSON Schema, for validating our output in tests. No npm package ships
 * it as a file; Datadog's SARIF plugin (a dev dependency) embeds it as an object literal in its
 * bundle, so we cut that literal out and evaluate it. Test-only; nothing of it ships.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export function loadSarifSchema(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const bundle = readFileSync(require.resolve("@datadog/datadog-ci-plugin-sarif"), "utf8");
  const marker = "var sarif_schema_2_1_0_default = ";
  const start = bundle.indexOf(marker);
  if (start < 0) throw new Error("SARIF schema not found in @datadog/datadog-ci-plugin-sarif");
  let depth = 0;
  let quote: string | undefined;
  let end = start + marker.length;
  for (; end < bundle.length; end++) {
    const c = bundle[end];
    if (quote) {
      if (c === "\\") end++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) break;
  }
  const literal = bundle.slice(start + marker.length, end + 1);
  return new Function(`return (${literal});`)() as Record<string, unknown>;
}
