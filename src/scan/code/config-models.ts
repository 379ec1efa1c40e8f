/**
 * Model identifiers in configuration files: YAML, JSON, TOML, .env, Java `.properties` (Spring
 * `spring.ai.*.model=`) and shell / batch-job scripts. A value counts when its key (or a
 * Kubernetes `name:`/`value:` env pair, or a preceding `--model` flag) names a model, or when a
 * provider's strong pattern matches it outright. A key counts when it sits in a models table
 * (`openai: { models: { gpt-4o: {...} } }`).
 */

import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import type { AiCatalog } from "./catalog.js";
import { readHttprr } from "./httprr.js";
import { readJsonnet } from "./jsonnet.js";
import {
  isDatasetContext,
  isModelContext,
  isModelKey,
  isModelObject,
  isModelRecord,
  isModelRecordIdField,
  isOllamaPullList,
  type ModelMatch,
  matchDeclaredModel,
  matchModel,
  ollamaCommandModels,
} from "./models.js";
import { readNix } from "./nix.js";
import { embeddedModelCandidates, proseTokens, shortFlagValues } from "./source/embedded.js";
import { renderTemplateShape } from "./template-text.js";
import type { ConfigFormat } from "./walk.js";

export interface ConfigModel {
  id: string;
  provider: string;
  line: number;
}

const MAX_VISITS = 100_000;
/** Lines read from a .properties file or a script; the rest is ignored. */
const MAX_LINES = 200_000;
/** Longest logical line kept (a continuation chain is cut there). */
const MAX_LINE = 8_192;

/**
 * Keys whose table maps model ids to their settings (`models: { gpt-4o: {...} }`), or to the id
 * that replaces each (Codex's `[notice.model_migrations]`: `"gpt-5.2" = "gpt-5.2-codex"`).
 */
const MODEL_TABLE =
  /^(models?|llms?|chat_?models|embedding_?models|model_?(list|map|table|configs?|settings|catalog|migrations)|deployments)$/i;

/** A key shaped like a model id that no catalog pattern knows: a letter first, a digit in it. */
const MODEL_KEY_SHAPE = /^(?=[^\d]*\d)[A-Za-z][\w.:@/-]{1,120}$/;

/**
 * The key of a models table entry, as a model id in the context of the table. A key no
 * pattern knows still counts when it holds the model's settings (a mapping), attributed to the
 * provider that owns the table.
 */
function keyModel(
  key: string,
  table: { name: string | undefined; owner: string | undefined; settings: boolean },
  catalog: AiCatalog,
): ModelMatch | undefined {
  if (table.name === undefined || !MODEL_TABLE.test(table.name)) return undefined;
  // `models`, not `model`: a key is an id only by a family pattern or by the settings under it.
  const match = matchModel(key, "models", catalog);
  const owner = table.owner && /^[\w-]{2,40}$/.test(table.owner) ? table.owner.toLowerCase() : undefined;
  // A shape that names no provider (`Meta-Llama-3.1-8B-Instruct`) belongs to the table's owner.
  if (match) return match.provider === "unknown" && owner ? { ...match, provider: owner } : match;
  if (!table.settings || !MODEL_KEY_SHAPE.test(key) || /^(max|min|top|temperature|timeout)/i.test(key))
    return undefined;
  return { id: key, provider: owner ?? "other" };
}

/**
 * A key that names the model under it (Docker Compose's top-level `models: { qwen3-small: { model:
 * ai/qwen3:8B-Q4_0 } }`, https://docs.docker.com/reference/compose-file/models/, and a service's
 * binding of it, `models: { qwen3-small: { model_var: MODEL } }`): an alias, not an id, unless a
 * strong pattern knows it whole.
 */
function isAliasKey(key: string, value: unknown, catalog: AiCatalog): boolean {
  if (!isMap(value)) return false;
  // A service's binding of a model by that alias (`models: { qwen3-small: { model_var: X } }`).
  if (value.items.some((p) => isScalar(p.key) && (p.key.value === "model_var" || p.key.value === "endpoint_var")))
    return !catalog.models.some((p) => p.strength === "strong" && p.provider !== "unknown" && p.regex.test(key));
  const model = value.items.find((p) => isScalar(p.key) && p.key.value === "model");
  if (!model || !isScalar(model.value) || typeof model.value.value !== "string" || model.value.value === key)
    return false;
  return !catalog.models.some((p) => p.strength === "strong" && p.provider !== "unknown" && p.regex.test(key));
}

function lineAt(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) return 1;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

/**
 * The context of a value under a datasets table (`dataset_mixture: { datasets: [{ id: org/x }] }`):
 * its own key unless that names a model, else the dataset key, so hub ids there stay datasets.
 */
function inDataset(data: boolean | undefined, key: string | undefined): string | undefined {
  return data && !isModelContext(key) ? "dataset" : key;
}

/**
 * An entry that holds its model under a key of its own (`modelSpec: [{ name: llama3, modelURL:
 * meta-llama/Llama-3.1-8B-Instruct }]`, a Helm chart's deployments): its `name` labels the entry.
 */
const ENTRY_MODEL_KEY = /^model(?:[-_]?(?:url|uri|id|name|path|repo|repository))?$/i;

/**
 * The context of a generic key inside an object named after a model: `model: { value: "x" }`
 * (n8n resource locators), `model: { name: "x" }`, `llm: { id: "x" }` are named by the model
 * key. A deployment's `name` stays a name.
 */
function ownerKey(key: string, owner: string | undefined, table?: string, labelled?: boolean): string {
  if (key === "name" && labelled) return key;
  // LibreChat's `models: { default: ["glm-5.1"] }`: the default of a models key names models too.
  if (/^(value|name|id|default)$/.test(key) && owner !== undefined && isModelKey(owner) && !/deploy/i.test(owner))
    return owner;
  // `models: { quick: { id: "gpt-5.6-luna" } }`: the id of an entry of a models table is a model.
  return key === "id" && table !== undefined && MODEL_TABLE.test(table) ? "model" : key;
}

/**
 * Visit every string in a plain value with the key that names it; `declared` marks a value its
 * place declares a model (`matchDeclaredModel`: an API model object's id, an Ollama pull list).
 */
