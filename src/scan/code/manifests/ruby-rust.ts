/**
 * Ruby and Rust manifests: Gemfile / gems.rb and `*.gemspec` (ecosystem `gem`), Gemfile.lock
 * for resolved versions; Cargo.toml (ecosystem `cargo`) with `[dependencies]`,
 * `[dev-dependencies]`, `[build-dependencies]`, their `[target.'cfg(...)'.*]` variants and
 * `[workspace.dependencies]`, and Cargo.lock for versions.
 *
 * Gemfiles are Ruby programs; they are read line by line for `gem "name", "constraint"` calls,
 * never evaluated (a computed name is not a declaration we can name).
 */
import { parse as parseToml } from "smol-toml";
import { type DeclaredPackage, type LockedVersions, lineOf } from "./types.js";

const MAX_LINES = 100_000;
const GEM_NAME = /^[A-Za-z0-9][\w.-]{0,200}$/;

/** A Ruby string literal: "x", 'x' or %q<x> (and its bracket variants). */
const RUBY_STRING = String.raw`(?:"([^"\n]{1,300})"|'([^'\n]{1,300})'|%q[<{(\[]([^>})\]\n]{1,300})[>})\]])`;

function rubyLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_LINES) throw new Error(`more than ${MAX_LINES} lines`);
  return lines;
}

/** Gemfile and gems.rb: `gem "name"[, "constraint"...]` lines, in groups or not. */
export function parseGemfile(text: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  const call = new RegExp(String.raw`^\s*gem\s*\(?\s*${RUBY_STRING}((?:\s*,\s*${RUBY_STRING})*)`);
  for (const [index, raw] of rubyLines(text).entries()) {
    const line = raw.replace(/\s#.*$/, "");
    const m = call.exec(line);
    const name = m?.[1] ?? m?.[2] ?? m?.[3];
    if (!m || !name || !GEM_NAME.test(name)) continue;
    const specs = [...(m[4] ?? "").matchAll(new RegExp(RUBY_STRING, "g"))]
      .map((s) => s[1] ?? s[2] ?? s[3] ?? "")
      .filter((s) => /^[~<>=!\s\d]/.test(s));
    out.push({ ecosystem: "gem", name, ...(specs.length ? { spec: specs.join(", ") } : {}), line: index + 1 });
  }
  return out;
}

/** `*.gemspec`: `add_dependency`, `add_runtime_dependency`, `add_development_dependency`. */
export function parseGemspec(text: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  const call = new RegExp(
    String.raw`\.add_(?:runtime_|development_)?dependency\s*\(?\s*${RUBY_STRING}(?:\s*,\s*\[?\s*${RUBY_STRING})?`,
  );
  for (const [index, raw] of rubyLines(text).entries()) {
    const line = raw.replace(/\s#.*$/, "");
    const m = call.exec(line);
    const name = m?.[1] ?? m?.[2] ?? m?.[3];
    if (!m || !name || !GEM_NAME.test(name)) continue;
    const spec = m[4] ?? m[5] ?? m[6];
    out.push({ ecosystem: "gem", name, ...(spec ? { spec } : {}), line: index + 1 });
  }
  return out;
}

/** Gemfile.lock: `    name (version)` entries under `specs:`. */
export function parseGemfileLock(text: string): LockedVersions {
  const locked: LockedVersions = new Map();
  for (const line of rubyLines(text)) {
    const m = /^ {4}([A-Za-z0-9][\w.-]*) \(([^)\s]+)\)$/.exec(line);
    if (m?.[1] && m[2] && !locked.has(m[1])) locked.set(m[1], m[2].replace(/-[a-z].*$/, ""));
  }
  return locked;
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const CARGO_SECTIONS = ["dependencies", "dev-dependencies", "build-dependencies"] as const;

/** Cargo.toml: every dependency table, with `package = "..."` renames resolved to the crate. */
export function parseCargoToml(text: string): DeclaredPackage[] {
  const doc = parseToml(text) as Table;
  const tables: Table[] = [];
  const collect = (holder: unknown) => {
    if (!isTable(holder)) return;
    for (const section of CARGO_SECTIONS) if (isTable(holder[section])) tables.push(holder[section]);
  };
  collect(doc);
  if (isTable(doc.target)) for (const target of Object.values(doc.target)) collect(target);
  if (isTable(doc.workspace)) collect(doc.workspace);
  const out: DeclaredPackage[] = [];
  const seen = new Set<string>();
  for (const table of tables) {
    for (const [key, value] of Object.entries(table)) {
      const name = isTable(value) && typeof value.package === "string" ? value.package : key;
      const spec =
        typeof value === "string"
          ? value
          : isTable(value) && typeof value.version === "string"
            ? value.version
            : undefined;
      if (!name || name.length > 200 || seen.has(name)) continue;
      seen.add(name);
      const escaped = key.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
      const line = new RegExp(String.raw`^[ \t]*(?:\[[\w.'"()-]*\.)?${escaped}[ \t]*(?:=|\])`, "m").exec(text);
      out.push({
        ecosystem: "cargo",
        name,
        ...(spec ? { spec } : {}),
        line: line ? lineOf(text, line[0]) : lineOf(text, key),
      });
    }
  }
  return out;
}

/** Cargo.lock: `[[package]]` name and version (the first listed wins when several versions are locked). */
export function parseCargoLock(text: string): LockedVersions {
  const doc = parseToml(text) as Table;
  const locked: LockedVersions = new Map();
  if (!Array.isArray(doc.package)) return locked;
  for (const p of doc.package)
    if (isTable(p) && typeof p.name === "string" && typeof p.version === "string" && !locked.has(p.name))
      locked.set(p.name, p.version);
  return locked;
}
