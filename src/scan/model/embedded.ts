/**
 * Payloads hidden as data inside other formats, which an application may load later: pickles
 * stored as bytes (msgpack `bin`, YAML `!!binary`, msgpack ext data), as base64 text (`gAS...`)
 * or as latin-1 text in JSON and YAML configs and safetensors metadata; and code, shell commands
 * or URLs in metadata strings. Embedded pickles are analysed by the same VM; one counts only when
 * it runs to STOP, as for pickle files.
 */
import { callableRules } from "./pickle/callables.js";
import { analysePickle } from "./pickle/vm.js";
import type { ModelFinding } from "./types.js";

/** Bounds on one walk: values visited, depth, and bytes of embedded pickles analysed. */
const MAX_VISITS = 1_000_000;
const MAX_DEPTH = 64;
const MAX_EMBEDDED_BYTES = 64 * 1024 * 1024;

/** Base64 of `0x80 0x02..0x05` (PROTO 2–5), the start of every binary pickle since Python 2.3. */
const BASE64_PICKLE = /^gA[JNRU][A-Za-z0-9+/]/;
const BASE64_BODY = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

interface Walk {
  findings: ModelFinding[];
  visits: number;
  bytes: number;
}

/** Analyse every pickle embedded in a decoded value (JSON, YAML or msgpack); findings name where. */
export function embeddedPickleFindings(value: unknown, where: string): ModelFinding[] {
  const walk: Walk = { findings: [], visits: 0, bytes: 0 };
  visit(value, where, walk, 0);
  return walk.findings;
}

function visit(value: unknown, path: string, walk: Walk, depth: number): void {
  if (++walk.visits > MAX_VISITS || depth > MAX_DEPTH) return;
  if (typeof value === "string") {
    const bytes = pickleBytesOfText(value);
    if (bytes) analyse(bytes, `${path} (${bytes.encoding})`, walk);
    return;
  }
  if (value instanceof Uint8Array) {
    if (looksLikePickle(value)) analyse({ data: value, encoding: "bytes" }, `${path} (bytes)`, walk);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      visit(v, `${path}[${i}]`, walk, depth + 1);
    });
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) visit(v, `${path}.${String(k)}`, walk, depth + 1);
    return;
  }
  if (value && typeof value === "object") {
    const ext = value as { type?: unknown; data?: unknown };
    if (typeof ext.type === "number" && ext.data instanceof Uint8Array) {
      visit(ext.data, `${path}<ext ${ext.type}>`, walk, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k, walk, depth + 1);
  }
}

function looksLikePickle(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x80 && (bytes[1] ?? 0) >= 2 && (bytes[1] ?? 0) <= 5;
}

/** The bytes of a pickle carried as base64 or as latin-1 text, if the text is one. */
function pickleBytesOfText(text: string): { data: Uint8Array; encoding: string } | undefined {
  if (text.length < 4) return undefined;
  if (BASE64_PICKLE.test(text) && BASE64_BODY.test(text)) {
    const data = new Uint8Array(Buffer.from(text, "base64"));
    return looksLikePickle(data) ? { data, encoding: "base64" } : undefined;
  }
  if (text.charCodeAt(0) === 0x80 && text.charCodeAt(1) >= 2 && text.charCodeAt(1) <= 5 && /^[\0-\xff]*$/.test(text)) {
    return { data: Uint8Array.from(text, (c) => c.charCodeAt(0)), encoding: "latin-1 text" };
  }
  return undefined;
}

function analyse(bytes: { data: Uint8Array; encoding: string }, where: string, walk: Walk): void {
  if (walk.bytes + bytes.data.length > MAX_EMBEDDED_BYTES) {
    walk.findings.push({
      rule: "unscannable",
      severity: "high",
      effect: "unscannable",
      detail: `embedded pickles over ${MAX_EMBEDDED_BYTES} bytes; ${where} was not analysed`,
    });
    return;
  }
  walk.bytes += bytes.data.length;
  const analysis = analysePickle(bytes.data);
  if (analysis.pickles === 0) return;
  for (const f of analysis.findings) {
    // Offsets are inside the decoded value, not the file: the path says where instead.
    const { offset: _offset, ...rest } = f;
    walk.findings.push({ ...rest, detail: `embedded pickle at ${where}: ${f.detail}` });
  }
}

/** What a metadata string carries: code or a shell command, a URL, or nothing the rules know. */
export function payloadKind(text: string): { kind: "code" | "shell" | "url"; says: string } | undefined {
  const sample = text.slice(0, 4096);
  for (const p of callableRules().payloads) if (p.regex.test(sample)) return { kind: p.kind, says: p.says };
  return undefined;
}
