/**
 * Model identifiers in configuration files: YAML, JSON, TOML and .env. A value counts when its
 * key (or a Kubernetes `name:`/`value:` env pair, or a preceding `--model` flag) names a model,
 * or when a provider's strong pattern matches it outright.
 */

import { parse as parseToml } from "smol-toml";
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import type { AiCatalog } from "./catalog.js";
import { matchModel } from "./models.js";

export interface ConfigModel {
  id: string;
  provider: string;
  line: number;
}

const MAX_VISITS = 100_000;

function lineAt(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) return 1;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

/** Visit every string in a plain value with the key that names it. */
function visitValue(
  value: unknown,
  key: string | undefined,
  emit: (value: string, key: string | undefined) => void,
): void {
  const stack: { value: unknown; key: string | undefined }[] = [{ value, key }];
  let visits = 0;
  while (stack.length > 0 && visits++ < MAX_VISITS) {
    const item = stack.pop();
    if (!item) break;
    const v = item.value;
    if (typeof v === "string") {
      const flag = /^--?([\w-]+)=(.+)$/.exec(v);
      if (flag?.[1] && flag[2]) emit(flag[2], flag[1]);
      else emit(v, item.key);
    } else if (Array.isArray(v)) {
      for (const [i, entry] of v.entries()) {
        const prev = v[i - 1];
        stack.push({
          value: entry,
          key: typeof prev === "string" && prev.startsWith("-") ? prev.replace(/^-+/, "") : item.key,
        });
      }
    } else if (typeof v === "object" && v !== null) {
      const table = v as Record<string, unknown>;
      const envName = typeof table.name === "string" && "value" in table ? table.name : undefined;
      for (const [k, entry] of Object.entries(table))
        stack.push({ value: entry, key: k === "value" && envName ? envName : k });
    }
  }
}

/** YAML with positions: every scalar is visited with its key and its own line. */
function yamlModels(text: string, catalog: AiCatalog): ConfigModel[] {
  const counter = new LineCounter();
  const out: ConfigModel[] = [];
  const docs = parseAllDocuments(text, { lineCounter: counter });
  if (!Array.isArray(docs)) return out;
  let visits = 0;
  const visit = (node: unknown, key: string | undefined) => {
    const stack: { node: unknown; key: string | undefined }[] = [{ node, key }];
    while (stack.length > 0 && visits++ < MAX_VISITS) {
      const item = stack.pop();
      if (!item) break;
      const n = item.node as Node | null;
      if (isScalar(n)) {
        if (typeof n.value !== "string") continue;
        const flag = /^--?([\w-]+)=(.+)$/.exec(n.value);
        const match =
          flag?.[1] && flag[2] ? matchModel(flag[2], flag[1], catalog) : matchModel(n.value, item.key, catalog);
        if (match) out.push({ ...match, line: counter.linePos(n.range?.[0] ?? 0).line });
      } else if (isSeq(n)) {
        for (const [i, entry] of n.items.entries()) {
          const prev = n.items[i - 1];
          const flag =
            isScalar(prev) && typeof prev.value === "string" && prev.value.startsWith("-")
              ? prev.value.replace(/^-+/, "")
              : undefined;
          stack.push({ node: entry, key: flag ?? item.key });
        }
      } else if (isMap(n)) {
        const nameItem = n.items.find((p) => isScalar(p.key) && p.key.value === "name");
        const envName =
          nameItem && isScalar(nameItem.value) && typeof nameItem.value.value === "string"
            ? nameItem.value.value
            : undefined;
        for (const pair of n.items) {
          if (!isPair(pair)) continue;
          const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
          stack.push({ node: pair.value, key: k === "value" && envName ? envName : k });
        }
      }
    }
  };
  for (const doc of docs) if (doc.errors.length === 0) visit(doc.contents, undefined);
  return out;
}

/** Models named in one configuration file. Malformed input throws; the caller records a note. */
export function configModels(
  text: string,
  format: "yaml" | "json" | "toml" | "env",
  catalog: AiCatalog,
): ConfigModel[] {
  if (format === "yaml") return yamlModels(text, catalog);
  if (format === "env") {
    const out: ConfigModel[] = [];
    for (const [index, line] of text.split(/\r?\n/).entries()) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][\w]*)\s*=\s*["']?([^"'#\s]+)["']?/.exec(line);
      const match = m?.[1] && m[2] ? matchModel(m[2], m[1], catalog) : undefined;
      if (match) out.push({ ...match, line: index + 1 });
    }
    return out;
  }
  const value = format === "json" ? (JSON.parse(text) as unknown) : parseToml(text);
  const out: ConfigModel[] = [];
  visitValue(value, undefined, (v, key) => {
    const match = matchModel(v, key, catalog);
    if (match) out.push({ ...match, line: lineAt(text, `${format === "json" ? '"' : ""}${v}`) });
  });
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
    for (const m of line.matchAll(/--(model|model-id|model_id|served-model-name)["']?[=,\s]+["']?([\w.:/@-]+)/g)) {
      const match = m[1] && m[2] ? matchModel(m[2], m[1], catalog) : undefined;
      if (match && !out.some((o) => o.line === index + 1 && o.id === match.id)) out.push({ ...match, line: index + 1 });
    }
  }
  return out;
}
