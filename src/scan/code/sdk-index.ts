/** Resolve an import to the catalogued SDK that provides it (longest matching prefix wins). */
import type { AiCatalog, Ecosystem, SdkEntry } from "./catalog.js";
import type { SourceLanguage } from "./walk.js";

/** The package ecosystem whose SDKs a language's imports resolve to. */
export function ecosystemOf(language: SourceLanguage | "notebook"): Ecosystem {
  switch (language) {
    case "python":
    case "notebook":
      return "pypi";
    case "go":
      return "go";
    case "java":
      return "maven";
    default:
      return "npm";
  }
}

const SEPARATOR: Record<Ecosystem, string> = { pypi: ".", npm: "/", go: "/", maven: "." };

/** Import prefixes per ecosystem, longest first. */
export interface SdkIndex {
  resolve(ecosystem: Ecosystem, module: string): SdkEntry | undefined;
  byName(ecosystem: Ecosystem, name: string): SdkEntry | undefined;
  /** Every import prefix, for the cheap pre-filter that decides whether a file is parsed. */
  prefixes: string[];
}

export function createSdkIndex(catalog: AiCatalog): SdkIndex {
  const prefixes = new Map<Ecosystem, { prefix: string; sdk: SdkEntry }[]>();
  const names = new Map<string, SdkEntry>();
  for (const sdk of catalog.sdks) {
    names.set(`${sdk.ecosystem}:${sdk.ecosystem === "pypi" ? sdk.name.toLowerCase() : sdk.name}`, sdk);
    const list = prefixes.get(sdk.ecosystem) ?? [];
    for (const prefix of sdk.imports) list.push({ prefix, sdk });
    prefixes.set(sdk.ecosystem, list);
  }
  for (const list of prefixes.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    resolve(ecosystem, module) {
      const sep = SEPARATOR[ecosystem];
      for (const { prefix, sdk } of prefixes.get(ecosystem) ?? []) {
        if (module === prefix || module.startsWith(prefix + sep)) return sdk;
      }
      return undefined;
    },
    byName(ecosystem, name) {
      return names.get(`${ecosystem}:${name}`);
    },
    prefixes: [...new Set(catalog.sdks.flatMap((s) => s.imports))],
  };
}
