/** What every manifest and lockfile parser returns. */
import type { Ecosystem } from "../catalog.js";

/** A dependency declared in a manifest, with the version or constraint written there. */
export interface DeclaredPackage {
  ecosystem: Ecosystem;
  name: string;
  /** Exact version when the manifest pins one, otherwise the constraint as written (`^1.2`, `>=0.3`). */
  spec?: string;
  /** 1-based line of the declaration. */
  line?: number;
  /** Extras asked for (`trl[vllm,peft]` → `["vllm", "peft"]`), normalised. */
  extras?: string[];
  /**
   * Set when the package is not written in the manifest but comes in through an extra of one
   * that is: `trl[vllm]` declares vllm with `viaExtra: "trl[vllm]"`.
   */
  viaExtra?: string;
}

/** Resolved versions from a lockfile, by normalised package name. */
export type LockedVersions = Map<string, string>;

/** Line (1-based) of the first occurrence of `needle` in `text`, if any. */
export function lineOf(text: string, needle: string, from = 0): number | undefined {
  const index = text.indexOf(needle, from);
  if (index < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

/** PEP 503 normalised Python project name. */
export function normalizePypi(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The exact version in a spec like `==1.2.3`, `1.2.3`, `v1.2.3` (Go keeps its `v`); undefined for ranges. */
export function exactVersion(spec: string | undefined): string | undefined {
  if (!spec) return undefined;
  const m = /^\s*(?:===?)?\s*(v?\d+(?:\.\d+)*(?:[-.+]?[A-Za-z0-9.+-]*)?)\s*$/.exec(spec);
  return m?.[1];
}