function visitValue(
  value: unknown,
  key: string | undefined,
  emit: (value: string, key: string | undefined, declared?: boolean) => void,
  emitKey: (key: string, table: { name: string | undefined; owner: string | undefined; settings: boolean }) => void,
): void {
  const stack: {
    value: unknown;
    key: string | undefined;
    parent?: string | undefined;
    data?: boolean;
    /** A value its place declares a model (`matchDeclaredModel`). */
    declared?: boolean;
  }[] = [{ value, key }];
  let visits = 0;
  while (stack.length > 0 && visits++ < MAX_VISITS) {
    const item = stack.pop();
    if (!item) break;
    const v = item.value;
    if (typeof v === "string") {
      const flag = /^--?([\w-]+)=(.+)$/.exec(v);
      const alias = item.key === "alias" ? AIDER_ALIAS.exec(v) : null;
      if (item.declared) emit(v, item.key, true);
      else if (alias?.[1]) emit(alias[1], "model");
      else if (flag?.[1] && flag[2]) emit(flag[2], flag[1]);
      else emit(v, inDataset(item.data, item.key));
    } else if (Array.isArray(v)) {
      for (const [i, entry] of v.entries()) {
        const prev = v[i - 1];
        stack.push({
          value: entry,
          key: typeof prev === "string" && prev.startsWith("-") ? prev.replace(/^-+/, "") : item.key,
          parent: item.parent,
          data: item.data,
          ...(!item.data && isOllamaPullList(item.key, item.parent) ? { declared: true } : {}),
        });
      }
    } else if (typeof v === "object" && v !== null) {
      const table = v as Record<string, unknown>;
      const envName = typeof table.name === "string" && "value" in table ? table.name : undefined;
      const modelObject = !item.data && isModelObject(table);
      const labelled = "name" in table && Object.keys(table).some((k) => ENTRY_MODEL_KEY.test(k));
      const modelRecord = !item.data && !modelObject && isModelRecord(table);
      const gitSource = GIT_SOURCE.test(String(table.source ?? table.type ?? ""));
      // Zed's `available_models = [{ name = "glm-5.1"; display_name = "GLM-5.1"; }]`: beside the
      // entry's own id, a display name labels it for people.
      const displayed = DISPLAY_NAME_FIELDS.some((f) => typeof table[f] === "string") && hasIdField(table);
      for (const [k, entry] of Object.entries(table)) {
        if (displayed && DISPLAY_NAME_FIELDS.includes(k)) continue;
        // `"source": { "source": "github", "repo": "openai/codex-plugin-cc" }` (a Claude Code plugin
        // marketplace): a repository on a git host, not a model repository.
        if (gitSource && GIT_REPO_KEY.test(k)) continue;
        // A record's display name and family (`"name": "Mistral-Large"`, `"family": "mistral-large"`
        // beside its `id`) label the model for people; the id is the model.
        if (modelRecord && RECORD_LABEL_FIELD.test(k) && !isModelRecordIdField(k, entry, table)) continue;
        if (!item.data)
          emitKey(k, {
            name: item.key,
            owner: item.parent,
            settings: entry === null || (typeof entry === "object" && !Array.isArray(entry)),
          });
        stack.push({
          value: entry,
          key: k === "value" && envName ? envName : ownerKey(k, item.key, item.parent, labelled),
          parent: item.key,
          data: item.data || isDatasetContext(k),
          ...((modelObject && k === "id") ||
          (modelRecord && typeof entry === "string" && isModelRecordIdField(k, entry, table))
            ? { declared: true }
            : {}),
        });
      }
    }
  }
}

/** aider's `alias: ["fast:gpt-4o-mini"]` (https://aider.chat/docs/config/model-aliases.html): `ALIAS:MODEL`. */
const AIDER_ALIAS = /^[\w.-]{1,60}:([\w./:@-]{2,200})$/;

/** A record's `source`/`type` naming a git host, and the keys that name its repository there. */
const GIT_SOURCE = /^(?:github|gitlab|git|bitbucket)$/i;
const GIT_REPO_KEY = /^(?:repo|repository|url)$/;

/** Fields of a model record that label it for people (`isModelRecord`), beside its id. */
const RECORD_LABEL_FIELD = /^(?:name|display_?name|displayName|family|description)$/;
const DISPLAY_NAME_FIELDS: readonly string[] = ["display_name", "displayName"];
/** A table with a string `name`, `id` or `model` of its own, that a display name labels. */
function hasIdField(table: Readonly<Record<string, unknown>>): boolean {
  return typeof table.name === "string" || typeof table.id === "string" || typeof table.model === "string";
}

/** Longest string value read as a command line or as code. */
const MAX_VALUE_TEXT = 100_000;

/** `-m MODEL` flags in one line of a command (`shortFlagValues`). */
export function shortModelFlags(line: string, catalog: AiCatalog): ModelMatch[] {
  const out: ModelMatch[] = [];
  for (const value of shortFlagValues(line)) {
    const match = matchModel(value, "model", catalog);
    if (match && !out.some((o) => o.id === match.id)) out.push(match);
  }
  return out;
}

/**
 * The model a serving command takes as its first argument: `vllm serve ORG/NAME` (vLLM's CLI,
 * https://docs.vllm.ai/en/latest/cli/serve.html), `lmdeploy serve api_server ORG/NAME`, `trtllm-serve ORG/NAME`.
 */
const SERVE_COMMAND =
  /(?:^|[\s;&|(`"'])(?:vllm\s+serve|lmdeploy\s+serve\s+api_server|trtllm-serve(?:\s+serve)?)\s+["']?([\w.:/@+-]{2,200})/g;

/** Models a serving command on `line` names (`SERVE_COMMAND`). */
export function serveCommandModels(line: string, catalog: AiCatalog): ModelMatch[] {
  if (!line.includes("serve")) return [];
  const out: ModelMatch[] = [];
  for (const m of line.matchAll(SERVE_COMMAND)) {
    const value = m[1];
    const match = value && !value.startsWith("$") ? matchModel(value, "model", catalog) : undefined;
    if (match && !out.some((o) => o.id === match.id)) out.push(match);
  }
  return out;
}

/**
 * Models in a string value that holds a command line or code: `ollama pull X`, `--model X`,
 * `-m X`, and code stored in config (an n8n Code node's `model: "X"`). Each with its line offset
 * inside the value.
 */
function valueTextModels(value: string, catalog: AiCatalog, key?: string): (ModelMatch & { line: number })[] {
  // The text of an issue, a message, a report or a description (`"body": "...FAST_LLM=openai:gpt-4o..."`)
  // is written for people: ids quoted there are talked about, not configured. A JSON document kept
  // under such a key (a recorded HTTP request's `body: '{"model": ...}'`) is data all the same, and
  // so is a recorded stream (`event: message_start` / `data: {"model": ...}` server-sent events).
  if (key !== undefined && PROSE_KEY.test(key) && !DATA_TEXT.test(value)) return [];
  const structured = [...jsonTextModels(value, catalog, key), ...requestUrlModels(value, catalog)];
  if (value.length > MAX_VALUE_TEXT || !/ollama |\s-{1,2}[A-Za-z]|[:=(]\s*["'`]|:[ \t]*\n\s*-\s/.test(value))
    return structured;
  // A Markdown document kept as a value (a help-centre article with ``` examples) is prose, not code to run.
  if (value.includes("```")) return structured;
  const out: (ModelMatch & { line: number })[] = [...structured];
  const add = (m: ModelMatch, line: number) => {
    if (!out.some((o) => o.id === m.id && o.line === line)) out.push({ ...m, line });
  };
  for (const [offset, text] of value.split("\n", 5_000).entries()) {
    if (text.includes("ollama ")) for (const m of ollamaCommandModels(text)) add(m, offset);
    for (const m of shortModelFlags(text, catalog)) add(m, offset);
    for (const m of serveCommandModels(text, catalog)) add(m, offset);
  }
  // A quoted id with no name of its own (`${{ inputs.model || 'gemini-2.5-pro' }}`) counts when a strong pattern knows it.
  for (const c of embeddedModelCandidates(value, { comment: false, quoted: true })) {
    const m = matchModel(c.value, c.context, catalog);
    if (m) add(m, c.line);
  }
  return out;
}

