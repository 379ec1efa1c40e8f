/**
 * `scanCodebase(dir)`: walk a source tree once and build its AI-BOM — SDKs from manifests and
 * imports, models, MCP servers, inference servers and GPUs — plus findings for risky patterns
 * and hard-coded AI provider keys. Files that cannot be read become notes, never failures.
 */
import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Finding } from "../../core/index.js";
import { PalisadeError } from "../../core/index.js";
import type { TextDetector } from "../../detect/index.js";
import { type AiCatalog, type Ecosystem, loadAiCatalog, type SdkEntry } from "./catalog.js";
import { configModels, dockerfileModels } from "./config-models.js";
import {
  addProjectName,
  createFirstParty,
  type FirstParty,
  isPrivateWorkspacePackage,
  isShadowedByFirstParty,
} from "./first-party.js";
import { frontMatterYaml } from "./front-matter.js";
import { type GpuUse, type InferenceServerUse, scanDeploymentText } from "./infra.js";
import { parseDockerfilePipInstalls } from "./manifests/inline.js";
import { parseManifestFile } from "./manifests/read.js";
import { type DeclaredPackage, exactVersion, type LockedVersions } from "./manifests/types.js";
import {
  detectMcpConfig,
  type McpConfigResult,
  type McpImplementation,
  type McpServerEntry,
  parseMcpConfig,
  withoutSecretsOn,
} from "./mcp.js";
import { recordModels } from "./records.js";
import type { AiEndpointReport, CodeScanReport, ModelReport, SdkReport } from "./report.js";
import { declaredSdks } from "./sdk-index.js";
import type { SdkUse, ServerClass, ServerClassCall } from "./source/analyze.js";
import { isDefaultOf, selectorSuffixes, subclassServers } from "./source/analyze.js";
import { analyzeOnWorkers } from "./source/pool.js";
import { analyzeSourceFile, createSourceContext, type SourceFileResult, sourceCode } from "./source/source-file.js";
import { textMcpImplementations } from "./text-code.js";
import { DEFAULT_LIMITS, readSourceText, type SkipNote, type WalkedFile, type WalkLimits, walkTree } from "./walk.js";

export interface ScanCodeOptions {
  /** A loaded catalog; defaults to the one shipped in `rules/`. */
  catalog?: AiCatalog;
  /** Secrets detector for hard-coded AI provider keys (`createSecretsDetector()` from detect). */
  secrets?: TextDetector;
  limits?: Partial<WalkLimits>;
  /** Globs (relative to the scanned directory) to leave out, e.g. `["fixtures/**"]`. */
  exclude?: readonly string[];
  /** Called as files are done, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads for parsing source files. Default: up to 4 (one per core) when there are at
   * least 1,000 source files, otherwise parsing stays on the calling thread. 0 disables them.
   */
  workers?: number;
}

/** Entities of the secrets detector that are AI provider keys. */
const AI_KEY =
  /openai|anthropic|claude|hugging|hf_|cohere|mistral|groq|together|replicate|gemini|google_ai|vertex|perplexity|deepseek|xai|fireworks|azure_openai|bedrock|langsmith|langchain|pinecone/i;

/**
 * Config files are parsed for models only when they mention something model-like: a model-ish
 * key, or a word every catalogued strong pattern starts with. Cheap, and most configs have none.
 */
const CONFIG_HINT =
  /model|deploy|engine|llm|checkpoint|pretrained|repo_?id|embed|rerank|gpt|claude|gemini|imagen|veo-|bison|gecko|dall-e|whisper|tts-|babbage|davinci|moderation|anthropic|amazon|meta|cohere|ai21|mistral|mixtral|codestral|pixtral|devstral|voxtral|minimax|command|llama|qwen|deepseek|grok|sonar|groq|ollama|openai|bedrock|azure|together|fireworks|xai|stability|writer|arn:aws/i;

/** Manifests written in TOML, whose tool and metadata tables hold configuration as well as dependencies. */
const TOML_MANIFEST = /^(?:pyproject|Cargo)\.toml$/;

