/**
 * Text configs that ship with models, parsed as what they are: JSON (`tokenizer_config.json`,
 * `config.json`), YAML (training and serving configs) and Jinja (`chat_template.jinja`). Chat
 * templates go through the GGUF template checks; YAML tags that make PyYAML's unsafe loaders
 * import or call Python (`!!python/object/apply:os.system`) are judged by what they reach.
 * A config with nothing wrong is not a model file and is not reported.
 */
import { LineCounter, parseAllDocuments, visit } from "yaml";
import { embeddedPickleFindings } from "../embedded.js";
import { aFinding } from "../finding.js";
import { classifyGlobal } from "../pickle/classify.js";
import type { ModelFinding } from "../types.js";
import { checkTemplate, MAX_TEMPLATE_CHARS } from "./gguf.js";
import type { FormatReport } from "./report.js";

/** Largest config read (tokenizer.json files run to tens of MiB; configs with templates do not). */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;
/** Largest YAML config parsed: YAML parsing costs far more per byte than JSON, and configs are small. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

export type ConfigKind = "json" | "yaml" | "jinja";

/** The kind of text config a file name says it is; text has no magic bytes, so names decide here. */
export function configKind(name: string): ConfigKind | undefined {
  if (/\.json$/i.test(name)) return "json";
  if (/\.ya?ml$/i.test(name)) return "yaml";
  if (/\.(jinja2?|j2)$/i.test(name)) return "jinja";
  return undefined;
}

/** Keys whose string values are Jinja chat templates (Hugging Face, vLLM, axolotl, Ollama-style). */
const TEMPLATE_KEY = /(^|_)(chat_)?template$/i;
const JINJA = /\{\{|\{%/;

/** Analyse a config's text; undefined when it holds nothing to report. */
export function analyseConfig(text: string, kind: ConfigKind): FormatReport | undefined {
  const findings: ModelFinding[] = [];
  if (kind === "jinja") templateFindings("template", text, findings);
  else if (kind === "json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    walkTemplates(value, "", findings, 0);
    findings.push(...embeddedPickleFindings(value, ""));
  } else yamlFindings(text, findings);
  if (findings.length === 0) return undefined;
  return { format: "model-config", findings, identity: {} };
}

function templateFindings(where: string, template: string, findings: ModelFinding[]): void {
  if (template.length > MAX_TEMPLATE_CHARS) {
    findings.push(aFinding("unscannable", `${where}: template longer than ${MAX_TEMPLATE_CHARS} characters`));
    return;
  }
  const reasons = checkTemplate(template);
  if (reasons.length > 0) findings.push(aFinding("chat-template-injection", `${where}: ${reasons.join(", ")}`));
}

/**
 * Chat templates anywhere in parsed JSON or YAML: a string under a `*template` key, or the
 * `[{name, template}]` list form of `tokenizer_config.json`'s `chat_template`.
 */
function walkTemplates(value: unknown, path: string, findings: ModelFinding[], depth: number): void {
  if (depth > 64 || findings.length > 100) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walkTemplates(v, `${path}[${i}]`, findings, depth + 1);
    });
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof v === "string" && TEMPLATE_KEY.test(key) && JINJA.test(v)) templateFindings(at, v, findings);
    else walkTemplates(v, at, findings, depth + 1);
  }
}

/** PyYAML's Python tags (yaml/constructor.py, FullConstructor and UnsafeConstructor). */
const PYTHON_TAG = /^tag:yaml\.org,2002:python\/(object\/apply|object\/new|object|name|module):(.*)$/;

/**
 * Deepest run of unclosed `[` and `{` (quotes ignored, so it over-counts, never under-counts).
 * The YAML parser spends about 1 KB of heap per open flow collection: four MiB of `[` would take
 * gigabytes and can end the process with an out-of-memory no handler catches.
 */
function flowDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return deepest;
}

/** Real configs nest a handful of levels; deeper flow nesting is refused before parsing. */
const MAX_YAML_FLOW_DEPTH = 256;

function yamlFindings(text: string, findings: ModelFinding[]): void {
  if (flowDepth(text, MAX_YAML_FLOW_DEPTH) > MAX_YAML_FLOW_DEPTH) {
    findings.push(aFinding("unscannable", `YAML nests more than ${MAX_YAML_FLOW_DEPTH} flow collections`));
    return;
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    visit(doc, (_key, node) => {
      if (findings.length > 100) return visit.BREAK;
      const tag = (node as { tag?: string }).tag;
      const match = tag ? PYTHON_TAG.exec(tag) : null;
      if (match) findings.push(pythonTag(match[1] as string, match[2] as string, node, lines));
      return undefined;
    });
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      continue; // a document YAML itself rejects holds no template to check
    }
    walkTemplates(value, "", findings, 0);
    findings.push(...embeddedPickleFindings(value, ""));
  }
}

/** A PyYAML python tag: what loading it does, judged by the callable or module it names. */
function pythonTag(kind: string, target: string, node: unknown, lines: LineCounter): ModelFinding {
  const offset = (node as { range?: [number, number, number] }).range?.[0];
  const line = offset === undefined ? "" : ` (line ${lines.linePos(offset).line})`;
  const dot = target.lastIndexOf(".");
  const module = dot < 0 ? target : target.slice(0, dot);
  const name = dot < 0 ? "" : target.slice(dot + 1);
  const c = classifyGlobal(module, name);
  const does =
    kind === "object/apply"
      ? "calls"
      : kind === "object/new"
        ? "constructs"
        : kind === "object"
          ? "builds an instance of"
          : "imports";
  const detail = `!!python/${kind}:${target} ${does} ${target || "a callable"}${line}`;
  if (c.class === "dangerous") return aFinding("yaml-python-tag", `${detail} (${c.reason})`, offset);
  return aFinding("yaml-python-object", `${detail} (${c.reason})`, offset);
}