/**
 * The model segment of a model API's request path, as providers define it: Amazon Bedrock
 * `/model/{modelId}/converse|converse-stream|invoke|invoke-with-response-stream` (percent-encoded:
 * `amazon.nova-lite-v1%3A0`), Gemini and Vertex AI `/models/{model}:generateContent` (and the other
 * `:method`s of a model resource), a `model=` query parameter (Deepgram `/v1/speak?model=`), and the
 * Hugging Face serverless Inference API `https://api-inference.huggingface.co/models/{org}/{name}`.
 */
const REQUEST_URL_MODEL =
  /\/model\/([^/?#\s]{2,200})\/(?:converse|converse-stream|invoke|invoke-with-response-stream)(?=$|[?#/\s"'])|\/models\/([^/?#:\s]{2,200}):(?:generateContent|streamGenerateContent|embedContent|batchEmbedContents|countTokens|predict|rawPredict|streamRawPredict|predictLongRunning|batchGenerateContent)(?=$|[?#/\s"'])|[?&]model=([^&#\s]{2,200})|\/\/api-inference\.huggingface\.co\/models\/([\w.-]{1,96}\/[\w.-]{1,96})(?=$|[?#\s"'])/g;

/** Models a recorded request's path or URL names (`REQUEST_URL_MODEL`), each at the value's first line. */
export function requestUrlModels(value: string, catalog: AiCatalog): (ModelMatch & { line: number })[] {
  if (value.length > MAX_LINE || !/\/models?\/|model=/.test(value)) return [];
  const out: (ModelMatch & { line: number })[] = [];
  for (const m of value.matchAll(REQUEST_URL_MODEL)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!raw || raw.includes("<") || raw.includes("{")) continue;
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      continue;
    }
    // A path segment is a model by the API's definition; a query parameter only as a model id would be under `model:`.
    const match = m[3] ? matchModel(id, "model", catalog) : matchDeclaredModel(id, catalog);
    if (match && !out.some((o) => o.id === match.id)) out.push({ ...match, line: 0 });
  }
  return out;
}

/** Longest string value parsed as a JSON document (a recorded response listing every model). */
const MAX_JSON_VALUE = 8 * 1024 * 1024;

/**
 * Models in a string value that is a JSON document (a recorded HTTP body: `body: '{"data":[...]}'`),
 * read as structure like a JSON file: keys name values, model objects and model records declare
 * their ids. The document sits under the key that holds the string, as if written there as
 * structure (a Helm env var `MODELS: '[{"id": "org/x"}, ...]'` is a list of models). All at the
 * value's first line (JSON kept in a string is one line). Strings inside it are not parsed again.
 */