const PALISADE_API = /^palisade\.dev\/v\d+$/;

/**
 * The table a TOML header line opens (`[features]`, `[target.'cfg(unix)'.dependencies]`, `[[bin]]`),
 * or undefined for any other line. Scanned by hand: a regex with optional spaces around a lazy
 * group backtracks cubically on a long line of spaces in a hostile Cargo.toml.
 */
function tomlHeader(line: string): string | undefined {
  const t = line.trim();
  if (!t.startsWith("[")) return undefined;
  const close = t.indexOf("]");
  if (close < 0) return undefined;
  const rest = t.slice(t[close + 1] === "]" ? close + 2 : close + 1).trim();
  if (rest !== "" && !rest.startsWith("#")) return undefined;
  return t.slice(t.startsWith("[[") ? 2 : 1, close).trim();
}

/**
 * A Cargo.toml with its `[features]` table blanked (lines kept): a feature lists other features
 * and `crate/feature` references (`cuda = ["llama-cpp-2/cuda"]`), never a model id.
 */
export function withoutCargoFeatures(text: string): string {
  if (!text.includes("features")) return text;
  let inFeatures = false;
  return text
    .split("\n")
    .map((line) => {
      const header = tomlHeader(line);
      if (header !== undefined) inFeatures = header === "features";
      return inFeatures ? "" : line;
    })
    .join("\n");
}

/**
 * Ruby and Kotlin test files (`*_spec.rb`, `*_test.rb`, `*Test.kt`): their servers are fixtures. A
 * Rust integration test (`tests/*.rs`) that builds a named server is one the repository implements,
 * as a Python or TypeScript test's is.
 */
const TEST_SOURCE = /_(spec|test)\.rb$|Test\.kt$/;

/**
 * A file of Palisade policies or policy tests only. Every document must be one: a policy in
 * front of a Deployment (`---`) must not hide the Deployment's models and GPUs.
 */
