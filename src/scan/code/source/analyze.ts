/**
 * Turn one file's facts into AI-BOM entries: SDK usages (imports, client construction, API call
 * sites), model identifiers, MCP servers implemented in the code, and risky patterns.
 */
import type { Finding } from "../../../core/index.js";
import type { AiCatalog, SdkEntry } from "../catalog.js";
import { requestUrlModels } from "../config-models.js";
import { type AiEndpointMatch, matchAiEndpoint } from "../infra.js";
import {
  isArchContext,
  isModelContext,
  isNotAModelValue,
  isNotModelContext,
  isProviderContext,
  type ModelMatch,
  matchModel,
  ollamaCommandModels,
} from "../models.js";
import { ecosystemOf, type SdkIndex } from "../sdk-index.js";
import type { SourceLanguage } from "../walk.js";
import { embeddedModelCandidates, proseTokens } from "./embedded.js";
import type { CallFact, FileFacts, StringFact } from "./facts.js";

/** What a use of an SDK is: an import, a client, or a kind of API call. */
export type UsageKind =
  | "import"
  | "client"
  | "chat"
  | "embeddings"
  | "generate"
  | "invoke"
  | "agent"
  | "tool"
  | "mcp-server"
  | "install"
  | "script-dependency"
  | "call";

export interface SdkUse {
  sdk: SdkEntry;
  line: number;
  kind: UsageKind;
  /** The Go import path, to find which nested module of a multi-module repository declares it. */
  module?: string;
  /**
   * A declaration that only joins a manifest's (a JBang `//DEPS` line: a script header, not a
   * manifest): where no manifest of the repository declares the package it stands for nothing.
   */
  joinOnly?: boolean;
}

export interface ModelUse {
  id: string;
  provider: string;
  line: number;
}

export interface ImplementedMcpServer {
  name: string;
  line: number;
  sdk: string;
  tools: string[];
  /**
   * For an unnamed server, the constant its name was passed as (`Server(settings.APP_NAME)` →
   * `APP_NAME`), for the scanner to look up in the repository's other files.
   */
  nameRef?: string;
}

/** A string literal naming an AI API endpoint: a raw HTTP call (or its base URL) without an SDK. */
export interface EndpointUse extends AiEndpointMatch {
  line: number;
}

/**
 * A class that may be an MCP server class of the repository's own, for the scanner to resolve
 * across files: `sdk` when a base is an SDK's server class (`class Base(FastMCP)`), else its bases
 * (`class AtlassianMCP(ErrorPreservingFastMCP)`, a subclass of another file's subclass).
 */
export interface ServerClass {
  name: string;
  bases: string[];
  sdk?: string;
  line: number;
  endLine: number;
}

/** A construction of a class that may be another file's MCP server class, with the name it gives. */
export interface ServerClassCall {
  callee: string;
  name: string;
  line: number;
}

export interface FileAnalysis {
  /** String constants whose name says they are a name (`APP_NAME = "x"`): `[constant, value]`. */
  nameConstants?: [string, string][];
  serverClasses?: ServerClass[];
  serverClassCalls?: ServerClassCall[];
  sdkUses: SdkUse[];
  models: ModelUse[];
  mcpServers: ImplementedMcpServer[];
  /** MCP server tables a client is built with in code, read like a config's `mcpServers`. */
  mcpTables?: { servers: Record<string, unknown>; line: number }[];
  findings: Finding[];
  endpoints: EndpointUse[];
}

/**
 * Test files by each test runner's naming convention (`*_test.go`, `test_*.py`, `*.test.ts`,
 * `*.spec.js`, `conftest.py`). Helpers under a `tests/` folder (a mock server a test launches) are
 * programs of their own and still count.
 */
const TEST_FILE = /_test\.(go|py)$|(^|\/)test_[^/]*\.py$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)conftest\.py$/;

/**
 * The name an SDK's implementation-info literal gives a server: Go's
 * `mcp.NewServer(&mcp.Implementation{Name: "weather"}, nil)`. A `Name: name` variable is read from
 * a string literal assigned to it in the same function (`if name == "" { name = "x" }`).
 */
function implementationName(call: CallFact, assigns: FileFacts["assigns"]): string | undefined {
  const m = /\b[Nn]ame\s*:\s*(?:"([^"\n]{1,200})"|([A-Za-z_]\w{0,60})\b)/.exec(call.argText);
  if (m?.[1]) return m[1];
  const variable = m?.[2];
  if (!variable) return undefined;
  for (const a of assigns) {
    if (a.scope !== call.scope || a.target !== variable) continue;
    const literal = /^"([^"\n]{1,200})"$/.exec(a.valueText.trim());
    if (literal?.[1]) return literal[1];
  }
  return undefined;
}

/** `Name: cfg.Server.Name` in an implementation literal: the selector after its variable. */
const GO_NAME_FIELD = /\bName\s*:\s*[A-Za-z_]\w{0,60}((?:\.[A-Za-z_]\w{0,60}){2,4})\s*[,}\n]/;

/**
 * The keys a Go selector (`cfg.Server.Name`, from `s.cfg.Server.Name`) is looked up by among the
 * struct literals' field paths (`Server.Name`): the selector itself, then each shorter suffix of
 * two segments at least, the longest first.
 */
export function selectorSuffixes(selector: string): string[] {
  const parts = selector.split(".");
  const out = [selector];
  for (let i = 1; i <= parts.length - 2; i++) out.push(parts.slice(i).join("."));
  return out;
}

/** A name read from an options bag a helper receives (`options.name`, `opts.serverName`): its caller's. */
const FORWARDED_NAME = /^(options|opts|config|cfg|params|args|props|init|serverOptions|serverInfo)\.\w*name$/i;

/** Class names that may name an MCP server class (`ErrorPreservingFastMCP`, `AtlassianMCP`, `McpServer`). */
const SERVER_CLASS_NAME = /mcp/i;

