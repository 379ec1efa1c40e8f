/**
 * The AI catalog: SDK packages per ecosystem, model-identifier patterns per provider and
 * inference-server images, read from `rules/` (data users extend without code) and validated
 * with strict zod schemas so a typo names its file and line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PalisadeError, parseYamlSource, validateYaml } from "../../core/index.js";
import { createSdkIndex } from "./sdk-index.js";

/** Package ecosystems the manifests and the catalog speak, named as in purl types. */
export const ECOSYSTEMS = ["pypi", "npm", "go", "maven", "gem", "cargo"] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export const SDK_CATEGORIES = [
  "provider",
  "local-inference",
  "ml-framework",
  "orchestration",
  "agents",
  "gateway",
  "mcp",
  "vector-store",
  "tooling",
] as const;

/**
 * How an import of a split package family names its package: `match` is a regular expression
 * over the module (`^llama_index\.llms\.(\w+)`), `name` the package with `$1`... filled in.
 */
const ModuleRuleSchema = z.strictObject({ match: z.string().min(1).max(500), name: z.string().min(1) });

const SdkEntrySchema = z.strictObject({
  /**
   * The package name, or a family of names with one trailing `*` (`langchain-*`,
   * `@ai-sdk/*`, `dev.langchain4j:langchain4j*`): every declared package it matches counts,
   * reported under its own name. Exact names win over families.
   */
  name: z.string().min(1),
  provider: z.string().min(1),
  category: z.enum(SDK_CATEGORIES),
  /** Import prefixes (Python modules, npm specifiers, Go import paths, Java packages). */
  imports: z.array(z.string().min(1)),
  /** When present, the package counts as AI only where a file importing it contains one of these. */
  evidence: z.array(z.string().min(1)).optional(),
  /**
   * Packages that bring this one in transitively (`name` or `prefix*`): an import of it in code
   * under a manifest that declares one of them is attributed to that declared package.
   */
  includedIn: z.array(z.string().min(1)).optional(),
  /** For a family: imports it provides, each resolved to the split package named by the rule. */
  modules: z.array(ModuleRuleSchema).optional(),
  /** Extras that bring other catalogued packages in (`trl[vllm]` → vllm): extra → package names. */
  extras: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
  /** Where the entry comes from (registry query and date, project docs), for reviewers. */
  source: z.string().min(1).optional(),
});

export const SdkCatalogFileSchema = z.strictObject({
  ecosystem: z.enum(ECOSYSTEMS),
  /**
   * The command that wrote this file from registry metadata (`*-registry.yaml`). Its entries are
   * a lower layer: a package that a hand-written file answers (same name, a family, a Go major
   * version) keeps the hand-written entry, and the generated one is dropped.
   */
  generatedBy: z.string().min(1).optional(),
  sdks: z.array(SdkEntrySchema).min(1),
});

/** One catalogued AI package in one ecosystem. */
export type SdkEntry = z.infer<typeof SdkEntrySchema> & { ecosystem: Ecosystem };

/**
 * How much a pattern needs around it: `strong` counts in any string literal; `context` needs a
 * model-like name; `hub` (any `org/name`) needs a model name that is not a path; `deployment`
 * needs a deployment name (Azure).
 */
export const MODEL_STRENGTHS = ["strong", "context", "hub", "deployment"] as const;
export type ModelStrength = (typeof MODEL_STRENGTHS)[number];

export const ModelCatalogFileSchema = z.strictObject({
  provider: z.string().min(1),
  /** Files are tried in ascending order (then by name); lower wins when two patterns match. */
  order: z.number().int().default(100),
  patterns: z
    .array(
      z.strictObject({
        regex: z.string().min(1).max(2000),
        strength: z.enum(MODEL_STRENGTHS),
        provider: z.string().min(1).optional(),
        /** Match letters in either case (`Llama`, `LLaMA`, `llama`): model names are written in every case. */
        ignoreCase: z.boolean().optional(),
      }),
    )
    .min(1),
  /**
   * Route prefixes of model routers (LiteLLM's `openrouter/`, `bedrock_converse/`): `<prefix>/<id>`
   * is a model when the id after the prefix is one a strong pattern knows, attributed to `provider`.
   */
  routes: z
    .array(z.strictObject({ prefix: z.string().regex(/^[\w.-]{2,40}$/), provider: z.string().min(1) }))
    .optional(),
});

/** A compiled model-identifier pattern attributed to a provider. */
export interface ModelPattern {
  provider: string;
  strength: ModelStrength;
  regex: RegExp;
}

export const InferenceCatalogFileSchema = z.strictObject({
  inferenceServers: z.array(z.strictObject({ name: z.string().min(1), images: z.array(z.string().min(1)).min(1) })),
});

export const EndpointCatalogFileSchema = z.strictObject({
  aiEndpoints: z.array(
    z.strictObject({
      host: z.string().min(1).max(500),
      provider: z.string().min(1),
      hint: z.string().min(1),
    }),
  ),
});

/** The host of an AI provider's API, for raw HTTP calls made without an SDK. */
export interface AiEndpointEntry {
  host: RegExp;
  provider: string;
  /** A literal substring of every host it matches, for pre-filters. */
  hint: string;
}

export interface InferenceServerEntry {
  name: string;
  images: string[];
}