function isPalisadePolicyFile(text: string): boolean {
  if (!/palisade\.dev\//.test(text)) return false;
  try {
    const documents = parseAllDocuments(text, { prettyErrors: false });
    if (!Array.isArray(documents) || documents.length === 0) return false;
    return documents.every((doc) => {
      if (doc.errors.length > 0) return false;
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (typeof value !== "object" || value === null) return false;
      const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
      return (
        typeof apiVersion === "string" && PALISADE_API.test(apiVersion) && (kind === "Policy" || kind === "PolicyTest")
      );
    });
  } catch {
    return false;
  }
}

interface Declared extends DeclaredPackage {
  manifest: string;
  sdk: SdkEntry;
}

/** Scan a directory and return its AI-BOM. Throws only when `dir` itself is unusable. */
export async function scanCodebase(dir: string, options: ScanCodeOptions = {}): Promise<CodeScanReport> {
  const started = performance.now();
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch (cause) {
    throw new PalisadeError("bad-input", `${dir}: no such directory`, { input: dir, cause });
  }
  if (!isDir) throw new PalisadeError("bad-input", `${dir}: not a directory`, { input: dir });
  const catalog = options.catalog ?? loadAiCatalog();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const ctx = await createSourceContext(catalog);
  const { files, notes } = walkTree(root, limits, { exclude: options.exclude ?? [] });
  const firstParty: FirstParty = createFirstParty(files.map((f) => f.rel));
  /** The coordinates each pom gives its own project, read once every manifest is. */
  const pomProjects: { rel: string; name: string }[] = [];
  const skipped: SkipNote[] = [...notes];
  const declared: Declared[] = [];
  const locks: { dir: string; ecosystem: Ecosystem; versions: LockedVersions; file: string }[] = [];
  const uses: (SdkUse & { file: string })[] = [];
  const models: ModelReport[] = [];
  const mcpServers: McpServerEntry[] = [];
  const mcpImplementations: McpImplementation[] = [];
  const inferenceServers: InferenceServerUse[] = [];
  const gpus: GpuUse[] = [];
  const findings: Finding[] = [];
  const aiEndpoints: AiEndpointReport[] = [];
  let parsed = 0;

  const addModels = (file: string, found: readonly { id: string; provider: string; line: number }[]) => {
    for (const m of found) models.push({ id: m.id, provider: m.provider, file, line: m.line });
  };
  /** Returns the lines it reported, so an MCP config's own secret check does not repeat them. */
  const checkSecrets = (file: WalkedFile, text: string): Set<number> => {
    const reported = new Set<number>();
    if (!options.secrets) return reported;
    for (const d of options.secrets.detect(text)) {
      if (!AI_KEY.test(d.entity) && !AI_KEY.test(d.ruleId)) continue;
      const line = text.slice(0, d.start).split("\n").length;
      reported.add(line);
      findings.push({
        ruleId: "code.hardcoded-ai-key",
        severity: "critical",
        title: `hard-coded ${d.entity} in source`,
        detail: `A ${d.entity} (${d.ruleId}) is committed in ${file.rel}; rotate it and read it from the environment or a secret store.`,
        location: { path: file.rel, line },
        references: [],
        owasp: ["LLM02:2025"],
        atlas: ["AML.T0055"],
        fingerprint: `code.hardcoded-ai-key:${file.rel}:${line}:${d.ruleId}`,
      });
    }
    return reported;
  };

  /** An MCP config's servers and findings, then the file's AI keys (an AI key in a server's env is reported once). */
  const addMcp = (file: WalkedFile, text: string, result: McpConfigResult | undefined) => {
    const before = findings.length;
    const reported = checkSecrets(file, text);
    const keys = findings.splice(before);
    const kept = withoutSecretsOn(result, reported);
    if (kept) {
      mcpServers.push(...kept.servers);
      mcpImplementations.push(...kept.implementations);
      findings.push(...kept.findings);
    }
    findings.push(...keys);
  };

  const applySource = (file: WalkedFile, result: SourceFileResult) => {
    if (result.skipped) skipped.push(result.skipped);
    if (result.parsed) parsed += 1;
    // Packages a file declares for itself (a PEP 723 `# /// script` block, a notebook's
    // `!pip install`) are uses of kind `script-dependency` / `install`: they join the manifest
    // that also declares the package, else stand as SDKs declared in no project manifest.
    const inline = [
      ...(result.script ?? []).map((p) => [p, "script-dependency"] as const),
      ...(result.installs ?? []).map((p) => [p, "install"] as const),
    ];
    for (const [p, kind] of inline)
      for (const d of declaredSdks(ctx.index, p)) uses.push({ sdk: d.sdk, line: p.line ?? 1, kind, file: file.rel });
    // A JBang `//DEPS` line joins a pom that declares the artifact; alone it is no manifest.
    for (const p of result.jbang ?? [])
      for (const d of declaredSdks(ctx.index, p))
        uses.push({ sdk: d.sdk, line: p.line ?? 1, kind: "script-dependency", file: file.rel, joinOnly: true });
    const analysis = result.analysis;
    if (!analysis) return;
    for (const u of analysis.sdkUses) uses.push({ ...u, file: file.rel });
    addModels(file.rel, analysis.models);
    for (const e of analysis.endpoints) aiEndpoints.push({ ...e, file: file.rel });
    findings.push(...analysis.findings);
    for (const s of analysis.mcpServers) {
      const entry = { name: s.name, file: file.rel, line: s.line, sdk: s.sdk, tools: s.tools };
      mcpImplementations.push(entry);
      if (s.nameRef) unnamed.push({ entry, ref: s.nameRef });
    }
    // `MultiServerMCPClient({...})`: a client's servers written in code, read as a config's table.
    // Its findings (a secret in a server's `env`, an unpinned launch) are kept, placed on the table's line.
    for (const t of analysis.mcpTables ?? []) {
      const table = parseMcpConfig(JSON.stringify({ mcpServers: t.servers }), {
        file: file.rel,
        format: "json",
        ...(options.secrets ? { secrets: options.secrets } : {}),
      });
      mcpServers.push(...table.servers.map((s) => ({ ...s, line: t.line })));
      findings.push(
        ...table.findings.map((f) => ({ ...f, location: { ...f.location, path: file.rel, line: t.line } })),
      );
    }
    for (const c of analysis.serverClasses ?? []) serverClasses.push({ ...c, file: file.rel });
    for (const c of analysis.serverClassCalls ?? []) serverClassCalls.push({ ...c, file: file.rel });
    for (const [name, value] of analysis.nameConstants ?? []) {
      const values = nameConstants.get(name) ?? new Set<string>();
      values.add(value);
      nameConstants.set(name, values);
    }
  };
  /** Servers named by a constant of another file (`Server(settings.APP_NAME)`), and the constants seen. */
  const unnamed: { entry: McpImplementation; ref: string }[] = [];
  const nameConstants = new Map<string, Set<string>>();
  /** MCP server classes of the repository's own and their constructions, matched across files. */
  const serverClasses: (ServerClass & { file: string })[] = [];
  const serverClassCalls: (ServerClassCall & { file: string })[] = [];

  const isSource = (file: WalkedFile) => file.role.kind === "source" || file.role.kind === "notebook";
  const sourceFiles = files.filter(isSource);
  const workers = options.workers ?? (sourceFiles.length >= 1000 ? Math.min(availableParallelism(), 4) : 0);
  let done = 0;
  let precomputed: Map<string, SourceFileResult> | undefined;
  if (workers > 1 && sourceFiles.length > 0) {
    // If the workers cannot start (no loader, no threads), the files are parsed on this thread.
    precomputed = await analyzeOnWorkers({
      files: sourceFiles,
      catalog,
      limits,
      workers,
      onProgress: (finished) => {
        done += finished;
        options.onProgress?.(done, files.length);
      },
    }).catch(() => {
      done = 0;
      return undefined;
    });
  }

  const modelFiles: string[] = [];
  for (const file of files) {
    if (file.role.kind === "model-file") {
      modelFiles.push(file.path);
      continue;
    }
    const pre = isSource(file) ? precomputed?.get(file.rel) : undefined;
    if (pre && !options.secrets) {
      applySource(file, pre);
      continue;
    }
    options.onProgress?.(++done, files.length);
    const text = readSourceText(file, limits);
    if (typeof text !== "string") {
      skipped.push(text);
      continue;
    }
    try {
      switch (file.role.kind) {
        case "source":
        case "notebook": {
          const code = sourceCode(file, text);
          checkSecrets(file, code);
          applySource(file, precomputed?.get(file.rel) ?? analyzeSourceFile(file, text, ctx));
          break;
        }
        case "manifest": {
          const result = parseManifestFile(file.rel, text, (relative) => {
            const target = join(dirname(file.path), relative);
            if (!target.startsWith(root)) return undefined;
            try {
              const t = readFileSync(target, "utf8");
              return t.length <= limits.maxFileBytes ? t : undefined;
            } catch {
              return undefined;
            }
          });
          const manifestDir = posix.dirname(file.rel);
          if (result.kind === "lock")
            locks.push({ dir: manifestDir, ecosystem: result.ecosystem, versions: result.versions, file: file.rel });
          else {
            for (const p of result.packages)
              for (const d of declaredSdks(ctx.index, p))
                declared.push({
                  ...p,
                  name: d.name,
                  // A package brought in by an extra has no constraint of its own in this manifest.
                  spec: d.viaExtra ? undefined : p.spec,
                  manifest: file.rel,
                  sdk: d.sdk,
                  viaExtra: d.viaExtra,
                });
            const ecosystem = result.packages[0]?.ecosystem ?? manifestEcosystem(file.rel);
            if (result.project && posix.basename(file.rel) === "pom.xml")
              pomProjects.push({ rel: file.rel, name: result.project });
            else if (result.project && ecosystem)
              addProjectName(firstParty, ecosystem, result.project, result.privateProject === true);
          }
          // A TOML manifest's tool tables are configuration too (`[tool.bentoml.build.args]
          // model_id = "org/name"`, a Cargo `[package.metadata]` task running `--model=x`).
          if (TOML_MANIFEST.test(posix.basename(file.rel)) && CONFIG_HINT.test(text))
            addModels(
              file.rel,
              configModels(
                posix.basename(file.rel) === "Cargo.toml" ? withoutCargoFeatures(text) : text,
                "toml",
                catalog,
              ),
            );
          break;
        }
        case "mcp-config": {
          const result = parseMcpConfig(text, {
            file: file.rel,
            ...(options.secrets ? { secrets: options.secrets } : {}),
          });
          addMcp(file, text, result);
          break;
        }
        case "dockerfile": {
          // `RUN pip install ...`: packages the image installs, declared in no project manifest.
          for (const p of parseDockerfilePipInstalls(text))
            for (const d of declaredSdks(ctx.index, p))
              uses.push({ sdk: d.sdk, line: p.line ?? 1, kind: "install", file: file.rel });
          const found = scanDeploymentText(text, file.rel, catalog.inferenceServers);
          inferenceServers.push(...found.inferenceServers);
          gpus.push(...found.gpus);
          addModels(file.rel, dockerfileModels(text, catalog));
          checkSecrets(file, text);
          break;
        }
        case "config": {
          // Any config may be an MCP client's (Zed settings, opencode.json, Codex config.toml, Spring).
          const mcp =
            file.role.format === "env" ||
            file.role.format === "code" ||
            file.role.format === "robot" ||
            file.role.format === "modelfile" ||
            file.role.format === "httprr" ||
            file.role.format === "recording" ||
            file.role.format === "records"
              ? undefined
              : detectMcpConfig(text, { file: file.rel, ...(options.secrets ? { secrets: options.secrets } : {}) });
          // A script's YAML front matter (`#!/usr/bin/env -S mcphost script` / `---` / `mcpServers:`)
          // is a config of its own, read as YAML.
          const front = file.role.format === "shell" ? frontMatterYaml(text) : undefined;
          const frontMcp =
            front === undefined
              ? undefined
              : detectMcpConfig(front, {
                  file: file.rel,
                  format: "yaml",
                  ...(options.secrets ? { secrets: options.secrets } : {}),
                });
          addMcp(file, text, mcp ?? frontMcp);
          if (front !== undefined && CONFIG_HINT.test(front)) addModels(file.rel, configModels(front, "yaml", catalog));
          // Palisade's own policies and policy tests name models and GPU quotas as rules, not uses.
          if (file.role.format === "yaml" && isPalisadePolicyFile(text)) break;
          if (file.role.format === "yaml") {
            const found = scanDeploymentText(text, file.rel, catalog.inferenceServers);
            inferenceServers.push(...found.inferenceServers);
            gpus.push(...found.gpus);
          }
          if (file.role.format === "code" && !TEST_SOURCE.test(file.rel))
            mcpImplementations.push(...textMcpImplementations(text, file.rel));
          if (file.role.format === "records") {
            addModels(file.rel, recordModels(text, catalog, posix.basename(file.rel)));
            break;
          }
          if (file.role.format === "modelfile" || CONFIG_HINT.test(text))
            addModels(file.rel, configModels(text, file.role.format, catalog));
          break;
        }
      }
    } catch (cause) {
      skipped.push({
        file: file.rel,
        reason: `malformed: ${cause instanceof Error ? cause.message.split("\n")[0] : "cannot parse"}`,
      });
    }
  }
  options.onProgress?.(files.length, files.length);
  // A constant defined once in the repository names the server (`APP_NAME: str = "arxiv-mcp-server"`).
  for (const { entry, ref } of unnamed) {
    // A Go selector (`cfg.Server.Name`) by its longest suffix another file's struct literal sets (`Server.Name`).
    let values: Set<string> | undefined;
    for (const key of selectorSuffixes(ref)) {
      values = nameConstants.get(key);
      if (values) break;
    }
    // A name parameter no file sets is its default constant's (`defaultServerName = "mcp-grafana"`).
    if (!values) for (const [constant, v] of nameConstants) if (isDefaultOf(constant, ref)) values = v;
    if (values?.size === 1) entry.name = [...values][0] ?? entry.name;
  }

  // Servers built from the repository's own server classes, which may live in other files.
  const subclassed = subclassServers(serverClasses, serverClassCalls, mcpImplementations);
  if (subclassed.classes.length > 0)
    for (let i = mcpImplementations.length - 1; i >= 0; i--) {
      const m = mcpImplementations[i];
      const inClass = (c: { file: string; line: number; endLine: number }) =>
        m !== undefined && c.file === m.file && m.line !== undefined && m.line >= c.line && m.line <= c.endLine;
      if (m?.name === "(unnamed)" && subclassed.classes.some(inClass)) mcpImplementations.splice(i, 1);
    }
  mcpImplementations.push(...subclassed.servers);

  addMavenProjects(firstParty, pomProjects);
  const sdks = assembleSdks(declared, locks, uses, firstParty);
  const providers = [
    ...new Set([
      ...sdks.filter((s) => s.category === "provider").map((s) => s.provider),
      ...models.map((m) => m.provider),
      ...aiEndpoints.map((e) => e.provider),
    ]),
  ].sort();
  return {
    target: dir,
    sdks,
    models: dedupeModels(models),
    mcpServers,
    mcpImplementations,
    inferenceServers,
    gpus,
    aiEndpoints,
    providers,
    findings,
    skipped,
    modelFiles,
    stats: { files: files.length, parsed, durationMs: Math.round(performance.now() - started) },
  };
}

/** The ecosystem of a manifest that declared nothing, for its project name. */
function manifestEcosystem(rel: string): Ecosystem | undefined {
  const name = posix.basename(rel);
  if (/^(?:pyproject\.toml|setup\.(?:py|cfg))$/.test(name)) return "pypi";
  if (name === "package.json") return "npm";
  if (name === "Cargo.toml") return "cargo";
  if (name.endsWith(".gemspec")) return "gem";
  return undefined;
}

function isUnder(file: string, dir: string): boolean {
  return dir === "." || file.startsWith(`${dir}/`);
}

/**
 * The repository's own Maven modules: every pom in the root pom's group (`io.quarkiverse.langchain4j`
 * modules of `io.quarkiverse.langchain4j:quarkus-langchain4j-parent`), which samples of the build
 * depend on as its own code; and the BOM the root build `g:x-parent` publishes as `g:x-bom` (often
 * generated by a plugin, with no pom of its own). A pom of another group further down is a
 * vendored copy of another project's build (`supporting-repos/spring-ai/`), not the repository's.
 */
function addMavenProjects(firstParty: FirstParty, poms: readonly { rel: string; name: string }[]): void {
  const root = poms.find((p) => p.rel === "pom.xml")?.name;
  if (!root) return;
  const group = root.slice(0, root.indexOf(":") + 1);
  for (const p of poms) if (p.name.startsWith(group)) addProjectName(firstParty, "maven", p.name, true);
  if (root.endsWith("-parent")) addProjectName(firstParty, "maven", `${root.slice(0, -"-parent".length)}-bom`, true);
}

/** Join manifest declarations, lockfile versions and source usages into one entry per SDK and manifest. */
function assembleSdks(
  declared: readonly Declared[],
  locks: readonly { dir: string; ecosystem: Ecosystem; versions: LockedVersions; file: string }[],
  uses: readonly (SdkUse & { file: string })[],
  firstParty: FirstParty,
): SdkReport[] {
  const entries = new Map<string, SdkReport>();
  const keyOf = (sdk: SdkEntry, manifest: string | undefined) => `${sdk.ecosystem}:${sdk.name}:${manifest ?? ""}`;
  for (const d of declared) {
    // A dependency on one of the repository's own unpublished packages is first-party code.
    if (isPrivateWorkspacePackage(firstParty, d.sdk.ecosystem, d.sdk.name)) continue;
    const key = keyOf(d.sdk, d.manifest);
    const existing = entries.get(key);
    if (existing) {
      // Declared directly as well as through an extra: the direct declaration wins.
      if (!d.viaExtra) delete existing.viaExtra;
      continue;
    }
    const dir = posix.dirname(d.manifest);
    const lock = locks
      .filter((l) => l.ecosystem === d.ecosystem && (l.dir === dir || isUnder(dir, l.dir)))
      .sort((a, b) => b.dir.length - a.dir.length)
      .find((l) => l.versions.has(d.sdk.name) || l.versions.has(d.name));
    const locked = lock?.versions.get(d.sdk.name) ?? lock?.versions.get(d.name);
    const exact = exactVersion(d.spec);
    entries.set(key, {
      name: d.sdk.name,
      ecosystem: d.sdk.ecosystem,
      provider: d.sdk.provider,
      category: d.sdk.category,
      ...(locked ? { version: locked, lockfile: lock?.file } : exact ? { version: exact } : {}),
      ...(d.spec && !exact ? { constraint: d.spec } : {}),
      manifest: d.manifest,
      ...(d.viaExtra ? { viaExtra: d.viaExtra } : {}),
      usages: [],
    });
  }
  // A call through a Go package (`openai.NewChatModel`) names no import path; the file's import
  // of that SDK does.
  const goImports = new Map<string, string>();
  for (const use of uses)
    if (use.module && !goImports.has(`${use.file}\u0000${use.sdk.name}`))
      goImports.set(`${use.file}\u0000${use.sdk.name}`, use.module);
  for (const use of uses) {
    let candidates = [...entries.values()].filter(
      (e) =>
        e.name === use.sdk.name &&
        e.ecosystem === use.sdk.ecosystem &&
        e.manifest &&
        isUnder(use.file, posix.dirname(e.manifest)),
    );
    // A Go import inside a nested module of the catalogued one: the declared module it is in.
    const module = use.module ?? goImports.get(`${use.file}\u0000${use.sdk.name}`);
    const nested = (e: SdkReport) =>
      module !== undefined &&
      e.ecosystem === "go" &&
      e.name.startsWith(`${use.sdk.name}/`) &&
      (module === e.name || module.startsWith(`${e.name}/`));
    if (candidates.length === 0 && module)
      candidates = [...entries.values()]
        .filter((e) => nested(e) && e.manifest && isUnder(use.file, posix.dirname(e.manifest)))
        .sort((a, b) => b.name.length - a.name.length || (b.manifest?.length ?? 0) - (a.manifest?.length ?? 0))
        .slice(0, 1);
    if (candidates.length === 0 && use.sdk.includedIn) {
      const patterns = use.sdk.includedIn;
      const covers = (name: string) =>
        patterns.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
      candidates = [...entries.values()].filter(
        (e) =>
          e.ecosystem === use.sdk.ecosystem &&
          e.manifest &&
          covers(e.name) &&
          isUnder(use.file, posix.dirname(e.manifest)),
      );
    }
    candidates.sort((a, b) => (b.manifest?.length ?? 0) - (a.manifest?.length ?? 0) || a.name.localeCompare(b.name));
    // `from phoenix.otel import register` in a notebook that runs `!pip install arize-phoenix`: a
    // package the file installs brings in the imported one, declared in no manifest either.
    let installer: SdkEntry | undefined;
    if (candidates.length === 0 && use.sdk.includedIn && use.kind !== "install" && use.kind !== "script-dependency") {
      const patterns = use.sdk.includedIn;
      installer = uses.find(
        (u) =>
          u.file === use.file &&
          (u.kind === "install" || u.kind === "script-dependency") &&
          u.sdk.ecosystem === use.sdk.ecosystem &&
          patterns.some((p) => (p.endsWith("*") ? u.sdk.name.startsWith(p.slice(0, -1)) : u.sdk.name === p)),
      )?.sdk;
    }
    // A JBang script's `//DEPS dev.langchain4j:langchain4j-open-ai` brings the imported artifact
    // in: it joins the pom of the repository that declares the same artifact; a `//DEPS` line no
    // pom declares is no manifest, and the import is read as if it were not there.
    const viaJbang =
      installer !== undefined &&
      uses.some((u) => u.file === use.file && u.joinOnly === true && u.sdk.name === installer?.name);
    if (candidates.length === 0 && installer && viaJbang) {
      const name = installer.name;
      candidates = [...entries.values()]
        .filter((e) => e.name === name && e.ecosystem === installer?.ecosystem && e.manifest)
        .sort((a, b) => (a.manifest ?? "").localeCompare(b.manifest ?? ""))
        .slice(0, 1);
      installer = undefined;
    }
    // Declared by another manifest of the repository (an examples monorepo): not "declared nowhere".
    // A Kotlin notebook's `@file:DependsOn` is resolved by its kernel, apart from any Gradle build:
    // its own declaration (a `!pip install` installs into the environment the manifests describe).
    if (candidates.length === 0 && !installer && !(use.kind === "install" && use.sdk.ecosystem === "maven"))
      candidates = [...entries.values()]
        .filter((e) => ((e.name === use.sdk.name && e.ecosystem === use.sdk.ecosystem) || nested(e)) && e.manifest)
        .sort((a, b) => (a.manifest ?? "").localeCompare(b.manifest ?? ""))
        .slice(0, 1);
    let entry = candidates[0];
    if (!entry && use.joinOnly) continue;
    if (!entry) {
      const sdk = installer ?? use.sdk;
      const key = keyOf(sdk, undefined);
      entry = entries.get(key);
      if (!entry) {
        entry = {
          name: sdk.name,
          ecosystem: sdk.ecosystem,
          provider: sdk.provider,
          category: sdk.category,
          usages: [],
        };
        entries.set(key, entry);
      }
    }
    if (!entry.usages.some((u) => u.file === use.file && u.line === use.line))
      entry.usages.push({ file: use.file, line: use.line, kind: use.kind });
  }
  // A package that is AI only with evidence (boto3 → Bedrock) counts only where the code shows it.
  // An undeclared import the repository's own package explains (huggingface/trl importing trl) is not the SDK.
  for (const [key, e] of entries) {
    const sdk = e.manifest
      ? undefined
      : uses.find((u) => u.sdk.name === e.name && u.sdk.ecosystem === e.ecosystem)?.sdk;
    if (
      sdk &&
      isShadowedByFirstParty(
        firstParty,
        sdk,
        e.name,
        e.usages.map((u) => u.file),
      )
    )
      entries.delete(key);
  }
  const out = [...entries.values()].filter((e) => {
    const sdk =
      declared.find((d) => d.sdk.name === e.name && d.sdk.ecosystem === e.ecosystem)?.sdk ??
      uses.find((u) => u.sdk.name === e.name)?.sdk;
    return (
      !sdk?.evidence ||
      e.usages.length > 0 ||
      uses.some((u) => u.sdk.name === e.name && u.sdk.ecosystem === e.ecosystem)
    );
  });
  return out.sort(
    (a, b) =>
      a.ecosystem.localeCompare(b.ecosystem) ||
      a.name.localeCompare(b.name) ||
      (a.manifest ?? "").localeCompare(b.manifest ?? ""),
  );
}

function dedupeModels(models: readonly ModelReport[]): ModelReport[] {
  const seen = new Set<string>();
  const out: ModelReport[] = [];
  for (const m of models) {
    const key = `${m.id}\u0000${m.file}\u0000${m.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.id.localeCompare(b.id));
}