/** A base class written with type arguments or a module (`fastmcp.FastMCP[Ctx]`) as its bare name. */
function bareClassName(base: string): string {
  const name = base.replace(/[[<(].*$/s, "").trim();
  return name.slice(name.lastIndexOf(".") + 1);
}

/** Constants that hold a name (`APP_NAME`, `SERVER_NAME`, `server_name`), looked up for server names. */
const NAME_CONSTANT = /^[A-Za-z_]\w{0,60}name$/i;

/**
 * The name a server construction gives: a string (`FastMCP("weather")`, `name="x"`, Go's
 * `Implementation{Name: "x"}`), or a constant or parameter holding one (`Server(settings.APP_NAME)`,
 * `super().__init__(name=name)` with `name: str = "x"`), looked up among this file's strings —
 * within `within` (a class) when given. `ref` is the constant when it is not found here.
 */
function serverName(
  call: CallFact,
  facts: FileFacts,
  within?: { line: number; endLine: number },
): { name?: string; ref?: string; forwarded?: boolean } {
  // `const serverInfo = { name: MCP_SERVER_NAME, version }; new McpServer(serverInfo)`: the object a variable holds.
  const info = call.named.get("serverInfo")?.text ?? objectAssigned(call.positional[0]?.text, call, facts.assigns);
  const literal =
    call.positional[0]?.string ??
    call.named.get("name")?.string ??
    (info ? /\bname\s*:\s*["'`]([^"'`\n]{1,200})["'`]/.exec(info)?.[1] : undefined) ??
    implementationName(call, facts.assigns);
  if (literal) return { name: literal };
  // Go's `&mcp.Implementation{Name: cfg.Server.Name}`: the config field, looked up as `Server.Name`
  // among the struct literals that set it (a config's defaults), here or in another file.
  const field = GO_NAME_FIELD.exec(call.argText)?.[1]?.slice(1);
  if (field && /name$/i.test(field)) {
    // `s.cfg.Server.Name` is `cfg.Server.Name` here, `Server.Name` where the literal sets it: the longest suffix found.
    for (const key of selectorSuffixes(field)) {
      const found = facts.names?.find(([name]) => name === key)?.[1];
      if (found) return { name: found };
    }
    return { ref: field };
  }
  const infoName = info ? /\bname\s*:\s*([A-Za-z_][\w.]{0,200})\s*[,}\n]/.exec(info)?.[1] : undefined;
  const text = infoName ?? (call.named.get("name") ?? call.positional[0])?.text;
  // `new Server({ name: options.name })` inside a helper: the name is its caller's, the server is not this file's.
  if (text && FORWARDED_NAME.test(text)) return { forwarded: true };
  // `ServerInfo.NAME` (Java's constants interface): a bare `NAME` says nothing without its type.
  const qualified = text !== undefined && QUALIFIED_NAME.test(text) ? text : undefined;
  const ref = text && /^[A-Za-z_][\w.]{0,200}$/.test(text) ? text.slice(text.lastIndexOf(".") + 1) : undefined;
  if (!ref) return {};
  const inScope = (line: number) => !within || (line >= within.line && line <= within.endLine);
  const found =
    facts.strings.find((s) => s.context === ref && inScope(s.line))?.value ??
    facts.names?.find(([name]) => name === ref)?.[1] ??
    // `NewMCPServer(serverName, ...)` with `const defaultServerName = "mcp-grafana"`: the name's default.
    facts.strings.find((s) => s.context !== undefined && isDefaultOf(s.context, ref))?.value;
  return found ? { name: found } : NAME_CONSTANT.test(ref) ? { ref } : qualified ? { ref: qualified } : {};
}

/**
 * Java builders of an MCP server's description: the MCP Java SDK's
 * `McpServer.sync(transport).serverInfo(name, version)` and builders of a `Mcp...ServerInfo`
 * (`McpSseServerInfo.builder().name(name)`, the declarative SDKs'). The name is a literal, or a
 * constant (`ServerInfo.NAME`) looked up here, then across the repository.
 */
const JAVA_SERVER_BUILDERS: readonly { regex: RegExp; sdk: string }[] = [
  {
    regex:
      /\bMcpServer\s*\.\s*(?:sync|async)\s*\([^;]{0,300}?\.serverInfo\(\s*(?:"([^"\n]{1,200})"|([A-Za-z_][\w.]{0,160}))\s*[,)]/g,
    sdk: "io.modelcontextprotocol.sdk:mcp",
  },
  {
    regex:
      /\bMcp\w{0,40}ServerInfo\s*\.\s*builder\(\s*\)[^;]{0,300}?\.name\(\s*(?:"([^"\n]{1,200})"|([A-Za-z_][\w.]{0,160}))\s*\)/g,
    sdk: "mcp-declarative-java-sdk",
  },
];

/** Servers a Java file describes with a builder (JAVA_SERVER_BUILDERS). */
function javaBuilderServers(text: string, facts: FileFacts): ImplementedMcpServer[] {
  const out: ImplementedMcpServer[] = [];
  for (const { regex, sdk } of JAVA_SERVER_BUILDERS)
    for (const m of text.matchAll(regex)) {
      const line = text.slice(0, m.index).split("\n").length;
      const ref = m[2];
      const field = ref?.slice(ref.lastIndexOf(".") + 1);
      const local = field ? facts.strings.find((s) => s.context === field && !ref?.includes("."))?.value : undefined;
      const name = m[1] ?? local;
      if (name) out.push({ name, line, sdk, tools: [] });
      else if (ref && (QUALIFIED_NAME.test(ref) || (field !== undefined && NAME_CONSTANT.test(field))))
        out.push({
          name: "(unnamed)",
          line,
          sdk,
          tools: [],
          nameRef: QUALIFIED_NAME.test(ref) ? ref : (field ?? ref),
        });
    }
  return out;
}

/** A type's bare name constant (`ServerInfo.NAME`), looked up as `Type.NAME` across files. */
const QUALIFIED_NAME = /^[A-Z]\w{0,100}\.(?:NAME|name)$/;

/** `defaultServerName`, `DEFAULT_SERVER_NAME`, `default_server_name` for `serverName`: the constant a name defaults to. */
export function isDefaultOf(constant: string, ref: string): boolean {
  const norm = (x: string) => x.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  return norm(constant) === `default${norm(ref)}`;
}

/** The object literal a variable passed as the only argument was assigned, in the call's function first. */
function objectAssigned(text: string | undefined, call: CallFact, assigns: FileFacts["assigns"]): string | undefined {
  if (!text || !/^[A-Za-z_$][\w$]{0,100}$/.test(text)) return undefined;
  const objects = assigns.filter((a) => a.target === text && a.valueText.trimStart().startsWith("{"));
  return (objects.find((a) => a.scope === call.scope) ?? objects[0])?.valueText;
}

/** An MCP SDK imported in a script held as text (`from mcp.server.fastmcp import FastMCP`, `from fastmcp import FastMCP`). */
const MCP_IMPORT_IN_TEXT = /^[ \t]*(?:from[ \t]+(mcp|fastmcp)(?:\.[\w.]+)?[ \t]+import\b|import[ \t]+(mcp|fastmcp)\b)/m;
const EMBEDDED_SERVER = /\b(?:FastMCP|McpServer|MCPServer)\(\s*(?:name\s*=\s*)?["']([^"'\n]{1,200})["']/g;

/**
 * The servers a Python script kept in a string builds (`mcp = FastMCP("Echo Server")` in a
 * `dedent("""...""")` that a test or an example writes to a file and runs over stdio): a program of
 * its own, so it counts wherever the string is, a test file included. One per name and file.
 */
function embeddedServers(text: string, line: number, done: FileAnalysis): ImplementedMcpServer[] {
  const imported = MCP_IMPORT_IN_TEXT.exec(text);
  if (!imported) return [];
  const sdk = imported[1] ?? imported[2] ?? "mcp";
  const out: ImplementedMcpServer[] = [];
  for (const m of text.matchAll(EMBEDDED_SERVER)) {
    const name = m[1];
    if (!name || out.some((s) => s.name === name) || done.mcpServers.some((s) => s.name === name)) continue;
    out.push({ name, line: line + (text.slice(0, m.index).match(/\n/g)?.length ?? 0), sdk, tools: [] });
  }
  return out;
}

/**
 * A handler that serves a server built elsewhere: `createMcpHandler(() => createMcpServer(), {...})`
 * (the MCP TypeScript SDK v2's web handler takes a factory). The server is the one the factory
 * builds, counted where it is constructed; a handler given a setup callback (`(server) => {...}`,
 * mcp-handler's) builds its own.
 */
function servesFactory(call: CallFact): boolean {
  const callee = call.callee.replace(/^new /, "");
  if (!/Handler$/.test(callee)) return false;
  const first = call.positional[0]?.text.trim();
  return first !== undefined && /^(?:async\s*)?\(\s*\)\s*=>\s*(?:await\s+)?[\w$.]+\(\s*\)$/.test(first);
}

/** Classify an AI call by its callee's last segments. */
export function usageKind(callee: string): UsageKind {
  const name = callee.replace(/^new /, "");
  const last = name.slice(name.lastIndexOf(".") + 1);
  if (/embed/i.test(name)) return "embeddings";
  if (/(^|\.)(tool|registerTool|AddTool|add_tool|function_tool)$|Tool$/.test(name)) return "tool";
  // Factories of MCP frameworks: mcp-use's `createMCPServer("name")`, `createMcpServer({ name })`,
  // mcp-handler's `createMcpHandler(init, { serverInfo: { name } })`.
  if (/^(FastMCP|McpServer|MCPServer|Server|NewMCPServer|NewServer|create(?:Mcp|MCP)(?:Server|Handler))$/.test(last))
    return "mcp-server";
  if (
    /chat|messages\.(create|stream|new)|completions?\.create|complete$|converse|responses\.create|generate_?content/i.test(
      name,
    )
  )
    return "chat";
  if (/generate|streamText|streamObject|text_generation|textGeneration|predict|sample/i.test(last)) return "generate";
  if (/^(a?invoke|batch|a?stream|run|run_sync|kickoff|call)$/i.test(last)) return "invoke";
  if (/Agent$|^Crew$|create_\w*agent|Runner/i.test(last)) return "agent";
  if (
    callee.startsWith("new ") ||
    (/^[A-Z]/.test(last) && !name.includes(".")) ||
    /client|build$|^New|^from_?env$/i.test(last)
  )
    return "client";
  return "call";
}

const SINKS =
  /^(eval|exec|execSync|execFile|execFileSync|spawn|spawnSync|Function|new Function|os\.system|os\.popen|os\.exec\w*|subprocess\.\w+|commands\.getoutput|child_process\.\w+|cp\.\w+|vm\.runIn\w+|Runtime\.getRuntime\.exec|new ProcessBuilder|exec\.Command|exec\.CommandContext|shell\.exec|execa|pty\.spawn)$/;
const PICKLE_LOADS =
  /^(pickle\.loads?|cPickle\.loads?|_pickle\.loads?|joblib\.load|dill\.loads?|cloudpickle\.loads?|pd\.read_pickle|pandas\.read_pickle|torch\.jit\.load)$/;
const MODEL_FILE = /\.(pkl|pickle|joblib|pt|pth|bin|ckpt|model|sav)\b|model|weights|checkpoint/i;

function finding(
  rel: string,
  line: number,
  spec: Pick<Finding, "ruleId" | "severity" | "title" | "detail" | "owasp" | "atlas"> & { component?: string },
): Finding {
  return {
    ...spec,
    location: { path: rel, line },
    references: [],
    fingerprint: `${spec.ruleId}:${rel}:${line}`,
  };
}

/** Risky calls that do not depend on which SDK is in use. */
function riskFindings(call: CallFact, rel: string): Finding[] {
  const out: Finding[] = [];
  const trust = call.named.get("trust_remote_code") ?? call.named.get("trustRemoteCode");
  if (trust?.bool === true)
    out.push(
      finding(rel, call.line, {
        ruleId: "code.trust-remote-code",
        severity: "high",
        title: "trust_remote_code=True runs Python code shipped with the model",
        detail: `${call.callee}(..., trust_remote_code=True) executes code from the model repository at load time.`,
        owasp: ["LLM03:2025"],
        atlas: ["AML.T0010"],
      }),
    );
  const tail = call.callee.slice(call.callee.lastIndexOf(".") + 1);
  if (tail === "from_pretrained") {
    const target = call.named.get("pretrained_model_name_or_path") ?? call.positional[0];
    const id = target?.string;
    const revision = call.named.get("revision");
    const pinned = revision !== undefined && !/^["'](main|master)["']$/.test(revision.text);
    if (id && /^[\w.-]+\/[\w.-]+$/.test(id) && !pinned)
      out.push(
        finding(rel, call.line, {
          ruleId: "code.unpinned-model-revision",
          severity: "medium",
          title: `from_pretrained("${id}") without a pinned revision`,
          detail: "Without revision=<commit sha> the hub can serve different weights (and code) on every load.",
          owasp: ["LLM03:2025"],
          atlas: ["AML.T0010"],
          component: id,
        }),
      );
  }
  if (call.callee === "torch.load") {
    const weightsOnly = call.named.get("weights_only");
    if (weightsOnly?.bool !== true)
      out.push(
        finding(rel, call.line, {
          ruleId: "code.unsafe-torch-load",
          severity: "high",
          title: "torch.load without weights_only=True unpickles arbitrary objects",
          detail: "A malicious checkpoint runs code on load; pass weights_only=True or use safetensors.",
          owasp: ["LLM03:2025"],
          atlas: ["AML.T0010", "AML.T0011"],
        }),
      );
  } else if (PICKLE_LOADS.test(call.callee) && MODEL_FILE.test(call.argText)) {
    out.push(
      finding(rel, call.line, {
        ruleId: "code.pickle-model-load",
        severity: "medium",
        title: `${call.callee} loads a model file with pickle`,
        detail: "Unpickling a model file runs any code it contains; prefer safetensors or ONNX.",
        owasp: ["LLM03:2025"],
        atlas: ["AML.T0010", "AML.T0011"],
      }),
    );
  }
  return out;
}

/** Lines between a call's first line and the line of `value` inside its arguments. */
function lineOffset(call: CallFact, value: string): number {
  const at = call.argText.indexOf(value);
  return at < 0 ? 0 : (call.argText.slice(0, at).match(/\n/g)?.length ?? 0);
}

function identifiers(target: string): string[] {
  return target.match(/[A-Za-z_$][\w$]*/g) ?? [];
}

function mentions(text: string, names: ReadonlySet<string>): string | undefined {
  for (const id of identifiers(text)) if (names.has(id)) return id;
  return undefined;
}

/** Files of a hub repository that hold a tokenizer only (`tokenizer.json`, Mistral's `tekken.json`, SentencePiece models). */
const TOKENIZER_FILE =
  /(?:^|\/)(?:tokenizer(?:_config)?\.json|tokenizer\.model|tekken\.json|vocab\.(?:json|txt)|merges\.txt|spiece\.model|sentencepiece\.bpe\.model|special_tokens_map\.json)$/;

/**
 * Repositories a file downloads a tokenizer file from and nothing else with (`hf_hub_download(repo_id,
 * filename="tekken.json")` to count tokens): the id literal (`value:line`) or the variable holding it.
 */
function tokenizerDownloads(calls: readonly CallFact[]): { values: Set<string>; variables: Set<string> } {
  const values = new Set<string>();
  const variables = new Set<string>();
  const other = new Set<string>();
  for (const call of calls) {
    if (!/(^|\.)hf_hub_download$/.test(call.callee)) continue;
    const repo = call.named.get("repo_id") ?? call.positional[0];
    const file = (call.named.get("filename") ?? call.positional[1])?.string;
    if (!repo) continue;
    const target = repo.string !== undefined ? `${repo.string}:${call.line}` : repo.text;
    if (file !== undefined && TOKENIZER_FILE.test(file)) (repo.string !== undefined ? values : variables).add(target);
    else other.add(target);
  }
  for (const t of other) variables.delete(t);
  return { values, variables };
}

/** A value of a model-typed constant that is an id: a letter first, one separator at least, no spaces. */
const TYPED_MODEL_ID = /^(?=[^-.:@/]{0,120}[-.:@/])[A-Za-z][\w.:@/-]{1,120}$/;
/** A MIME type (`application/json`, `text/plain`, `image/png`): never a model, whatever its type says. */
const MIME_TYPE = /^(?:application|audio|font|image|message|model|multipart|text|video)\/[\w.+-]+$/i;

/**
 * The Go model types (`type EmbeddingModelOpenAI string`) of which one constant at least is an id
 * `matchModel` knows: only those types' other id-shaped values are taken as models by their type
 * (a `ViewModel`, `ModelStatus` or `LLMProvider` holds no known id, only routes, states and names).
 */
function knownModelTypes(
  strings: FileFacts["strings"],
  matches: Map<StringFact, ModelMatch | undefined>,
  catalog: AiCatalog,
): Set<string> {
  const known = new Set<string>();
  for (const s of strings) {
    if (s.modelType === undefined || known.has(s.modelType)) continue;
    const match = matches.has(s) ? matches.get(s) : matchModel(s.value, s.context, catalog);
    if (match && match.provider !== "unknown") known.add(s.modelType);
  }
  return known;
}

/** A model-typed constant's value taken as an id by its type alone (see `knownModelTypes`). */
function typedModelId(s: StringFact, knownTypes: Set<string>): ModelMatch | undefined {
  if (s.modelType === undefined || !knownTypes.has(s.modelType)) return undefined;
  if (!TYPED_MODEL_ID.test(s.value) || s.value.includes("://") || MIME_TYPE.test(s.value)) return undefined;
  return isNotAModelValue(s.value) ? undefined : { id: s.value, provider: "unknown" };
}

/** Names of lists of search words or patterns, whose family words are no models. */
const KEYWORD_LIST = /keywords?$|patterns?$|regexp?$|regexes$/i;

/** Recognised elements a list needs, at least, to be read as a list of models (with half its elements). */
const MIN_LIST_MATCHES = 3;

/**
 * List literals that hold models. `modelGroups`: a list with one recognised model, whose other
 * named families (`["gemma:2b", "vicuna"]`) are models too. `modelLists`: a list that is a list of
 * models as a whole — named so (`MODEL_LIST = { openrouter: [...] }`, elements outside any
 * model-like name of their own) or with most of its elements recognised, three at least — whose
 * every id-shaped element is a model (`x-ai/grok-beta`, `deepseek-v4-flash`).
 */
function modelListsOf(
  strings: FileFacts["strings"],
  catalog: AiCatalog,
): { modelGroups: Set<number>; modelLists: Set<number>; matches: Map<StringFact, ModelMatch | undefined> } {
  /** Each grouped string's own match, reused by the caller. */
  const matches = new Map<StringFact, ModelMatch | undefined>();
  /** The strings of each table's keys, by group. */
  const keyStrings = new Map<number, StringFact[]>();
  const counts = new Map<
    number,
    { total: number; matched: number; family: number; named: boolean; keys: boolean; listed: boolean }
  >();
  for (const s of strings) {
    if (s.group === undefined) continue;
    const count = counts.get(s.group) ?? {
      total: 0,
      matched: 0,
      family: 0,
      keys: s.keyGroup === true,
      // A list of keywords or patterns (`_MODEL_KEYWORDS = ("mistral", "codestral")`) lists families, not models.
      listed: !KEYWORD_LIST.test(s.context ?? "") && !KEYWORD_LIST.test(s.groupContext ?? ""),
      // A Go model type's constants are models by `typedModelId` only (a type with a known id), not by its name.
      named:
        s.modelType === undefined &&
        s.groupContext !== undefined &&
        isModelContext(s.groupContext) &&
        !isNotModelContext(s.groupContext) &&
        !isProviderContext(s.groupContext) &&
        !isNotModelContext(s.context),
    };
    count.total += 1;
    // `model_type in {"gpt2", "gpt2-medium"}`: a set of choices of an architecture name, whose sized
    // members are checkpoints (and make the set a list of models).
    const context = s.context ?? (isArchContext(s.groupContext) ? s.groupContext : undefined);
    const match = matchModel(s.value, context, catalog);
    matches.set(s, match);
    if (match) count.matched += 1;
    if (count.keys) {
      const keys = keyStrings.get(s.group) ?? [];
      keys.push(s);
      keyStrings.set(s.group, keys);
    }
    counts.set(s.group, count);
  }
  const modelGroups = new Set<number>();
  const modelLists = new Set<number>();
  for (const [group, c] of counts) {
    // Only a table with a known key is worth matching its other keys as named models.
    if (c.keys && c.matched > 0 && c.total >= MIN_LIST_MATCHES)
      for (const k of keyStrings.get(group) ?? [])
        if (matches.get(k) ?? matchModel(k.value, "model", catalog)) c.family += 1;
    // The keys of a table count only as a whole: most of them known ids (`_BY_ID = {"deepseek-chat": ...}`).
    if (c.matched > 0 && !c.keys && c.listed) modelGroups.add(group);
    // `PRICING = {"gpt-4": ..., "llama-2-70b-chat-hf": ...}`: a table keyed by a known id whose other
    // keys are all ids a family pattern knows (where a name says model) is a table of models.
    const familyTable = c.keys && c.matched > 0 && c.family >= MIN_LIST_MATCHES && c.family === c.total;
    if ((c.named && !c.keys) || (c.matched >= MIN_LIST_MATCHES && c.matched * 2 >= c.total) || familyTable)
      modelLists.add(group);
  }
  return { modelGroups, modelLists, matches };
}

/**
 * A document model registered with an object-document mapper: Mongoose's `mongoose.model('User',
 * userSchema)`, `db.model(name, schema)` (https://mongoosejs.com/docs/models.html). The name is a
 * collection's model, not an AI model, in the file that registers it (`mongoose.model('User')`
 * looks it up again).
 */
const ODM_MODEL = /\.model\(\s*(['"`])([^'"`\n]{1,200})\1\s*,\s*(?:new\s+)?[\w.]*[Ss]chema\w*/g;

/** A URL of a raw call to a model: Gemini's `/models/{id}:generateContent`, Bedrock's `/model/{id}/converse`. */
const RAW_CALL_URL = /\/models?\/[^/?#\s]{2,200}(?::[a-zA-Z]+|\/(?:converse|invoke))/;

/** The names `text` registers as ODM models (ODM_MODEL). */
function odmModelNames(text: string): Set<string> {
  const out = new Set<string>();
  if (!text.includes(".model(")) return out;
  for (const m of text.matchAll(ODM_MODEL)) if (m[2]) out.add(m[2]);
  return out;
}

/** Analyse one file's facts against the catalog. `text` is used only for SDK evidence checks. */
export function analyzeFacts(options: {
  facts: FileFacts;
  rel: string;
  language: SourceLanguage | "notebook";
  text: string;
  index: SdkIndex;
  catalog: AiCatalog;
}): FileAnalysis {
  const { facts, rel, language, text, index, catalog } = options;
  const ecosystem = ecosystemOf(language);
  const result: FileAnalysis = {
    sdkUses: [],
    models: [],
    mcpServers: [],
    findings: [],
    endpoints: [],
    ...(facts.mcpTables ? { mcpTables: facts.mcpTables } : {}),
  };
  const bindings = new Map<string, SdkEntry>();
  /** Local names of renamed imports, to the name the module exports. */
  const renamed = new Map<string, string>();
  const fields = new Map<string, SdkEntry>();
  const hasEvidence = (sdk: SdkEntry) => !sdk.evidence || sdk.evidence.some((e) => text.includes(e));

  for (const imp of facts.imports) {
    let sdk: SdkEntry | undefined;
    let imported: string | undefined;
    for (const module of imp.modules) {
      sdk = index.resolve(ecosystem, module);
      imported = module;
      if (sdk) break;
    }
    if (!sdk || !hasEvidence(sdk)) continue;
    result.sdkUses.push({
      sdk,
      line: imp.line,
      kind: "import",
      ...(ecosystem === "go" && imported !== sdk.name ? { module: imported } : {}),
    });
    for (const b of imp.bindings) {
      const bound = index.resolve(ecosystem, b.module) ?? sdk;
      if (b.name !== "*") bindings.set(b.name, bound);
      // `import { McpServer as LegacyMcpServer }`, `from fastmcp import FastMCP as Server`: the class it renames.
      const imported = b.imported ?? (ecosystem === "pypi" ? b.module.slice(b.module.lastIndexOf(".") + 1) : undefined);
      if (imported && imported !== b.name && b.name !== "*") renamed.set(b.name, imported);
    }
  }
  /** The callee as its SDK names it: a renamed import's own name in place of its alias. */
  const kindOf = (callee: string): UsageKind => {
    const bare = callee.startsWith("new ") ? callee.slice(4) : callee;
    const dot = bare.indexOf(".");
    const original = renamed.get(dot < 0 ? bare : bare.slice(0, dot));
    if (!original) return usageKind(callee);
    return usageKind(`${callee.startsWith("new ") ? "new " : ""}${original}${dot < 0 ? "" : bare.slice(dot)}`);
  };
  const sdkOf = (callee: string): SdkEntry | undefined => {
    const name = callee.replace(/^new /, "");
    let best: SdkEntry | undefined;
    let bestLength = -1;
    for (const [binding, sdk] of bindings) {
      if ((name === binding || name.startsWith(`${binding}.`)) && binding.length > bestLength) {
        best = sdk;
        bestLength = binding.length;
      }
    }
    if (best) return best;
    // A field holding a client (`self.client`, `this.client`, Go `s.client`): match past the receiver.
    const dot = name.indexOf(".");
    if (dot < 0) return undefined;
    const rest = name.slice(dot + 1);
    for (const [field, sdk] of fields) if (rest === field || rest.startsWith(`${field}.`)) return sdk;
    return undefined;
  };
  /** Clients built by an Azure constructor: their `model=` is a deployment name. */
  const azureClients = new Set<string>();
  /**
   * Multi-service SDKs (boto3) are AI only for some services: a call counts when its arguments
   * name one (`client("bedrock-runtime")`) or it goes through a client built that way. A client
   * or session built without a service name is bound but unverified.
   */
  const verified = new Set<string>();
  const evidenceIn = (sdk: SdkEntry, call: CallFact) =>
    !sdk.evidence || sdk.evidence.some((e) => call.argText.includes(e.replace(/^"|"$/g, "")));
  const namesService = (call: CallFact) =>
    call.positional.some((a) => a.string !== undefined) || call.named.has("service_name");
  const countsFor = (sdk: SdkEntry, call: CallFact) => {
    if (!sdk.evidence || evidenceIn(sdk, call)) return true;
    const parts = call.callee.replace(/^new /, "").split(".");
    return verified.has(parts[0] ?? "") || verified.has(parts.slice(0, 2).join("."));
  };
  const bind = (target: string, sdk: SdkEntry) => {
    const field = /^(?:self|this|cls)?\.([A-Za-z_$][\w$]*)$/.exec(target);
    if (field?.[1]) fields.set(field[1], sdk);
    else if (!bindings.has(target)) bindings.set(target, sdk);
  };
  // Clients are often assigned before use; two passes let `client = OpenAI()` bind `client`.
  for (let pass = 0; pass < 2; pass++) {
    for (const call of facts.calls) {
      if (!call.assignedTo) continue;
      const sdk = sdkOf(call.callee);
      const kind = sdk ? kindOf(call.callee) : undefined;
      if (sdk?.evidence && !countsFor(sdk, call) && namesService(call)) continue;
      if (sdk?.evidence && countsFor(sdk, call)) verified.add(call.assignedTo);
      if (sdk && (kind === "client" || kind === "mcp-server" || kind === "agent")) bind(call.assignedTo, sdk);
      if (sdk && kind === "client" && /azure/i.test(call.callee)) azureClients.add(call.assignedTo);
    }
  }

  /** Azure deployments reported above (`id:line`), not to be reported again as models. */
  const deployments = new Set<string>();
  const tainted = new Map<number, Set<string>>();
  const tools: string[] = [];
  for (const call of facts.calls) {
    result.findings.push(...riskFindings(call, rel));
    const sdk = sdkOf(call.callee);
    if (!sdk || !countsFor(sdk, call)) continue;
    const kind = kindOf(call.callee);
    result.sdkUses.push({ sdk, line: call.line, kind });
    // A server built in a test file is a fixture of the test, not a server the repository ships.
    if (kind === "mcp-server" && sdk.category === "mcp" && !TEST_FILE.test(rel) && !servesFactory(call)) {
      const named = serverName(call, facts);
      if (named.forwarded) continue;
      result.mcpServers.push({
        name: named.name ?? "(unnamed)",
        line: call.line,
        sdk: sdk.name,
        tools: [],
        ...(named.ref && !named.name ? { nameRef: named.ref } : {}),
      });
    }
    const root = call.callee.split(".")[0] ?? "";
    const deployment = call.named.get("model")?.string ?? call.named.get("deployment_id")?.string;
    // `models`, not `model`: an id no family knows is the deployment's name, not a model of its own.
    if (deployment && azureClients.has(root) && !matchModel(deployment, "models", catalog)) {
      const line = call.line + lineOffset(call, deployment);
      result.models.push({ id: deployment, provider: "azure-openai", line });
      deployments.add(`${deployment}:${line}`);
    }
    if (kind === "tool") {
      const name = call.named.get("name")?.string ?? call.decorates ?? call.positional[0]?.string;
      if (name) tools.push(name);
    }
    if (call.assignedTo && kind !== "client" && kind !== "tool" && kind !== "mcp-server" && kind !== "agent") {
      const set = tainted.get(call.scope) ?? new Set<string>();
      for (const id of identifiers(call.assignedTo)) set.add(id);
      tainted.set(call.scope, set);
    }
  }
  // A server class of the repository's own (`class QdrantMCPServer(FastMCP)`) is the server it
  // implements, named by what its constructor passes up (`super().__init__(name=name)`).
  if (!TEST_FILE.test(rel))
    for (const cls of facts.classes ?? []) {
      const base = cls.bases.find((b) => sdkOf(b)?.category === "mcp" && kindOf(b) === "mcp-server");
      const sdk = base ? sdkOf(base) : undefined;
      const init = facts.calls.find(
        (c) => c.line >= cls.line && c.line <= cls.endLine && (c.callee === "super.__init__" || c.callee === "super"),
      );
      if (!sdk || !init) continue;
      const named = serverName(init, facts, cls);
      // `class DbtMCP(FastMCP)` passing `*args, **kwargs` up, built as `DbtMCP(name="dbt")`: the
      // server is named where this file constructs the class.
      if (!named.name && /\*/.test(init.argText)) {
        const built = facts.calls
          .filter((c) => c.callee.replace(/^new /, "") === cls.name)
          .map((c) => ({ call: c, name: serverName(c, facts).name }))
          .filter((b): b is { call: CallFact; name: string } => b.name !== undefined);
        for (const b of built) result.mcpServers.push({ name: b.name, line: b.call.line, sdk: sdk.name, tools: [] });
        if (built.length > 0) continue;
      }
      result.mcpServers.push({
        name: named.name ?? "(unnamed)",
        line: init.line,
        sdk: sdk.name,
        tools: [],
        ...(named.ref && !named.name ? { nameRef: named.ref } : {}),
      });
    }
  // Classes and constructions the scanner matches across files (`SERVER_CLASS_NAME`).
  const serverClasses: ServerClass[] = [];
  const serverClassCalls: ServerClassCall[] = [];
  for (const cls of facts.classes ?? []) {
    const bases = cls.bases.map(bareClassName).filter((b) => SERVER_CLASS_NAME.test(b));
    if (bases.length === 0) continue;
    const base = cls.bases.find((b) => sdkOf(b)?.category === "mcp" && kindOf(b) === "mcp-server");
    const sdk = base ? sdkOf(base)?.name : undefined;
    serverClasses.push({ name: cls.name, bases, ...(sdk ? { sdk } : {}), line: cls.line, endLine: cls.endLine });
  }
  if (serverClasses.length > 0) result.serverClasses = serverClasses;
  for (const call of facts.calls) {
    const callee = call.callee.replace(/^new /, "");
    if (!/^[A-Z][\w$]{0,100}$/.test(callee) || !SERVER_CLASS_NAME.test(callee) || sdkOf(callee)) continue;
    const name = serverName(call, facts).name;
    if (name) serverClassCalls.push({ callee, name, line: call.line });
  }
  if (serverClassCalls.length > 0) result.serverClassCalls = serverClassCalls;
  // Unnamed servers beside a named one (`FastMCP()` sub-servers a named dispatcher routes to, or
  // mounts) are parts of it: the file's server is the named one.
  if (result.mcpServers.some((m) => m.name !== "(unnamed)"))
    result.mcpServers = result.mcpServers.filter((m) => m.name !== "(unnamed)" || m.nameRef !== undefined);
  // `.serverInfo("x", "1")` of the builder or `McpServerInfo.builder()`: either case of the S.
  if (language === "java" && text.includes("erverInfo")) {
    for (const built of javaBuilderServers(text, facts))
      if (!result.mcpServers.some((m) => m.name === built.name && m.nameRef === built.nameRef))
        result.mcpServers.push(built);
  }
  const constants = facts.strings.filter((s) => s.context !== undefined && NAME_CONSTANT.test(s.context));
  const nameValues = [...constants.map((s): [string, string] => [s.context ?? "", s.value]), ...(facts.names ?? [])];
  // Java names a file for its public type: its `NAME` constant is `Type.NAME` to other files.
  if (language === "java") {
    const type = rel.slice(rel.lastIndexOf("/") + 1).replace(/\.java$/, "");
    for (const s of facts.strings)
      if (s.context === "NAME" || s.context === "name") nameValues.push([`${type}.${s.context}`, s.value]);
  }
  if (nameValues.length > 0) result.nameConstants = nameValues;
  // Tool definitions attach to the implemented server of the same file.
  const server = result.mcpServers[0];
  if (server) server.tools.push(...tools);

  // LLM05: model output flowing into eval/exec/shell within one function.
  for (const assign of facts.assigns) {
    const set = tainted.get(assign.scope);
    if (set && mentions(assign.valueText, set)) for (const id of identifiers(assign.target)) set.add(id);
  }
  for (const call of facts.calls) {
    const set = tainted.get(call.scope);
    if (!set || !SINKS.test(call.callee)) continue;
    const variable = mentions(call.argText, set);
    if (!variable) continue;
    result.findings.push(
      finding(rel, call.line, {
        ruleId: "code.llm-output-to-exec",
        severity: "high",
        title: `model output reaches ${call.callee}`,
        detail: `\`${variable}\` holds (or is derived from) a model response and is passed to ${call.callee} in the same function.`,
        owasp: ["LLM05:2025"],
        atlas: ["AML.T0051", "AML.T0053"],
      }),
    );
  }

  const seen = new Set<string>(deployments);
  const { modelGroups, modelLists, matches } = modelListsOf(facts.strings, catalog);
  const knownTypes = knownModelTypes(facts.strings, matches, catalog);
  const tokenizerOnly = tokenizerDownloads(facts.calls);
  const odm = odmModelNames(text);
  for (const s of facts.strings) {
    if (odm.has(s.value)) continue;
    // `hf_hub_download(repo_id, filename="tekken.json")`: a repository read for its tokenizer only.
    if (tokenizerOnly.values.has(`${s.value}:${s.line}`) || (s.context && tokenizerOnly.variables.has(s.context)))
      continue;
    const listed = s.group !== undefined && modelLists.has(s.group);
    const match =
      (matches.has(s) ? matches.get(s) : matchModel(s.value, s.context, catalog)) ??
      // A list of models: every element shaped like an id is one, `org/name` included.
      (listed ? matchModel(s.value, "model", catalog) : undefined) ??
      // Only named families (`vicuna`); an `org/name` or a path in a list stays what its own context says.
      (s.group !== undefined && modelGroups.has(s.group) && !s.value.includes("/")
        ? matchModel(s.value, "model", catalog)
        : undefined) ??
      // A constant of a model type (`EmbeddingModelMixedbreadGTELarge EmbeddingModelMixedbread =
      // "gte-large"`) whose type holds a known id too: the type says model, so an id-shaped value is
      // one though no family knows it.
      typedModelId(s, knownTypes);
    if (!match) {
      // A raw call's URL names its model (`.../v1beta/models/gemini-2.5-flash:generateContent`).
      if (s.value.includes("://") && RAW_CALL_URL.test(s.value))
        for (const m of requestUrlModels(s.value, catalog)) {
          const key = `${m.id}:${s.line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          result.models.push({ id: m.id, provider: m.provider, line: s.line });
        }
      continue;
    }
    const key = `${match.id}:${s.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.models.push({ ...match, line: s.line });
  }
  // MCP server scripts kept in strings, which an example or a test writes out and launches.
  for (const t of facts.texts) if (!t.comment) result.mcpServers.push(...embeddedServers(t.value, t.line, result));
  // Ids inside comments and docstrings: flags, assignments, calls, quoted strings in comments.
  if (facts.texts.length > 0) {
    const lineContext = new Map<number, string>();
    for (const s of facts.strings) if (s.context && !lineContext.has(s.line)) lineContext.set(s.line, s.context);
    for (const t of facts.texts) {
      // `!ollama pull llama3.2` in a notebook (a commented-out magic) or a usage docstring.
      if (t.value.includes("ollama"))
        for (const [offset, text] of t.value.split("\n").entries())
          for (const m of ollamaCommandModels(text)) {
            const key = `${m.id}:${t.line + offset}`;
            if (seen.has(key)) continue;
            seen.add(key);
            result.models.push({ ...m, line: t.line + offset });
          }
      const candidates = embeddedModelCandidates(t.value, {
        comment: t.comment,
        quoted: true,
        ...(t.lead ? { lead: t.lead } : {}),
      });
      // A help text or docstring names ids in prose too (`language model e.g. gemini-2.0-flash`):
      // a word there counts when a strong pattern knows it whole. Comments keep to code and quotes.
      if (!t.comment) {
        const named = new Set(candidates.map((c) => `${c.value}:${c.line}`));
        candidates.push(...proseTokens(t.value).filter((c) => !named.has(`${c.value}:${c.line}`)));
      }
      for (const c of candidates) {
        const line = t.line + c.line;
        const match = matchModel(c.value, c.context ?? (t.comment ? lineContext.get(line) : t.context), catalog);
        if (!match) continue;
        const key = `${match.id}:${line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.models.push({ ...match, line });
      }
    }
  }
  const endpointsSeen = new Set<string>();
  for (const u of facts.urls) {
    const endpoint = matchAiEndpoint(u.text, catalog.aiEndpoints ?? []);
    if (!endpoint || endpointsSeen.has(`${endpoint.host}:${u.line}`)) continue;
    endpointsSeen.add(`${endpoint.host}:${u.line}`);
    result.endpoints.push({ ...endpoint, line: u.line });
  }
  return result;
}

/**
 * MCP servers built from the repository's own server classes in other files: a class whose base
 * is an SDK's server class (`class ErrorPreservingFastMCP(FastMCP)`), or a subclass of one however
 * deep (`class AtlassianMCP(ErrorPreservingFastMCP)`), constructed with a name anywhere
 * (`AtlassianMCP("Atlassian MCP")`). `classes`: the spans of the server classes so constructed, whose
 * own unnamed entry is then no server of its own.
 */
export function subclassServers(
  classes: readonly (ServerClass & { file: string })[],
  calls: readonly (ServerClassCall & { file: string })[],
  known: readonly { name: string; file: string }[],
): {
  servers: { name: string; file: string; line: number; sdk: string; tools: string[] }[];
  classes: { file: string; line: number; endLine: number }[];
} {
  const sdkOfClass = new Map<string, string>();
  for (const c of classes) if (c.sdk) sdkOfClass.set(c.name, c.sdk);
  for (let changed = true, round = 0; changed && round < 16; round++) {
    changed = false;
    for (const c of classes) {
      if (sdkOfClass.has(c.name)) continue;
      const sdk = c.bases.map((b) => sdkOfClass.get(b)).find((x) => x !== undefined);
      if (sdk) {
        sdkOfClass.set(c.name, sdk);
        changed = true;
      }
    }
  }
  const seen = new Set(known.map((k) => `${k.file}\0${k.name}`));
  const servers: { name: string; file: string; line: number; sdk: string; tools: string[] }[] = [];
  for (const call of calls) {
    const sdk = sdkOfClass.get(call.callee);
    const key = `${call.file}\0${call.name}`;
    if (!sdk || seen.has(key)) continue;
    seen.add(key);
    servers.push({ name: call.name, file: call.file, line: call.line, sdk, tools: [] });
  }
  const built = new Set(calls.filter((c) => sdkOfClass.has(c.callee)).map((c) => c.callee));
  return {
    servers,
    classes: built.size === 0 ? [] : classes.filter((c) => sdkOfClass.has(c.name)),
  };
}