function jsonTextModels(value: string, catalog: AiCatalog, key?: string): (ModelMatch & { line: number })[] {
  if (value.length > MAX_JSON_VALUE || !/^\s*[[{]/.test(value)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null) return [];
  const out: (ModelMatch & { line: number })[] = [];
  const add = (m: ModelMatch | undefined) => {
    if (m && !out.some((o) => o.id === m.id)) out.push({ ...m, line: 0 });
  };
  // A prose key (`body`, `content`) names nothing inside the document it holds.
  const root = key !== undefined && PROSE_KEY.test(key) ? undefined : key;
  visitValue(
    parsed,
    root,
    (v, k, declared) => add(declared ? matchDeclaredModel(v, catalog) : matchModel(v, k, catalog)),
    (k, table) => add(keyModel(k, table, catalog)),
  );
  return out;
}

/**
 * `${NAME=default}` (azd parameter files), `${NAME:-default}` / `${NAME-default}` / `${NAME:=default}`
 * (shell, Docker Compose), `${env://NAME:-default}` / `${env:NAME:-default}` (config files that say
 * the variable comes from the environment, e.g. mcphost's): a value that is a variable with the
 * default it falls back to.
 */
const INTERPOLATION_DEFAULT = /^\$\{(?:env:(?:\/\/)?)?([A-Za-z_]\w{0,100})(?::?[-=])([^{}$\s]{2,200})\}$/;

/**
 * The model a value names as the default of a variable (`${AZURE_OPENAI_CHATGPT_MODEL=gpt-4o-mini}`):
 * the default, named by the variable, else by the key holding the value.
 */
export function interpolatedModel(value: string, key: string | undefined, catalog: AiCatalog): ModelMatch | undefined {
  if (!value.startsWith("${")) return undefined;
  const m = INTERPOLATION_DEFAULT.exec(value.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return matchModel(m[2], m[1], catalog) ?? matchModel(m[2], key, catalog);
}

/**
 * Text that is data whatever key holds it: a JSON document (`{`, `[`), or a recorded stream of
 * server-sent events whose first field line is `event:`, `data:`, `id:` or `retry:` with a JSON
 * or word value (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 */
const DATA_TEXT = /^\s*(?:[[{]|(?:event|id|retry):[ \t]*[\w.-]*[ \t]*\r?\n|data:[ \t]*[[{"])/;

/** Keys whose values are text for people (an issue's body, a message, a description, a report). */
const PROSE_KEY =
  /^(body|text|content|message|description|comment|summary|report|evidence|answer|response|reasoning|markdown|notes?|explanation|feedback|reply|question|title|bio|readme)$/i;

/**
 * A piece of a string value as the file spells it, to find its line: the start of the value up to
 * the first character a format escapes, or the longest literal piece of a Jsonnet concatenation
 * (`home + '/bin/llm -m x'` reads as `${home}/bin/llm -m x`).
 */
function literalPrefix(value: string): string {
  const pieces = value.split(/\$\{[^}]*\}/).map((p) => p.split(/[\n\t"'\\]/)[0] ?? "");
  return pieces.reduce((a, b) => (b.length > a.length ? b : a), "").slice(0, 40);
}

/** YAML with positions: every scalar is visited with its key and its own line. */
function yamlModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const counter = new LineCounter();
  const out: ConfigModel[] = [];
  // A key written twice in one mapping (a settings file edited by hand) is an error to the YAML
  // spec but not to PyYAML or Ruby's Psych, which keep the last: the file is read all the same.
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false });
  if (!Array.isArray(docs)) return out;
  let visits = 0;
  const visit = (node: unknown, key: string | undefined) => {
    const stack: {
      node: unknown;
      key: string | undefined;
      parent?: string | undefined;
      data?: boolean;
      /** An entry of an Ollama pull list (`isOllamaPullList`). */
      pullList?: boolean;
    }[] = [{ node, key }];
    while (stack.length > 0 && visits++ < MAX_VISITS) {
      const item = stack.pop();
      if (!item) break;
      const n = item.node as Node | null;
      if (isScalar(n)) {
        if (typeof n.value !== "string") continue;
        // `--model=x` in a command list; `OPENAI_MODEL_NAME=x` in a Compose `environment` list.
        const flag = /^--?([\w-]+)=(.+)$/.exec(n.value) ?? /^([A-Za-z_][A-Za-z0-9_]{0,100})=([^\s=]+)$/.exec(n.value);
        const alias = item.key === "alias" ? AIDER_ALIAS.exec(n.value) : null;
        const match = alias?.[1]
          ? matchModel(alias[1], "model", catalog)
          : item.pullList
            ? matchDeclaredModel(n.value, catalog)
            : flag?.[1] && flag[2]
              ? matchModel(flag[2], flag[1], catalog)
              : (matchModel(n.value, inDataset(item.data, item.key), catalog) ??
                (item.data ? undefined : interpolatedModel(n.value, item.key, catalog)));
        const line = counter.linePos(n.range?.[0] ?? 0).line;
        if (match) out.push({ ...match, line });
        else {
          // A block scalar (`|`, `>-`) starts on the line after its indicator.
          const first = n.type === "BLOCK_LITERAL" || n.type === "BLOCK_FOLDED" ? line + 1 : line;
          for (const m of valueTextModels(n.value, catalog, item.key)) out.push({ ...m, line: first + m.line });
        }
      } else if (isSeq(n)) {
        for (const [i, entry] of n.items.entries()) {
          const prev = n.items[i - 1];
          const flag =
            isScalar(prev) && typeof prev.value === "string" && prev.value.startsWith("-")
              ? prev.value.replace(/^-+/, "")
              : undefined;
          stack.push({
            node: entry,
            key: flag ?? item.key,
            data: item.data,
            pullList:
              !item.data && (isOllamaPullList(item.key, item.parent) || isDefaultModelList(item.key, item.parent)),
          });
        }
      } else if (isMap(n)) {
        const nameItem = n.items.find((p) => isScalar(p.key) && p.key.value === "name");
        const envName =
          nameItem && isScalar(nameItem.value) && typeof nameItem.value.value === "string"
            ? nameItem.value.value
            : undefined;
        const labelled =
          nameItem !== undefined && n.items.some((p) => isScalar(p.key) && ENTRY_MODEL_KEY.test(String(p.key.value)));
        for (const pair of n.items) {
          if (!isPair(pair)) continue;
          const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
          const settings =
            pair.value === null || isMap(pair.value) || (isScalar(pair.value) && pair.value.value === null);
          const keyMatch =
            k !== undefined && isScalar(pair.key) && !item.data && !isAliasKey(k, pair.value, catalog)
              ? keyModel(k, { name: item.key, owner: item.parent, settings }, catalog)
              : undefined;
          if (keyMatch && isScalar(pair.key))
            out.push({ ...keyMatch, line: counter.linePos(pair.key.range?.[0] ?? 0).line });
          stack.push({
            node: pair.value,
            key:
              k === "value" && envName ? envName : k === undefined ? k : ownerKey(k, item.key, item.parent, labelled),
            parent: item.key,
            data: item.data || isDatasetContext(k),
            ...(!item.data && k !== undefined && isEndpointModelSetting(k, pair.value, n) ? { pullList: true } : {}),
          });
        }
      }
    }
  };
  for (const doc of docs) if (doc.errors.length === 0) visit(doc.contents, undefined);
  out.push(...yamlCommentModels(text, catalog, out));
  return out.sort((a, b) => a.line - b.line);
}

/**
 * LibreChat's `models: { default: [...] }` (an endpoint's model list, https://www.librechat.ai/docs/configuration/librechat_yaml/object_structure/custom_endpoint#models):
 * the `default` key is rewritten to its owner by `ownerKey`, so the list's key and parent are both
 * `models`. Every entry is a model however it is spelled (`chatx_cheap_128k`, `MoA-1`, `tiny`).
 */
function isDefaultModelList(key: string | undefined, parent: string | undefined): boolean {
  return key === "models" && parent === "models";
}

/** LibreChat's sentinel for "the conversation's own model" in `titleModel` / `summaryModel`. */
const CURRENT_MODEL = "current_model";

/**
 * `titleModel: llama-summarize` / `summaryModel: x` beside an endpoint's `models` table: the model
 * LibreChat titles or summarises with, declared (not the `current_model` sentinel).
 */
function isEndpointModelSetting(key: string, value: unknown, table: { items: readonly unknown[] }): boolean {
  if (key !== "titleModel" && key !== "summaryModel") return false;
  if (!isScalar(value) || typeof value.value !== "string" || value.value === CURRENT_MODEL) return false;
  return table.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === "models" && isMap(p.value));
}

/**
 * Settings commented out in a YAML file (`# - provider_name: openai` / `#   llm_model_ids:` /
 * `#     - "gpt-4o"`, an alternative left for the user to switch on): the comment lines read as
 * the text they would be, with the rules for code in text (`embeddedModelCandidates`): a quoted
 * value a strong pattern knows, a list item named by its block's key, a `model: "x"` pair.
 */
function yamlCommentModels(text: string, catalog: AiCatalog, found: readonly ConfigModel[]): ConfigModel[] {
  if (!text.includes("#")) return [];
  const lines = text.split(/\r?\n/, MAX_LINES);
  let any = false;
  const commented = lines.map((line) => {
    const m = /^\s*#+ ?(.*)$/.exec(line);
    if (!m) return "";
    any = true;
    return m[1] ?? "";
  });
  if (!any) return [];
  const out: ConfigModel[] = [];
  const seen = new Set(found.map((m) => `${m.id}:${m.line}`));
  // `# Need to run "ollama run nomic-embed-text"`: a setup step left in a comment pulls a model.
  for (const [index, line] of commented.entries()) {
    if (!line.includes("ollama ")) continue;
    for (const match of ollamaCommandModels(line)) {
      if (seen.has(`${match.id}:${index + 1}`)) continue;
      seen.add(`${match.id}:${index + 1}`);
      out.push({ ...match, line: index + 1 });
    }
  }
  for (const c of embeddedModelCandidates(commented.join("\n"), { comment: true })) {
    const match = matchModel(c.value, c.context, catalog);
    const line = c.line + 1;
    if (!match || seen.has(`${match.id}:${line}`)) continue;
    seen.add(`${match.id}:${line}`);
    out.push({ ...match, line });
  }
  return out;
}

/** `# Example: value` / `# e.g. value` alone on a dotenv comment line. */
const ENV_EXAMPLE = /^\s*#+\s*(?:example|e\.g\.?|eg|for example)\s*[:=]?\s*["'`]?([\w.:/@+-]{2,200})["'`]?\s*$/i;

/** One `key=value` entry of a `.properties` file, with the line it starts on. */
export interface PropertyEntry {
  key: string;
  value: string;
  line: number;
}

/** Undo `.properties` escapes (`\=`, `\:`, `\ `, `\t`, `\uXXXX`). */
function unescapeProperty(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) =>
    c.length === 5
      ? String.fromCharCode(Number.parseInt(c.slice(1), 16))
      : c === "t"
        ? "\t"
        : c === "n"
          ? "\n"
          : c === "r"
            ? "\r"
            : c,
  );
}

/**
 * Read a Java `.properties` file the way `java.util.Properties.load` does: `#`/`!` comments,
 * `=`, `:` or whitespace separators, backslash line continuations and escapes. Bounded: at most
 * MAX_LINES lines and MAX_LINE characters per logical line. Never throws.
 */
export function parseProperties(text: string): PropertyEntry[] {
  const lines = text.split(/\r\n|\r|\n/, MAX_LINES);
  const out: PropertyEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = (lines[i] ?? "").replace(/^[ \t\f]+/, "");
    if (logical === "" || logical.startsWith("#") || logical.startsWith("!")) continue;
    // An odd number of trailing backslashes continues the line; past MAX_LINE the rest of the
    // chain is consumed but not kept. Each line is looked at once, so a long chain stays linear.
    let more = continues(logical);
    while (more && i + 1 < lines.length) {
      i += 1;
      const next = (lines[i] ?? "").replace(/^[ \t\f]+/, "");
      if (logical.length < MAX_LINE) logical = logical.slice(0, -1) + next;
      more = continues(next);
    }
    if (continues(logical)) logical = logical.slice(0, -1);
    if (logical.length > MAX_LINE) logical = logical.slice(0, MAX_LINE);
    const sep = /^((?:\\.|[^\\=:\s])*)[ \t\f]*(?:[=:][ \t\f]*|(?=[^ \t\f])|$)/.exec(logical);
    const rawKey = sep?.[1] ?? "";
    if (!rawKey) continue;
    out.push({
      key: unescapeProperty(rawKey),
      value: unescapeProperty(logical.slice(sep?.[0].length ?? 0)).trim(),
      line: start + 1,
    });
  }
  return out;
}

/**
 * Settings commented out as alternatives (`# OPENAI_MODEL="llama3.1"`, `#spring.ai.x.model=y`,
 * TOML's `# model = "llama3.2"  # note`): a line that is one comment marker and a lone
 * `key=value`, with at most a trailing comment. A trailing comment that is only a quoted value
 * (`model = "YOUR_MODEL" #"gpt-4o-mini"`) is an alternative for the same key, on a setting
 * line or a commented one. Prose comments, and lines commented twice (`# # key=value`), are not settings.
 */
export function commentedAssignments(text: string, marker: RegExp): PropertyEntry[] {
  const out: PropertyEntry[] = [];
  if (!text.includes("=")) return out;
  const line = new RegExp(
    `^[ \\t]*(${marker.source})?[ \\t]*(?:export[ \\t]+)?([A-Za-z_][\\w.-]{0,120})[ \\t]*=[ \\t]*(["']?)([^"'\\s#]{2,200})\\3[ \\t]*(?:${marker.source}[ \\t]*(?:(["'])([^"'\\s]{2,200})\\5[ \\t]*$|.*)|$)`,
  );
  for (const [index, raw] of text.split(/\r?\n/, MAX_LINES).entries()) {
    if (raw.length > MAX_LINE || !raw.includes("=")) continue;
    const m = line.exec(raw);
    const key = m?.[2];
    if (!m || !key) continue;
    if (m[1] && m[4]) out.push({ key, value: m[4], line: index + 1 });
    if (m[6]) out.push({ key, value: m[6], line: index + 1 });
  }
  return out;
}

/** True when `line` ends in an odd number of backslashes (a `.properties` continuation). */
function continues(line: string): boolean {
  let n = 0;
  for (let k = line.length - 1; k >= 0 && line.charCodeAt(k) === 92; k--) n += 1;
  return n % 2 === 1;
}

/** The name a dotted property key gives its value: its last segment, `-` read as `_`. */
function propertyContext(key: string): string {
  const last = key.slice(key.lastIndexOf(".") + 1);
  return last.replace(/-/g, "_");
}

/** `NAME=value` (sh, `export`, batch `set`) and `--flag value` / `--flag=value` in a script. */
/** A `"model": "x"` pair of JSON written in a script (escaped quotes too: `\"model\": \"x\"`). */
const JSON_MODEL_PAIR = /\\?"(model(?:_?(?:id|name))?)\\?"\s*:\s*\\?"([\w.:/@+-]{2,200})\\?"/gi;

function scriptModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  for (const [index, raw] of text.split(/\r?\n/, MAX_LINES).entries()) {
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    if (/^\s*(#|rem\b|::)/i.test(line)) continue;
    const found = new Set<string>();
    const add = (value: string | undefined, key: string | undefined) => {
      const match = value && key ? matchModel(value, key, catalog) : undefined;
      if (match && !found.has(match.id)) {
        found.add(match.id);
        out.push({ ...match, line: index + 1 });
      }
    };
    const assign = /^\s*(?:export\s+|set\s+|local\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_]\w*)=["']?([^"'\s;#&|]+)/i.exec(
      line,
    );
    if (assign) add(assign[2], assign[1]);
    // Assignments later on the line: make's command-line variables (`$(MAKE) pull MODEL=llama3.2`),
    // `env MODEL=x cmd`, `docker run -e MODEL=x`.
    if (line.includes("="))
      for (const m of line.matchAll(/\s([A-Za-z_]\w{0,60})=["']?([^"'\s;#&|]{2,200})/g)) add(m[2], m[1]);
    // A JSON request body on a command line (`curl -d '{"model": "org/name", ...}'`).
    if (line.includes('"model')) for (const m of line.matchAll(JSON_MODEL_PAIR)) add(m[2], m[1]);
    for (const m of ollamaCommandModels(line))
      if (!found.has(m.id)) {
        found.add(m.id);
        out.push({ ...m, line: index + 1 });
      }
    // A flag's value may be quoted inside a quoted alias (`alias x="sgpt -m \"o1-preview\""`).
    // A namespaced flag (`--actor.model_name_or_path X`, jsonargparse / Hydra style) is named by its last part.
    for (const m of line.matchAll(/(?:^|\s)--?([A-Za-z][\w.-]*)(?:=|\s+)\\?["']?([\w.:/@+-]+)/g))
      add(m[2], m[1]?.slice(m[1].lastIndexOf(".") + 1));
    for (const m of [...shortModelFlags(line, catalog), ...serveCommandModels(line, catalog)])
      if (!found.has(m.id)) {
        found.add(m.id);
        out.push({ ...m, line: index + 1 });
      }
  }
  return out;
}

/**
 * JSON as editors write it: comments and trailing commas allowed (VS Code settings, `.jsonc`,
 * devcontainer.json). Anything else malformed throws.
 */
function parseJson(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) throw new Error(`${printParseErrorCode(first.error)} at offset ${first.offset}`);
  return value;
}

/** `name: "value"` (Ruby, Kotlin and Swift named arguments and hash keys) and Ruby's `:name => "value"`. */
const KEYWORD_ARG = /(?:^|[\s(,{]):?([A-Za-z_]\w{0,60})(?::|\s*=>)\s*["']([^"'\s]{2,200})["']/g;
/** `name: %w[a b c]` / `NAME = %w(a b)`: a Ruby word array written on one line, with the key before it. */
const WORD_ARRAY = /(?:([A-Za-z_]\w{0,60})(?::|\s*=>|\s*=)\s*)?%[wW](?:\[([^\]\n]{1,2000})\]|\(([^)\n]{1,2000})\))/g;
const MAX_WORDS = 200;
const MODEL_WORD = /\bmodels?\b/i;
/** A double-quoted string of prose (with a space) on one line. */
const QUOTED_PROSE = /"([^"\n]{0,500} [^"\n]{0,500})"/g;
/** Typed constants one table of model constants is read from at most, and the known ids it needs. */
const MAX_CONSTS = 5_000;
const MIN_CONST_TABLE = 3;
/** `NAME: &str = "value"`, `val name: String = "value"`: a typed constant (Rust, Kotlin, Scala, Swift). */
const TYPED_CONST = /\b([A-Za-z_]\w{0,60})\s*:\s*&?(?:'static\s+)?[\w<>[\]?]{1,40}\s*=\s*["']([^"'\s]{2,200})["']/g;

/**
 * Rust's `QwenModel::QwenMax => "qwen-max".to_string()`: the value a match arm gives an enum's
 * variant is named by the enum (`Self::X` by the type of the `impl` around it).
 */
const MATCH_ARM =
  /(?:^|[\s(,{|])(?:[A-Za-z_]\w{0,60}::)*([A-Z]\w{0,60})::[A-Za-z_]\w{0,60}(?:\s*[({][^=]{0,80}?[)}])?\s*=>\s*(?:\{\s*)?(?:String::from\(\s*)?"([^"\s]{2,200})"/g;
/** An enum whose variants are models: `QwenModel`, `ChatModels`, `EmbeddingModelName`. */
const ENUM_OF_MODELS = /Model(?:s|Name|Id)?$/;
/** `impl ToString for QwenModel {`, `impl<'a> QwenModel {`: the type a `Self::` arm names. */
const IMPL_LINE = /^\s*impl\b(?:<[^>]{0,80}>)?\s+(?:[\w:<>]{1,80}\s+for\s+)?(?:\w+::)*([A-Z]\w{0,60})/;

/**
 * A field or variable set through a wrapper: Rust's `default_model: Some(String::from("x"))`,
 * `model = Some("x".to_string())`.
 */
const WRAPPED =
  /(?:^|[\s(,{])([A-Za-z_]\w{0,60})\s*(?::|=)\s*(?:Some\(\s*)?(?:(?:[A-Z]\w{0,40}::)?(?:from|new)\(\s*)?"([^"\s]{2,200})"/g;

/**
 * Model ids in source files of languages without a parser here (Ruby, Rust, Groovy, Kotlin...):
 * the structures of `embeddedModelCandidates` (`name = "id"`, `.modelName("id")`, `"model":
 * "id"`), named arguments and typed constants, each line on its own; a bare quoted string counts
 * only when a strong pattern knows it.
 */
function codeModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  const seen = new Set<string>();
  const add = (value: string | undefined, context: string | undefined, line: number) => {
    const match = value ? matchModel(value, context, catalog) : undefined;
    if (!match || seen.has(`${match.id}:${line}`)) return;
    seen.add(`${match.id}:${line}`);
    out.push({ ...match, line });
  };
  // A line that is all comment (`// const MODEL = "x"`, `/// e.g. "openai::gpt-4"`, `# x`) names
  // an id in prose or code left out: read as a blank line.
  // A fenced example in a doc comment (rustdoc's `//! ```` blocks, compiled as doctests) is code.
  let fenced = false;
  const lines = text.split("\n", MAX_LINES).map((l) => {
    if (!COMMENT_LINE.test(l)) return l;
    if (DOC_FENCE.test(l)) fenced = !fenced;
    return fenced ? l : "";
  });
  let implType: string | undefined;
  // `pub const O1: &str = "o1"; pub const GPT4: &str = "gpt-4";`: a run of typed constants (blank
  // and comment lines between) that are mostly known ids is a table of model constants, each read
  // as named model (as Go's const blocks).
  let run: { value: string; line: number }[] = [];
  const closeRun = () => {
    const known = run.filter((c) => seen.has(`${c.value}:${c.line}`)).length;
    if (known >= MIN_CONST_TABLE && known * 2 >= run.length) for (const c of run) add(c.value, "model", c.line);
    run = [];
  };
  for (const [index, raw] of lines.entries()) {
    if (!raw.includes(":")) {
      if (raw.trim() !== "") closeRun();
      if (raw.includes("impl")) implType = IMPL_LINE.exec(raw.slice(0, MAX_LINE))?.[1] ?? implType;
      continue;
    }
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    if (line.includes("impl")) implType = IMPL_LINE.exec(line)?.[1] ?? implType;
    let typed = false;
    for (const m of line.matchAll(TYPED_CONST)) {
      typed = true;
      if (m[2] !== undefined && run.length < MAX_CONSTS) run.push({ value: m[2], line: index + 1 });
      add(m[2], m[1], index + 1);
    }
    if (!typed && line.trim() !== "") closeRun();
    if (line.includes("=>"))
      for (const m of line.matchAll(MATCH_ARM)) {
        const enumName = m[1] === "Self" ? implType : m[1];
        // An enum of models (`QwenModel`), not of their kinds or providers (`ModelKind::OpenAI => "chat/completions"`).
        if (enumName && ENUM_OF_MODELS.test(enumName)) add(m[2], enumName, index + 1);
      }
    for (const m of line.matchAll(KEYWORD_ARG)) add(m[2], m[1], index + 1);
    // Ruby's word array on one line (`limited_to: %w[gpt-4o gpt-4o-mini]`), each word named by the key before it.
    if (line.includes("%w") || line.includes("%W"))
      for (const m of line.matchAll(WORD_ARRAY))
        for (const word of (m[2] ?? m[3] ?? "").trim().split(/\s+/, MAX_WORDS)) add(word, m[1], index + 1);
    // A help text that says model (`desc: "AI model name to use (e.g. gpt-4o, claude-3-haiku-20240307)"`):
    // the ids of its prose, as a parsed language's help strings are read (`proseTokens`).
    if (MODEL_WORD.test(line))
      for (const q of line.matchAll(QUOTED_PROSE))
        for (const c of proseTokens(q[1] ?? "")) add(c.value, c.context, index + 1);
    if (line.includes("Some(") || line.includes("::"))
      for (const m of line.matchAll(WRAPPED)) add(m[2], m[1], index + 1);
  }
  closeRun();
  for (const c of embeddedModelCandidates(lines.join("\n"), { comment: true })) add(c.value, c.context, c.line + 1);
  for (const item of modelListItems(lines, catalog)) {
    const match = matchDeclaredModel(item.value, catalog);
    if (match && !seen.has(`${match.id}:${item.line}`)) {
      seen.add(`${match.id}:${item.line}`);
      out.push({ ...match, line: item.line });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** A code fence in a comment line (`//! ```rust`, `/// ````, ` * ````). */
const DOC_FENCE = /^\s*(?:\/\/[/!]?|\*|#)\s*```/;
/** A line of code that is only a comment: `//`, `///`, `/*`, ` * `, `#` (not Rust's `#[attr]` or `#!`), SQL's `--`. */
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*|#(?![[!])|--(?!-))/;

/**
 * A list literal named for models that opens at the end of its line: Rust's `const MODELS:
 * &[&str] = &[`, Kotlin's `val models = listOf(`, Ruby's `MODELS = %w[`, Swift's `let models = [`.
 */
const MODEL_LIST_OPEN =
  /\b([A-Za-z_]\w{0,60})\s*(?::[^=]{1,60})?=\s*&?\s*(?:vec!\s*)?(?:\[|(?:listOf|arrayOf|setOf|mutableListOf|List\.of|Set\.of|Arrays\.asList)\s*\(|%[wi][[(])\s*$/;
/** The name of a list of models (`MODELS`, `SUPPORTED_MODELS`, `chatModels`), not of their prefixes or keywords. */
const MODEL_LIST_NAME = /models?$/i;
/** A quoted item of a list, with the key before it when the item is a record's field. */
const LIST_ITEM = /(?:([A-Za-z_]\w{0,60})["']?\s*(?::|=>|=)\s*)?(?:"([^"\s]{2,200})"|'([^'\s]{2,200})')/g;
/** Lines read for one list's items at most. */
const MAX_LIST_LINES = 2_000;
/** Recognised items a named list needs to be read as a list of models: two, and a quarter of its items. */
const MIN_LIST_KNOWN = 2;

/**
 * The items of model lists in code: each list literal named for models (MODEL_LIST_OPEN) whose
 * items are mostly ids — two known ones at least and a quarter of them — gives every item, known
 * or not (a provider's catalogue of its own model names: `"ERNIE-4.0-8K"`, `"command-light"`).
 * A list of other things named so (a Rails app's `MODELS = %w[User Post]`) has no known id.
 */
function modelListItems(lines: readonly string[], catalog: AiCatalog): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    if (!line.includes("=")) continue;
    const open = MODEL_LIST_OPEN.exec(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    if (!open?.[1] || !MODEL_LIST_NAME.test(open[1])) continue;
    const words = /%[wi][[(]\s*$/.test(line);
    const items: { value: string; line: number }[] = [];
    let j = i + 1;
    for (; j < lines.length && j <= i + MAX_LIST_LINES; j += 1) {
      const body = (lines[j] ?? "").trim();
      if (/^[\])]/.test(body)) break;
      if (body.startsWith("//") || body.startsWith("#")) continue;
      if (words) for (const w of body.split(/\s+/)) w && items.push({ value: w, line: j + 1 });
      else
        for (const m of body.matchAll(LIST_ITEM)) {
          // An item that is a record (`{ model: 'x', voice: 'y' }`) gives its model's value only.
          const value = m[2] ?? m[3];
          if (value && (m[1] === undefined || /model|^id$|^name$/i.test(m[1]))) items.push({ value, line: j + 1 });
        }
    }
    const known = items.filter((it) => matchModel(it.value, "model", catalog) !== undefined).length;
    if (known >= MIN_LIST_KNOWN && known * 4 >= items.length) out.push(...items);
    i = j;
  }
  return out;
}

/** A Robot Framework variable: `${model}    value`, `${MODEL}=  value`, `Set Variable`-free. */
const ROBOT_VARIABLE = /^[$@&]\{([\w .-]{1,60})\}=?(?: {2,}|\t+)\s*([^\s]{2,200})/;

/** Model ids a Robot Framework suite sets in its variables (named like a model). */
function robotModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  for (const [index, line] of text.split(/\r?\n/, MAX_LINES).entries()) {
    const m = ROBOT_VARIABLE.exec(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    const match = m?.[1] && m[2] ? matchModel(m[2], m[1].replace(/[ .-]/g, "_"), catalog) : undefined;
    if (match) out.push({ ...match, line: index + 1 });
  }
  return out;
}

/**
 * The model an Ollama Modelfile builds on: `FROM llama3.2`, `FROM org/name:Q8_0`. The argument is
 * a model by construction unless it is a weights file or a path (`FROM ./model.gguf`).
 */
function modelfileModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  for (const [index, line] of text.split(/\r?\n/, MAX_LINES).entries()) {
    const m = /^\s*FROM\s+["']?([A-Za-z0-9][\w.:/@-]{1,200})["']?\s*$/i.exec(line);
    const id = m?.[1];
    if (!id) continue;
    const known = matchModel(id, "model", catalog);
    if (known) out.push({ ...known, line: index + 1 });
    else if (!/\.(gguf|bin|safetensors)$/i.test(id) && !id.includes("/models/"))
      out.push({ id, provider: "ollama", line: index + 1 });
  }
  return out;
}

/**
 * The models of one setting, read whole or, when that is no model, as a comma-separated list
 * (`OPENAI_COMPATIBLE_MODELS=deepseek-chat,deepseek-reasoner`).
 */
function listValueModels(value: string, key: string, catalog: AiCatalog): ModelMatch[] {
  const whole = matchModel(value, key, catalog);
  if (whole) return [whole];
  if (!value.includes(",")) return [];
  const out: ModelMatch[] = [];
  for (const part of value.split(",", 100)) {
    const match = matchModel(part, key, catalog);
    if (match && !out.some((o) => o.id === match.id)) out.push(match);
  }
  return out;
}

/**
 * Models in a recorded HTTP trace (`readHttprr`): the model segment of each request URL and the
 * models its JSON bodies declare, read like the bodies of a YAML cassette.
 */
function traceModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  for (const part of readHttprr(text)) {
    const found = part.kind === "url" ? requestUrlModels(part.text, catalog) : jsonTextModels(part.text, catalog);
    for (const m of found) out.push({ ...m, line: part.line });
  }
  return out;
}

/**
 * Models in a recorded body: the whole text when it is JSON, else each server-sent event's
 * `data:` line (https://html.spec.whatwg.org/multipage/server-sent-events.html) read as JSON.
 */
function recordingModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  if (/^\s*[[{]/.test(text)) {
    for (const m of jsonTextModels(text, catalog)) out.push({ ...m, line: lineAt(text, `"${m.id}"`) });
    return out;
  }
  const seen = new Set<string>();
  for (const [index, line] of text.split("\n", MAX_LINES).entries()) {
    if (!line.startsWith("data:")) continue;
    for (const m of jsonTextModels(line.slice(5), catalog)) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      out.push({ ...m, line: index + 1 });
    }
  }
  return out;
}

/** Models named in one configuration file. Malformed input throws; the caller records a note. */
export function configModels(text: string, format: ConfigFormat, catalog: AiCatalog): ConfigModel[] {
  if (format === "yaml") return yamlModels(text, catalog);
  if (format === "shell") return scriptModels(text, catalog);
  if (format === "properties") {
    const out: ConfigModel[] = [];
    for (const entry of parseProperties(text)) {
      const match = matchModel(entry.value, propertyContext(entry.key), catalog);
      if (match) out.push({ ...match, line: entry.line });
    }
    for (const entry of commentedAssignments(text, /[#!]/)) {
      const match = matchModel(entry.value, propertyContext(entry.key), catalog);
      if (match) out.push({ ...match, line: entry.line });
    }
    return out.sort((a, b) => a.line - b.line);
  }
  if (format === "env") {
    const out: ConfigModel[] = [];
    const add = (value: string, key: string, line: number) => {
      for (const match of listValueModels(value, key, catalog)) out.push({ ...match, line });
    };
    /** The value of an `# Example: x` comment waiting for the setting it documents, with its line. */
    let example: { value: string; line: number } | undefined;
    for (const [index, line] of text.split(/\r?\n/, MAX_LINES).entries()) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][\w]*)\s*=\s*["']?([^"'#\s]+)["']?/.exec(line);
      if (m?.[1] && m[2]) {
        const fallback = interpolatedModel(m[2], m[1], catalog);
        if (fallback) out.push({ ...fallback, line: index + 1 });
        else add(m[2], m[1], index + 1);
      }
      // `# Example: openai/whisper-large-v3-turbo` over `TRANSCRIPTION_MODEL=`: the example value of
      // the setting below the comment block, named by it.
      const name = m?.[1] ?? /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=/.exec(line)?.[1];
      if (name && example) add(example.value, name, example.line);
      const comment = /^\s*#/.test(line);
      if (!comment) example = undefined;
      else {
        const e = ENV_EXAMPLE.exec(line);
        if (e?.[1]) example = { value: e[1], line: index + 1 };
      }
    }
    for (const entry of commentedAssignments(text, /#/)) add(entry.value, entry.key, entry.line);
    return out.sort((a, b) => a.line - b.line);
  }
  if (format === "code") return codeModels(text, catalog);
  if (format === "robot") return robotModels(text, catalog);
  if (format === "modelfile") return modelfileModels(text, catalog);
  if (format === "httprr") return traceModels(text, catalog);
  if (format === "recording") return recordingModels(text, catalog);
  const parse = (body: string) =>
    format === "json"
      ? parseJson(body)
      : format === "jsonnet"
        ? readJsonnet(body).value
        : format === "nix"
          ? readNix(body).value
          : parseToml(body);
  let value: unknown;
  try {
    value = parse(text);
  } catch (cause) {
    // A template (chezmoi's `config.toml.tmpl`) is read in the shape it renders to, lines kept.
    const shape = renderTemplateShape(text);
    if (shape === undefined) throw cause;
    try {
      value = parse(shape);
    } catch {
      throw cause;
    }
    text = shape;
  }
  const out: ConfigModel[] = [];
  const quote = format === "json" ? '"' : "";
  visitValue(
    value,
    undefined,
    (v, key, declared) => {
      const match = declared
        ? matchDeclaredModel(v, catalog)
        : (matchModel(v, key, catalog) ?? (key === "dataset" ? undefined : interpolatedModel(v, key, catalog)));
      if (match) out.push({ ...match, line: lineAt(text, `${quote}${v}`) });
      else {
        // A command line or code kept in a value (`command = "codex -m X"`, an n8n Code node).
        const found = valueTextModels(v, catalog, key);
        if (found.length === 0) return;
        // JSON escapes a value's newlines, so it sits on one line; TOML multi-line strings do not.
        const start = lineAt(text, format === "json" ? `"${v.slice(0, 40).split(/[\n\t"\\]/)[0]}` : literalPrefix(v));
        for (const m of found) out.push({ ...m, line: start + (format === "json" ? 0 : m.line) });
      }
    },
    (key, table) => {
      const match = keyModel(key, table, catalog);
      if (match) out.push({ ...match, line: lineAt(text, key) });
    },
  );
  if (format === "toml")
    for (const entry of commentedAssignments(text, /#/)) {
      const match = matchModel(entry.value, propertyContext(entry.key), catalog);
      if (match) out.push({ ...match, line: entry.line });
    }
  return out;
}

/** Models in a Dockerfile: `ENV KEY=VALUE` / `ENV KEY VALUE` and `--model X` in commands. */
export function dockerfileModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const out: ConfigModel[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const env = /^\s*(?:ENV|ARG)\s+(.*)$/i.exec(line)?.[1];
    if (env) {
      const pairs = env.includes("=")
        ? [...env.matchAll(/([A-Za-z_]\w*)=["']?([^"'\s]+)/g)].map((m) => [m[1], m[2]])
        : [env.trim().split(/\s+/, 2)];
      for (const [key, value] of pairs) {
        const match = key && value ? matchModel(value, key, catalog) : undefined;
        if (match) out.push({ ...match, line: index + 1 });
      }
    }
    for (const m of ollamaCommandModels(line))
      if (!out.some((o) => o.line === index + 1 && o.id === m.id)) out.push({ ...m, line: index + 1 });
    for (const m of line.matchAll(/--(model|model-id|model_id|served-model-name)["']?[=,\s]+["']?([\w.:/@-]+)/g)) {
      const match = m[1] && m[2] ? matchModel(m[2], m[1], catalog) : undefined;
      if (match && !out.some((o) => o.line === index + 1 && o.id === match.id)) out.push({ ...match, line: index + 1 });
    }
  }
  return out;
}
