/**
 * Model references in a workload: annotation values, env values and `--model`-style arguments,
 * as `id[@pin]` where the pin is a content hash (`sha256:HEX`) or a commit (hex). Local paths
 * and `$(VAR)` substitutions are not references (the model scanner judges files).
 */
import { compileGlobs } from "./glob.js";

export interface ModelReference {
  id: string;
  /** `sha256:HEX` or a commit, when the reference carries one. */
  pin?: string;
  /** Where it is named: `annotation palisade.dev/model`, `container vllm env MODEL`. */
  where: string;
}

export interface ModelReferenceKnobs {
  annotations: readonly string[];
  env: readonly string[];
  args: readonly string[];
}

interface ContainerLike {
  name?: unknown;
  env?: unknown;
  args?: unknown;
  command?: unknown;
}

/** Longest value read as a model id; longer values are not model names. */
const MAX_ID = 512;

/** Every model reference in the pod template (and the object's own annotations). */
export function modelReferencesOf(
  annotations: readonly Record<string, unknown>[],
  containers: readonly ContainerLike[],
  knobs: ModelReferenceKnobs,
): ModelReference[] {
  const annotationKey = compileGlobs(knobs.annotations);
  const envName = compileGlobs(knobs.env);
  const flags = new Set(knobs.args);
  const out: ModelReference[] = [];
  const add = (value: unknown, where: string) => {
    const ref = toModelReference(value, where);
    if (ref && !out.some((r) => r.id === ref.id && r.pin === ref.pin && r.where === ref.where)) out.push(ref);
  };
  for (const map of annotations)
    for (const [key, value] of Object.entries(map)) if (annotationKey(key)) add(value, `annotation ${key}`);
  for (const c of containers) {
    const name = typeof c.name === "string" ? c.name : "?";
    for (const e of Array.isArray(c.env) ? c.env : []) {
      const entry = e as { name?: unknown; value?: unknown } | null;
      if (entry && typeof entry.name === "string" && envName(entry.name))
        add(entry.value, `container ${name} env ${entry.name}`);
    }
    const argv = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].filter(
      (a): a is string => typeof a === "string",
    );
    argv.forEach((arg, i) => {
      const eq = arg.indexOf("=");
      if (eq > 0 && flags.has(arg.slice(0, eq))) add(arg.slice(eq + 1), `container ${name} arg ${arg.slice(0, eq)}`);
      else if (flags.has(arg)) add(argv[i + 1], `container ${name} arg ${arg}`);
    });
  }
  return out;
}

/** `id`, `id@sha256:HEX` or `id@COMMIT`; undefined for what is not a model name. */
export function toModelReference(value: unknown, where: string): ModelReference | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "" || text.length > MAX_ID || /^[./~]/.test(text) || text.includes("$(") || /\s/.test(text))
    return undefined;
  const at = text.lastIndexOf("@");
  if (at > 0) {
    const pin = text.slice(at + 1);
    if (/^sha256:[0-9a-f]{64}$/.test(pin) || /^[0-9a-f]{7,40}$/.test(pin)) return { id: text.slice(0, at), pin, where };
  }
  return { id: text, where };
}