/** Everything the scanner recognises, compiled once. */
export interface AiCatalog {
  sdks: SdkEntry[];
  models: ModelPattern[];
  inferenceServers: InferenceServerEntry[];
  /** Model router prefixes (`openrouter` → openrouter), lower-case; none when absent. */
  modelRoutes?: ReadonlyMap<string, string>;
  /** AI API hosts (`rules/ai-catalog/endpoints.yaml`); none when absent. */
  aiEndpoints?: AiEndpointEntry[];
}

const RULES = fileURLToPath(new URL("../../../rules/", import.meta.url));

/** The default rules directory shipped with Palisade. */
export function defaultRulesDir(): string {
  return RULES;
}

/** Load `ai-catalog/*.yaml` and `models/*.yaml` under `rulesDir`; throws ValidationError on a bad file. */
export function loadAiCatalog(rulesDir: string = RULES): AiCatalog {
  const sdks: SdkEntry[] = [];
  const generated: SdkEntry[] = [];
  const inferenceServers: InferenceServerEntry[] = [];
  const aiEndpoints: AiEndpointEntry[] = [];
  for (const file of yamlFiles(join(rulesDir, "ai-catalog"))) {
    const source = parseYamlSource(readFileSync(file, "utf8"), file);
    const raw = source.value as Record<string, unknown> | null;
    if (raw && typeof raw === "object" && "inferenceServers" in raw) {
      inferenceServers.push(...validateYaml(InferenceCatalogFileSchema, source).inferenceServers);
      continue;
    }
    if (raw && typeof raw === "object" && "aiEndpoints" in raw) {
      for (const [index, e] of validateYaml(EndpointCatalogFileSchema, source).aiEndpoints.entries()) {
        let host: RegExp;
        try {
          host = new RegExp(e.host, "u");
        } catch (cause) {
          throw new PalisadeError("bad-config", `${file}: aiEndpoints.${index}.host: invalid regular expression`, {
            input: file,
            cause,
          });
        }
        aiEndpoints.push({ host, provider: e.provider, hint: e.hint });
      }
      continue;
    }
    const parsed = validateYaml(SdkCatalogFileSchema, source);
    for (const [index, sdk] of parsed.sdks.entries()) {
      for (const [r, rule] of (sdk.modules ?? []).entries()) {
        try {
          new RegExp(rule.match, "u");
        } catch (cause) {
          throw new PalisadeError(
            "bad-config",
            `${file}: sdks.${index}.modules.${r}.match: invalid regular expression`,
            {
              input: file,
              cause,
            },
          );
        }
      }
      const star = sdk.name.indexOf("*");
      if (star !== -1 && (sdk.name.lastIndexOf("*") !== star || (star !== 0 && star !== sdk.name.length - 1)))
        throw new PalisadeError(
          "bad-config",
          `${file}: sdks.${index}.name: a family takes one leading or trailing '*'`,
          {
            input: file,
          },
        );
      (parsed.generatedBy ? generated : sdks).push({ ...sdk, ecosystem: parsed.ecosystem });
    }
  }
  if (generated.length > 0) {
    const handWritten = createSdkIndex({ sdks, models: [], inferenceServers: [] });
    sdks.push(...generated.filter((sdk) => !handWritten.byName(sdk.ecosystem, sdk.name)));
  }
  const strong: ModelPattern[] = [];
  const weak: ModelPattern[] = [];
  const modelFiles = yamlFiles(join(rulesDir, "models")).map((file) => ({
    file,
    parsed: validateYaml(ModelCatalogFileSchema, parseYamlSource(readFileSync(file, "utf8"), file)),
  }));
  modelFiles.sort((a, b) => a.parsed.order - b.parsed.order || a.file.localeCompare(b.file));
  const modelRoutes = new Map<string, string>();
  for (const { file, parsed } of modelFiles) {
    for (const route of parsed.routes ?? []) modelRoutes.set(route.prefix.toLowerCase(), route.provider);
    for (const [index, p] of parsed.patterns.entries()) {
      let regex: RegExp;
      try {
        regex = new RegExp(p.regex, p.ignoreCase ? "iu" : "u");
      } catch (cause) {
        throw new PalisadeError("bad-config", `${file}: patterns.${index}.regex: invalid regular expression`, {
          input: file,
          cause,
        });
      }
      const pattern = { provider: p.provider ?? parsed.provider, strength: p.strength, regex };
      (p.strength === "strong" ? strong : weak).push(pattern);
    }
  }
  // The catch-all hub pattern (`org/name`) goes last so a provider-specific one wins.
  weak.sort((a, b) => Number(isCatchAll(a)) - Number(isCatchAll(b)));
  return { sdks, models: [...strong, ...weak], inferenceServers, aiEndpoints, modelRoutes };
}

function isCatchAll(pattern: ModelPattern): boolean {
  return pattern.strength === "deployment" || pattern.strength === "hub";
}

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new PalisadeError("bad-config", `${dir}: cannot read the rules directory`, { input: dir, cause });
  }
  return names
    .filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"))
    .sort()
    .map((n) => join(dir, n));
}

/** Count of catalogued SDK packages per ecosystem. */
export function catalogSize(catalog: AiCatalog): Record<Ecosystem, number> {
  const size = { pypi: 0, npm: 0, go: 0, maven: 0, gem: 0, cargo: 0 };
  for (const sdk of catalog.sdks) size[sdk.ecosystem] += 1;
  return size;
}
