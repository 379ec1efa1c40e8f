/**
 * Resolve a declared package name or an import to the catalogued SDK that provides it. Exact
 * names and the longest import prefix win; package families (`langchain-*`) name the split
 * package itself, so an import of `llama_index.llms.openai` is `llama-index-llms-openai`, not
 * the `llama-index` umbrella.
 */
import type { AiCatalog, Ecosystem, SdkEntry } from "./catalog.js";
import { normalizePypi } from "./manifests/types.js";
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

const SEPARATOR: Record<Ecosystem, string> = { pypi: ".", npm: "/", go: "/", maven: ".", gem: "/", cargo: "::" };

/** Import prefixes per ecosystem, longest first. */
export interface SdkIndex {
  resolve(ecosystem: Ecosystem, module: string): SdkEntry | undefined;
  /** The catalogued SDK a declared package is: an exact entry, else a family, under its own name. */
  byName(ecosystem: Ecosystem, name: string): SdkEntry | undefined;
  /** Every import prefix, for the cheap pre-filter that decides whether a file is parsed. */
  prefixes: string[];
}

/**
 * The key names are compared under: PEP 503 for PyPI; crates.io treats `-` and `_` (and case)
 * as the same crate; RubyGems names are unique regardless of case but `-` and `_` differ.
 */
export function packageKey(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === "pypi") return normalizePypi(name);
  if (ecosystem === "cargo") return name.toLowerCase().replace(/_/g, "-");
  if (ecosystem === "gem") return name.toLowerCase();
  return name;
}

interface ModuleRule {
  regex: RegExp;
  name: string;
  sdk: SdkEntry;
}

/** The literal start of a module rule (`^llama_index\.` → `llama_index`) when it ends on a separator. */
function literalPrefix(match: string, sep: string): string | undefined {
  let out = "";
  let i = match.startsWith("^") ? 1 : 0;
  if (match[i] === "(") i += 1;
  while (i < match.length) {
    const c = match[i] as string;
    if (c === "\\" && i + 1 < match.length && /[./:@-]/.test(match[i + 1] as string)) {
      out += match[i + 1];
      i += 2;
    } else if (/[\w/@:-]/.test(c)) {
      out += c;
      i += 1;
    } else break;
  }
  if (!out.endsWith(sep)) return undefined;
  const trimmed = out.slice(0, -sep.length);
  return trimmed || undefined;
}

/** A JitPack coordinate of a GitHub repository: `com.github.USER.REPO:ARTIFACT`. */
const JITPACK_FORK = /^com\.github\.[\w-]{1,60}\.([\w.-]{3,100}):([\w.-]{3,100})$/;

/**
 * The catalogued Go module that `key` is nested in: the longest catalogued path (major-version
 * suffix dropped) that is a parent of it. Only parents of three or more segments (host, owner,
 * repository) count, so a catalogued vanity path never claims its whole host.
 */
function outerGoModule(names: ReadonlyMap<string, SdkEntry>, key: string): SdkEntry | undefined {
  const segments = key.split("/");
  for (let n = segments.length - 1; n >= 3; n -= 1) {
    const parent = segments.slice(0, n).join("/");
    const found = names.get(`go:${parent}`) ?? names.get(`go:${parent.replace(/\/v\d+$/, "")}`);
    if (found) return found;
  }
  return undefined;
}

/** An entry without its module rules (a concrete package stands for itself only). */
function strip(sdk: SdkEntry): SdkEntry {
  const { modules: _m, ...rest } = sdk;
  return rest;
}

