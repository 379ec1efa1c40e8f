/**
 * Load policy files: parse each (YAML, strict schema, file:line errors), check CEL expressions and
 * custom patterns, then merge them in the order given. Lists concatenate; a single-valued section
 * (e.g. supplyChain.registries) defined in two files is an error naming both, so the result never
 * depends on which file "wins".
 */
import { readFileSync } from "node:fs";
import { parse as parseCel } from "@marcbachmann/cel-js";
import {
  PalisadeError,
  parseYamlSource,
  ValidationError,
  type ValidationIssue,
  validateYaml,
  type YamlSource,
} from "../core/index.js";
import { nestedQuantifierReason } from "../detect/index.js";
import { missingClassifierFiles, resolveClassifierPaths } from "./injection-classifier.js";
import { type PolicyDocument, PolicyDocumentSchema, type PolicySpec } from "./schema.js";

/** Where each part of the merged policy came from, for reasons that name file and line. */
export interface SourceMap {
  /** `file:line` of the value at a dotted path in the merged spec, e.g. `runtime.roles.3`. */
  at(path: string): string;
}

export interface LoadedPolicy {
  name: string;
  files: string[];
  spec: PolicySpec;
  sources: SourceMap;
}

const MAX_POLICY_BYTES = 2 * 1024 * 1024;

export function loadPolicyFiles(files: readonly string[]): LoadedPolicy {
  if (files.length === 0) throw new PalisadeError("bad-usage", "no policy file given");
  const parsed = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (cause) {
      throw new PalisadeError(
        "bad-input",
        `cannot read policy ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
        {
          input: file,
          cause,
        },
      );
    }
    return parsePolicyText(text, file);
  });
  return mergePolicies(parsed);
}

export interface ParsedPolicy {
  file: string;
  document: PolicyDocument;
  source: YamlSource;
}

export function parsePolicyText(text: string, file: string): ParsedPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) {
    throw new ValidationError({
      file,
      issues: [{ path: "", message: `policy is larger than ${MAX_POLICY_BYTES} bytes` }],
    });
  }
  const source = parseYamlSource(text, file);
  const document = validateYaml(PolicyDocumentSchema, source);
  const issues: ValidationIssue[] = [];
  document.spec.rules.forEach((rule, i) => {
    try {
      parseCel(rule.expression);
    } catch (cause) {
      const path = ["spec", "rules", i, "expression"];
      issues.push({ path: path.join("."), ...source.locate(path), message: `invalid CEL: ${firstLine(cause)}` });
    }
  });
  document.spec.runtime?.pii.custom.forEach((recognizer, i) => {
    const problem = checkPattern(recognizer.pattern);
    if (problem) {
      const path = ["spec", "runtime", "pii", "custom", i, "pattern"];
      issues.push({ path: path.join("."), ...source.locate(path), message: problem });
    }
  });
  issues.push(...resolveClassifierFiles(document, source, file));
  if (issues.length > 0) throw new ValidationError({ file, issues });
  return { file, document, source };
}

/**
 * `runtime.injection.classifier` file paths, resolved in place against the policy file's
 * directory (so a policy and its model can move together); a file that does not exist is an
 * issue at its field.
 */
function resolveClassifierFiles(document: PolicyDocument, source: YamlSource, file: string): ValidationIssue[] {
  const injection = document.spec.runtime?.injection;
  if (!injection?.classifier) return [];
  injection.classifier = resolveClassifierPaths(injection.classifier, file);
  return missingClassifierFiles(injection.classifier).map(({ field, file: missing }) => {
    const path = ["spec", "runtime", "injection", "classifier", field];
    return { path: path.join("."), ...source.locate(path), message: `no such file: ${missing}` };
  });
}

/** A policy-supplied regular expression must compile and pass the shared safety check. */
export function checkPattern(pattern: string): string | undefined {
  try {
    new RegExp(pattern, "u");
  } catch (cause) {
    return `invalid regular expression: ${firstLine(cause)}`;
  }
  return nestedQuantifierReason(pattern);
}

/** Merge parsed documents in order; see the module comment for the rules. */
export function mergePolicies(parts: readonly ParsedPolicy[]): LoadedPolicy {
  const spec: Record<string, unknown> = {};
  const owners = new Map<string, { file: string; source: YamlSource; path: (string | number)[] }>();
  const conflicts: ValidationIssue[] = [];
  let conflictFile = "";

  for (const part of parts) {
    const partSpec = part.document.spec as Record<string, unknown>;
    for (const [section, value] of Object.entries(partSpec)) {
      if (value === undefined) continue;
      mergeInto(spec, section, value, ["spec", section], part);
    }
  }

  function mergeInto(
    target: Record<string, unknown>,
    key: string,
    value: unknown,
    path: (string | number)[],
    part: ParsedPolicy,
  ) {
    const dotted = path.slice(1).join(".");
    const existing = target[key];
    if (Array.isArray(value)) {
      const base = Array.isArray(existing) ? existing : [];
      for (let i = 0; i < value.length; i++) {
        owners.set(`${dotted}.${base.length + i}`, { file: part.file, source: part.source, path: [...path, i] });
      }
      target[key] = [...base, ...value];
      return;
    }
    if (isPlainObject(value) && (existing === undefined || isPlainObject(existing))) {
      const into = (existing as Record<string, unknown> | undefined) ?? {};
      if (existing === undefined) owners.set(dotted, { file: part.file, source: part.source, path });
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        // Defaults filled in by the schema must not count as a second definition.
        if (!hasExplicit(part.source, [...path, k])) {
          if (into[k] === undefined) into[k] = v;
          continue;
        }
        mergeInto(into, k, v, [...path, k], part);
      }
      target[key] = into;
      return;
    }
    const previous = owners.get(dotted);
    if (
      existing !== undefined &&
      previous &&
      previous.file !== part.file &&
      JSON.stringify(existing) !== JSON.stringify(value)
    ) {
      conflictFile = part.file;
      conflicts.push({
        path: dotted,
        ...part.source.locate(path),
        message: `also set in ${previous.file}:${previous.source.locate(previous.path)?.line ?? "?"}; a policy value may be defined in one file only`,
      });
    }
    owners.set(dotted, { file: part.file, source: part.source, path });
    target[key] = value;
  }

  if (conflicts.length > 0) throw new ValidationError({ file: conflictFile, issues: conflicts });
  const merged = PolicyDocumentSchema.shape.spec.parse(spec);
  const names = parts.map((p) => p.document.metadata.name);
  return {
    name: [...new Set(names)].join("+"),
    files: parts.map((p) => p.file),
    spec: merged,
    sources: {
      at(path) {
        // The deepest recorded owner of this path or one of its parents.
        const segments = path.split(".");
        for (let n = segments.length; n > 0; n--) {
          const owner = owners.get(segments.slice(0, n).join("."));
          if (owner) {
            const pos = owner.source.locate([
              ...owner.path,
              ...segments.slice(n).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
            ]);
            return `${owner.file}:${pos?.line ?? 1}`;
          }
        }
        return parts[0]?.file ?? "policy";
      },
    },
  };
}

function hasExplicit(source: YamlSource, path: readonly (string | number)[]): boolean {
  let node: unknown = source.value;
  for (const key of path) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node !== undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0] ?? message;
}
