/**
 * A small renderer for Palisade's own Helm chart, which keeps to a subset of Go templates on
 * purpose: `{{ .Values.a.b }}`, `{{ .Release.Name }}`, `{{ .Release.Namespace }}`,
 * `{{ X | quote }}`, `{{ toYaml X | nindent N }}`, and `{{- if X }}` / `{{- else }}` /
 * `{{- end }}` on lines of their own. Anything else is an error, so the chart cannot drift
 * into constructs this test would silently mis-render.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";

export interface RenderOptions {
  release: { name: string; namespace: string };
  values?: Record<string, unknown>;
}

/** Render every template of the chart at `dir` into Kubernetes objects. */
export function renderChart(dir: string, options: RenderOptions): Record<string, unknown>[] {
  const defaults = parse(readFileSync(join(dir, "values.yaml"), "utf8")) as Record<string, unknown>;
  const values = merge(defaults, options.values ?? {});
  const scope = { Values: values, Release: { Name: options.release.name, Namespace: options.release.namespace } };
  const out: Record<string, unknown>[] = [];
  for (const file of readdirSync(join(dir, "templates"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const text = renderTemplate(readFileSync(join(dir, "templates", file), "utf8"), scope, file);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: rendered YAML is invalid: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as unknown;
      if (value && typeof value === "object") out.push(value as Record<string, unknown>);
    }
  }
  return out;
}

export function renderTemplate(template: string, scope: Record<string, unknown>, file = "template"): string {
  const lines = template.split("\n");
  const out: string[] = [];
  const stack: { active: boolean; parentActive: boolean }[] = [];
  const active = () => stack.every((s) => s.active);
  lines.forEach((line, i) => {
    const control = /^\s*\{\{-?\s*(if\s+(.+?)|else|end)\s*-?\}\}\s*$/.exec(line);
    if (control) {
      if (control[1]?.startsWith("if"))
        stack.push({ active: truthy(lookup(scope, control[2] ?? "", file, i)), parentActive: active() });
      else if (control[1] === "else") {
        const top = stack.at(-1);
        if (!top) throw new Error(`${file}:${i + 1}: else without if`);
        top.active = !top.active;
      } else if (!stack.pop()) throw new Error(`${file}:${i + 1}: end without if`);
      return;
    }
    if (!active()) return;
    out.push(
      line.replace(/\{\{-?\s*(.+?)\s*-?\}\}/g, (_m, expr: string) => {
        const toYaml = /^toYaml\s+(\S+)\s*\|\s*nindent\s+(\d+)$/.exec(expr);
        if (toYaml) {
          const value = lookup(scope, toYaml[1] ?? "", file, i);
          const pad = " ".repeat(Number(toYaml[2]));
          const yaml =
            typeof value === "string" ? `|\n${value.replace(/\n$/, "")}` : stringify(value).replace(/\n$/, "");
          if (typeof value === "string") return `|${`\n${value.replace(/\n$/, "")}`.replace(/\n/g, `\n${pad}`)}`;
          return `\n${yaml}`.replace(/\n/g, `\n${pad}`);
        }
        const quoted = /^(\S+)\s*\|\s*quote$/.exec(expr);
        if (quoted) return JSON.stringify(String(lookup(scope, quoted[1] ?? "", file, i) ?? ""));
        if (/^\.[A-Za-z.]+$/.test(expr)) return String(lookup(scope, expr, file, i) ?? "");
        throw new Error(`${file}:${i + 1}: template construct not supported by the test renderer: {{ ${expr} }}`);
      }),
    );
  });
  if (stack.length > 0) throw new Error(`${file}: if without end`);
  return out.join("\n");
}

function lookup(scope: Record<string, unknown>, path: string, file: string, line: number): unknown {
  if (!path.startsWith(".")) throw new Error(`${file}:${line + 1}: expected a .Values/.Release path, got ${path}`);
  let value: unknown = scope;
  for (const key of path.slice(1).split(".")) {
    if (value === null || typeof value !== "object" || !(key in value))
      throw new Error(`${file}:${line + 1}: ${path} is not defined in values.yaml`);
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === "" || value === 0);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" && !Array.isArray(b)
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