export function createSdkIndex(catalog: AiCatalog): SdkIndex {
  const prefixes = new Map<Ecosystem, { prefix: string; sdk: SdkEntry }[]>();
  const names = new Map<string, SdkEntry>();
  const families = new Map<Ecosystem, { stem: string; sdk: SdkEntry }[]>();
  const suffixes = new Map<Ecosystem, { stem: string; sdk: SdkEntry }[]>();
  const rules = new Map<Ecosystem, ModuleRule[]>();
  const literal: string[] = [];
  for (const sdk of catalog.sdks) {
    if (sdk.name.endsWith("*")) {
      const list = families.get(sdk.ecosystem) ?? [];
      list.push({ stem: packageKey(sdk.ecosystem, sdk.name.slice(0, -1)), sdk });
      families.set(sdk.ecosystem, list);
    } else if (sdk.name.startsWith("*")) {
      // A suffix family (`*-mcp`): the name's last segment (after an npm scope) ends with it.
      const list = suffixes.get(sdk.ecosystem) ?? [];
      list.push({ stem: packageKey(sdk.ecosystem, sdk.name.slice(1)), sdk });
      suffixes.set(sdk.ecosystem, list);
    } else names.set(`${sdk.ecosystem}:${packageKey(sdk.ecosystem, sdk.name)}`, sdk);
    const list = prefixes.get(sdk.ecosystem) ?? [];
    for (const prefix of sdk.imports) list.push({ prefix, sdk });
    prefixes.set(sdk.ecosystem, list);
    for (const rule of sdk.modules ?? []) {
      const ruleList = rules.get(sdk.ecosystem) ?? [];
      ruleList.push({ regex: new RegExp(rule.match, "u"), name: rule.name, sdk });
      rules.set(sdk.ecosystem, ruleList);
      const lit = literalPrefix(rule.match, SEPARATOR[sdk.ecosystem]);
      if (lit) literal.push(lit);
    }
  }
  for (const list of prefixes.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
  // The same lists split by the first segment of the prefix (`openai`, `github.com`, `@langchain`):
  // a module can only start with a prefix that shares its first segment.
  const byHead = new Map<string, { prefix: string; sdk: SdkEntry }[]>();
  for (const [ecosystem, list] of prefixes) {
    const sep = SEPARATOR[ecosystem];
    for (const entry of list) {
      const key = `${ecosystem}:${entry.prefix.split(sep, 1)[0]}`;
      const heads = byHead.get(key) ?? [];
      heads.push(entry);
      byHead.set(key, heads);
    }
  }
  for (const list of families.values()) list.sort((a, b) => b.stem.length - a.stem.length);
  const concrete = new Map<string, SdkEntry>();
  /**
   * JitPack's build of a fork, `com.github.USER.REPO:ARTIFACT` where the artifact starts with the
   * repository's name (`com.github.someone.kotlin-sdk:kotlin-sdk-jvm`): the catalogued SDK whose
   * artifact (or artifact family) it is, published from a fork of its repository.
   */
  const jitpackFork = (key: string): SdkEntry | undefined => {
    const m = JITPACK_FORK.exec(key);
    const repo = m?.[1];
    const artifact = m?.[2];
    if (!repo || !artifact?.startsWith(repo)) return undefined;
    for (const [k, sdk] of names)
      if (k.startsWith("maven:") && !k.startsWith("maven:com.github.") && k.endsWith(`:${artifact}`)) return strip(sdk);
    const family = families.get("maven")?.find((f) => {
      const stem = f.stem.slice(f.stem.indexOf(":") + 1);
      return f.stem.includes(":") && stem.length >= repo.length && artifact.startsWith(stem);
    });
    return family ? strip(family.sdk) : undefined;
  };
  const named = (ecosystem: Ecosystem, raw: string): SdkEntry | undefined => {
    const key = packageKey(ecosystem, raw);
    const exact = names.get(`${ecosystem}:${key}`);
    if (exact) return exact;
    const cacheKey = `${ecosystem}:${key}`;
    const cached = concrete.get(cacheKey);
    if (cached) return cached;
    // A Go module's major-version suffix (`/v2`) names the same project as the catalogued path;
    // it is reported under the module path as declared.
    const major = ecosystem === "go" ? names.get(`go:${key.replace(/\/v\d+$/, "")}`) : undefined;
    if (major) {
      const entry: SdkEntry = { ...major, name: raw };
      concrete.set(cacheKey, entry);
      return entry;
    }
    // A module nested in a catalogued module's repository (`github.com/cloudwego/eino-ext/
    // components/model/openai`, its own go.mod in a multi-module repository) is a component of
    // the same project, reported under its own path.
    const outer = ecosystem === "go" ? outerGoModule(names, key) : undefined;
    if (outer) {
      const entry: SdkEntry = { ...strip(outer), name: raw };
      concrete.set(cacheKey, entry);
      return entry;
    }
    // An unscoped npm prefix family (`mcp-*`) also names scoped packages (`@supabase/mcp-utils`).
    const unscoped = ecosystem === "npm" && key.startsWith("@") ? key.slice(key.indexOf("/") + 1) : undefined;
    const family =
      families
        .get(ecosystem)
        ?.find(
          (f) =>
            key.startsWith(f.stem) ||
            (unscoped !== undefined && !f.stem.startsWith("@") && unscoped.startsWith(f.stem)),
        ) ??
      suffixes
        .get(ecosystem)
        ?.find((f) => key.endsWith(f.stem) && key.length > f.stem.length && !key.endsWith(`/${f.stem}`));
    const fork = family ? undefined : jitpackFork(key);
    if (fork) {
      const entry: SdkEntry = { ...fork, name: raw };
      concrete.set(cacheKey, entry);
      return entry;
    }
    if (!family) return undefined;
    const entry: SdkEntry = { ...strip(family.sdk), name: ecosystem === "pypi" ? key : raw };
    concrete.set(cacheKey, entry);
    return entry;
  };
  return {
    resolve(ecosystem, module) {
      const sep = SEPARATOR[ecosystem];
      let best: SdkEntry | undefined;
      let bestLength = 0;
      for (const { prefix, sdk } of byHead.get(`${ecosystem}:${module.split(sep, 1)[0]}`) ?? []) {
        if (module === prefix || module.startsWith(prefix + sep)) {
          best = sdk;
          bestLength = prefix.length;
          // `import "github.com/x/go-anthropic/v2/..."` is the module github.com/x/go-anthropic/v2.
          const major = ecosystem === "go" ? /^\/v\d+(?=\/|$)/.exec(module.slice(prefix.length))?.[0] : undefined;
          if (major && sdk.name === prefix) {
            best = named(ecosystem, prefix + major) ?? sdk;
            bestLength += major.length;
          }
          break;
        }
      }
      for (const rule of rules.get(ecosystem) ?? []) {
        const m = rule.regex.exec(module);
        if (!m || m[0].length <= bestLength) continue;
        const end = m[0].length;
        if (end < module.length && !module.startsWith(sep, end)) continue;
        const name = rule.name.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? "");
        const entry = named(ecosystem, name);
        if (!entry) continue;
        best = entry;
        bestLength = end;
      }
      return best;
    },
    byName: named,
    prefixes: [...new Set([...catalog.sdks.flatMap((s) => s.imports), ...literal])],
  };
}

/** A declared package that is a catalogued SDK, or one an extra of it brings in. */
export interface DeclaredSdk {
  sdk: SdkEntry;
  name: string;
  /** `parent[extra]` when the SDK arrives only through that extra. */
  viaExtra?: string;
}

/**
 * The SDKs a declaration stands for: the package itself when catalogued, plus the packages its
 * extras bring in (`trl[vllm]` → vllm, `crewai[tools]` → crewai-tools) as the catalog lists them.
 */
export function declaredSdks(
  index: SdkIndex,
  pkg: { ecosystem: Ecosystem; name: string; extras?: readonly string[] },
): DeclaredSdk[] {
  const sdk = index.byName(pkg.ecosystem, pkg.name);
  const out: DeclaredSdk[] = sdk ? [{ sdk, name: pkg.name }] : [];
  if (!sdk?.extras || !pkg.extras) return out;
  for (const extra of pkg.extras.slice(0, 50)) {
    for (const name of sdk.extras[extra] ?? []) {
      const brought = index.byName(pkg.ecosystem, name);
      if (brought) out.push({ sdk: brought, name, viaExtra: `${pkg.name}[${extra}]` });
    }
  }
  return out;
}
