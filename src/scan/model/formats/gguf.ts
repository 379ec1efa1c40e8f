/**
 * GGUF (ggml/docs/gguf.md): magic, version, tensor and key/value counts, typed metadata, then
 * tensor infos. Identity comes from `general.*` keys and tensor infos; `tokenizer.chat_template`
 * is checked for Jinja server-side template injection (CVE-2024-34359, llama-cpp-python).
 */
import { aFinding, unscannable } from "../finding.js";
import type { ByteSource } from "../source.js";
import type { FormatReport } from "./report.js";

export const MAX_GGUF_HEADER = 512 * 1024 * 1024;
const MAX_KV = 1_000_000;
const MAX_ARRAY = 10_000_000;
const MAX_TENSORS = 1_000_000;

/** llama_ftype names for `general.file_type`. */
const FILE_TYPES: Record<number, string> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  3: "Q4_1",
  7: "Q8_0",
  8: "Q5_0",
  9: "Q5_1",
  10: "Q2_K",
  11: "Q3_K_S",
  12: "Q3_K_M",
  13: "Q3_K_L",
  14: "Q4_K_S",
  15: "Q4_K_M",
  16: "Q5_K_S",
  17: "Q5_K_M",
  18: "Q6_K",
  19: "IQ2_XXS",
  20: "IQ2_XS",
  21: "Q2_K_S",
  22: "IQ3_XS",
  23: "IQ3_XXS",
  24: "IQ1_S",
  25: "IQ4_NL",
  26: "IQ3_S",
  27: "IQ3_M",
  28: "IQ2_S",
  29: "IQ2_M",
  30: "IQ4_XS",
  31: "IQ1_M",
  32: "BF16",
};

/**
 * Jinja constructs that reach Python internals or the host; none appear in real chat templates.
 * Templates are bounded (MAX_TEMPLATE_CHARS) before matching; every pattern is linear.
 */
const SSTI_PATTERNS: [RegExp, string][] = [
  [/__(class|globals|builtins|subclasses|mro|base|bases|init|import|getattribute|dict|code|func)__/, "dunder access"],
  [/\\x5f|\\u005f|\\137/i, "escaped underscore (obfuscated dunder)"],
  [/\|\s*attr\s*\(/, "attr filter"],
  [/\b(popen|system|subprocess|eval|exec|__import__|import_module|check_output)\s*\(/, "process or code call"],
  [/\b(lipsum|cycler|joiner|url_for|get_flashed_messages)\b\s*[.|[]/, "Jinja global used as a gadget"],
  [/\bos\s*\.\s*(popen|system|environ)/, "os module"],
  [/\bself\s*\.\s*_TemplateReference__context/, "template context escape"],
  [/\b(request|config)\s*\.\s*(application|__class__|items|from_object)/, "framework object"],
  [/["']_["']\s*\*\s*2|["']__["']\s*~|\[\s*["']_["']\s*,\s*["']_["']/, "computed dunder name"],
  [/["']%c[^"']*["']\s*\|\s*format|\|\s*format\s*\(\s*95\b/, "characters built with format (obfuscation)"],
  [/\|\s*select\s*\|\s*string|\|\s*string\s*\)\s*\[/, "characters sliced out of object reprs (obfuscation)"],
];

/** Templates longer than this are not matched; the file is reported unscannable instead. */
export const MAX_TEMPLATE_CHARS = 16 * 1024 * 1024;

/** Reasons a chat template looks like template injection; empty when it does not. */
export function checkTemplate(template: string): string[] {
  return SSTI_PATTERNS.filter(([re]) => re.test(template)).map(([, why]) => why);
}

class Eof extends Error {}

class Reader {
  pos = 0;
  private view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly v1: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Eof();
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    if (this.v1) return this.u32();
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("64-bit count too large");
    return Number(v);
  }
  str(): string {
    const n = this.u64();
    this.need(n);
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  value(type: number, depth = 0): unknown {
    const sizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
    if (type === 8) return this.str();
    if (type === 9) {
      if (depth > 2) throw new RangeError("nested arrays too deep");
      const inner = this.u32();
      const n = this.u64();
      if (n > MAX_ARRAY) throw new RangeError(`array of ${n} items`);
      if (inner !== 8 && inner !== 9) {
        const size = sizes[inner];
        if (size === undefined) throw new RangeError(`unknown value type ${inner}`);
        this.need(size * n);
        this.pos += size * n;
        return { array: n };
      }
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const v = this.value(inner, depth + 1);
        if (i < 16) items.push(v);
      }
      return items;
    }
    const size = sizes[type];
    if (size === undefined) throw new RangeError(`unknown value type ${type}`);
    this.need(size);
    const at = this.pos;
    this.pos += size;
    switch (type) {
      case 0:
        return this.view.getUint8(at);
      case 1:
        return this.view.getInt8(at);
      case 2:
        return this.view.getUint16(at, true);
      case 3:
        return this.view.getInt16(at, true);
      case 4:
        return this.view.getUint32(at, true);
      case 5:
        return this.view.getInt32(at, true);
      case 6:
        return this.view.getFloat32(at, true);
      case 7:
        return this.view.getUint8(at) !== 0;
      case 10:
        return Number(this.view.getBigUint64(at, true));
      case 11:
        return Number(this.view.getBigInt64(at, true));
      default:
        return this.view.getFloat64(at, true);
    }
  }
}

export function isGguf(head: Uint8Array): boolean {
  return head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46;
}

export async function analyseGguf(src: ByteSource): Promise<FormatReport> {
  let length = Math.min(src.size, 16 * 1024 * 1024);
  for (;;) {
    const bytes = await src.read(0, length);
    try {
      return parse(bytes);
    } catch (error) {
      if (error instanceof Eof && length < src.size && length < MAX_GGUF_HEADER) {
        length = Math.min(src.size, length * 4, MAX_GGUF_HEADER);
        continue;
      }
      const reason = error instanceof Eof ? "header runs past the end of the file or the limit" : String(error);
      return { format: "gguf", findings: [unscannable(`gguf: ${reason}`)], identity: {} };
    }
  }
}

function parse(bytes: Uint8Array): FormatReport {
  const report: FormatReport = { format: "gguf", findings: [], identity: { source: "gguf" } };
  const probe = new Reader(bytes, false);
  probe.pos = 4;
  const version = probe.u32();
  if (version < 1 || version > 3) {
    report.findings.push(unscannable(`gguf: unsupported version ${version}`, 4));
    return report;
  }
  const r = new Reader(bytes, version === 1);
  r.pos = 8;
  const tensorCount = r.u64();
  const kvCount = r.u64();
  if (kvCount > MAX_KV || tensorCount > MAX_TENSORS) throw new RangeError("too many keys or tensors");
  const meta = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i++) {
    const keyAt = r.pos;
    const key = r.str();
    const type = r.u32();
    const value = r.value(type);
    meta.set(key, value);
    if (key.startsWith("tokenizer.chat_template") && typeof value === "string") {
      if (value.length > MAX_TEMPLATE_CHARS) {
        report.findings.push(unscannable(`gguf: ${key} is longer than ${MAX_TEMPLATE_CHARS} characters`, keyAt));
        continue;
      }
      const reasons = checkTemplate(value);
      if (reasons.length > 0)
        report.findings.push(aFinding("gguf-template-injection", `${key}: ${reasons.join(", ")}`, keyAt));
    }
  }
  let parameters = 0;
  for (let i = 0; i < tensorCount; i++) {
    r.str();
    const dims = r.u32();
    if (dims > 8) throw new RangeError(`tensor with ${dims} dimensions`);
    let n = 1;
    for (let d = 0; d < dims; d++) n *= r.u64();
    r.u32();
    r.u64();
    parameters += n;
  }
  const arch = meta.get("general.architecture");
  const text = (k: string) => (typeof meta.get(k) === "string" ? (meta.get(k) as string) : undefined);
  const id = report.identity;
  if (typeof arch === "string") {
    id.architecture = arch;
    const ctx = meta.get(`${arch}.context_length`);
    if (typeof ctx === "number") id.contextLength = ctx;
  }
  const name = text("general.name");
  if (name) id.name = name;
  const license = text("general.license");
  if (license) id.license = license;
  const fileType = meta.get("general.file_type");
  if (typeof fileType === "number") id.quantisation = FILE_TYPES[fileType] ?? `ftype-${fileType}`;
  if (tensorCount > 0) id.parameters = parameters;
  return report;
}
