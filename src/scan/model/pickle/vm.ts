/**
 * A symbolic pickle virtual machine. It runs the opcode stream of protocols 0–5 (stack, memo,
 * marks, frames) without importing or calling anything, so that every callable the file would
 * invoke is resolved however it is built (GLOBAL, STACK_GLOBAL from the memo or from computed
 * values, INST, OBJ, NEWOBJ, NEWOBJ_EX, REDUCE, BUILD, EXT codes), including pickles nested in
 * bytes handed to a loader and several pickles in one file. Opcode semantics follow CPython's
 * Lib/pickle.py (_Unpickler) and Lib/pickletools.py.
 */
import { aFinding, unscannable } from "../finding.js";
import type { ModelFinding } from "../types.js";
import { type Capability, callableRules } from "./callables.js";
import { type CallableClass, classifyGlobal, NESTED_LOADERS, normaliseModule } from "./classify.js";
import { decodeLong, decodeQuotedString, decodeRawUnicodeEscape, parseIntLine } from "./text.js";
import { argItems, MAX_KEPT_ITEMS, NONE, type PickleValue, render } from "./values.js";

/** Bounds on one analysis; exceeding any makes the file unscannable, never safe. */
export interface PickleLimits {
  maxOps: number;
  maxStack: number;
  maxMemo: number;
  maxMs: number;
  maxPickles: number;
  maxNesting: number;
  maxFindings: number;
  /** Bytes values up to this size are kept, so nested pickles in them can be analysed. */
  maxKeptBytes: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = {
  maxOps: 20_000_000,
  maxStack: 1_000_000,
  maxMemo: 1_000_000,
  maxMs: 10_000,
  maxPickles: 64,
  maxNesting: 4,
  maxFindings: 200,
  maxKeptBytes: 16 * 1024 * 1024,
};

export interface PickleAnalysisOptions {
  limits?: Partial<PickleLimits>;
  /** Stop after this many pickles (legacy PyTorch files hold exactly five, then raw data). */
  maxPickles?: number;
  /** Offset of `bytes` in the enclosing file, added to every reported offset. */
  baseOffset?: number;
}

/** What the VM learnt about a pickle stream. */
export interface PickleAnalysis {
  findings: ModelFinding[];
  /** Pickles run to STOP. */
  pickles: number;
  /** Highest protocol announced by PROTO. */
  protocol: number;
  /** Every imported callable with its classification, in first-seen order. */
  globals: { name: string; class: CallableClass; calls: number }[];
  /** Tensors rebuilt through torch._utils and their total element count. */
  tensors: number;
  parameters: number;
  dtypes: string[];
  /** Offset just after the last STOP (relative to `bytes`). */
  end: number;
  /** The first value of the first pickle, when it is an int (legacy PyTorch magic number). */
  firstInt?: bigint;
}

class VmError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

interface GlobalRef {
  name: string;
  class: CallableClass;
  reason: string;
  capability?: Capability;
  offset: number;
  calls: number;
  firstCall?: string;
}

interface Session {
  limits: PickleLimits;
  base: number;
  depth: number;
  findings: ModelFinding[];
  refs: Map<string, GlobalRef>;
  extensions: Map<number, [string, string]>;
  started: number;
  ops: number;
  protocol: number;
  tensors: number;
  parameters: number;
  dtypes: Set<string>;
}

const TEXT = new TextDecoder("utf-8", { fatal: false });
const LATIN1 = new TextDecoder("latin1");

/** Opcodes of protocols 0–5 (pickletools.opcodes). */
const KNOWN_OPCODES = new Set(
  [..."(.012FIJKLMNPQRSTUVXabcdeghijlopqrstu}])GBC"]
    .map((c) => c.charCodeAt(0))
    .concat([0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b])
    .concat([0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98]),
);

/** True when `byte` is a pickle opcode of some protocol. */
export function isPickleOpcode(byte: number): boolean {
  return KNOWN_OPCODES.has(byte);
}

const STORAGE_DTYPES: Record<string, string> = {
  FloatStorage: "float32",
  DoubleStorage: "float64",
  HalfStorage: "float16",
  BFloat16Storage: "bfloat16",
  LongStorage: "int64",
  IntStorage: "int32",
  ShortStorage: "int16",
  CharStorage: "int8",
  ByteStorage: "uint8",
  BoolStorage: "bool",
  QInt8Storage: "qint8",
  QUInt8Storage: "quint8",
  QInt32Storage: "qint32",
};

const REBUILDERS = new Set([
  "torch._utils._rebuild_tensor",
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_tensor_v3",
  "torch._utils._rebuild_qtensor",
  "torch._utils._rebuild_parameter",
]);

/** Analyse a pickle stream (one or several pickles) symbolically. Never throws on hostile input. */
export function analysePickle(bytes: Uint8Array, options: PickleAnalysisOptions = {}): PickleAnalysis {
  const limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
  const session: Session = {
    limits,
    base: options.baseOffset ?? 0,
    depth: 0,
    findings: [],
    refs: new Map(),
    extensions: new Map(),
    started: Date.now(),
    ops: 0,
    protocol: 0,
    tensors: 0,
    parameters: 0,
    dtypes: new Set(),
  };
  return runStream(bytes, session, options.maxPickles ?? limits.maxPickles);
}

function runStream(bytes: Uint8Array, session: Session, maxPickles: number): PickleAnalysis {
  let pos = 0;
  let pickles = 0;
  let firstInt: bigint | undefined;
  while (pos < bytes.length && pickles < maxPickles) {
    const first = bytes[pos] as number;
    if (pickles > 0 && !isPickleOpcode(first)) {
      session.findings.push(
        aFinding("pickle-trailing-data", `${bytes.length - pos} bytes after the last STOP`, session.base + pos),
      );
      break;
    }
    const run = new Machine(bytes, pos, session);
    try {
      const result = run.execute();
      if (pickles === 0 && result.t === "int") firstInt = result.v;
      pos = run.pos;
      pickles++;
    } catch (error) {
      const reason = error instanceof VmError ? error.reason : `internal VM error: ${String(error)}`;
      const offset = session.base + (error instanceof VmError ? error.offset : pos);
      if (pickles === 0) session.findings.push(unscannable(`pickle: ${reason}`, offset));
      else session.findings.push(aFinding("pickle-trailing-data", `later pickle stops: ${reason}`, offset));
      if (error instanceof VmError && error.reason.startsWith("limit")) {
        if (pickles > 0) session.findings.push(unscannable(`pickle: ${reason}`, offset));
      }
      break;
    }
  }
  if (pickles === 0 && bytes.length === 0) session.findings.push(unscannable("pickle: empty stream", session.base));
  finishGlobals(session);
  const analysis: PickleAnalysis = {
    findings: session.findings,
    pickles,
    protocol: session.protocol,
    globals: [...session.refs.values()].map((r) => ({ name: r.name, class: r.class, calls: r.calls })),
    tensors: session.tensors,
    parameters: session.parameters,
    dtypes: [...session.dtypes].sort(),
    end: pos,
  };
  if (firstInt !== undefined) analysis.firstInt = firstInt;
  return analysis;
}

/** One finding per imported callable that is not safe (calls to dangerous ones were reported already). */
function finishGlobals(session: Session): void {
  for (const ref of session.refs.values()) {
    if (ref.class === "dangerous" && ref.calls === 0) {
      push(
        session,
        withCapability(aFinding("pickle-dangerous-global", `imports ${ref.name} (${ref.reason})`, ref.offset), ref),
      );
    } else if (ref.class === "unknown") {
      const how = ref.firstCall ? `, e.g. ${ref.firstCall}` : "";
      push(
        session,
        withCapability(aFinding("pickle-unknown-global", `imports ${ref.name} (${ref.reason})${how}`, ref.offset), ref),
      );
    }
  }
}

/** A finding about a callable, tagged with what the callable can do when the rules say. */
function withCapability(finding: ModelFinding, ref: { capability?: Capability | undefined }): ModelFinding {
  if (ref.capability) finding.capability = ref.capability;
  return finding;
}

/** Strings and bytes an argument value carries (bounded), for payload checks. */
function argumentTexts(value: PickleValue, out: string[], depth: number): void {
  if (depth > 4 || out.length > 64) return;
  switch (value.t) {
    case "str":
      out.push(value.v.slice(0, 4096));
      return;
    case "bytes":
      if (value.v) out.push(Buffer.from(value.v.subarray(0, 4096)).toString("latin1"));
      return;
    case "tuple":
    case "list":
    case "set":
      for (const item of value.items) argumentTexts(item, out, depth + 1);
      return;
    case "dict":
      for (const [k, v] of value.entries) {
        argumentTexts(k, out, depth + 1);
        argumentTexts(v, out, depth + 1);
      }
      return;
    case "call":
      for (const a of value.args) argumentTexts(a, out, depth + 1);
      if (value.kwargs) argumentTexts(value.kwargs, out, depth + 1);
      return;
    default:
      return;
  }
}

/** The first payload (code, shell command, URL) among a call's arguments, as the rules define them. */
function payloadOf(args: readonly PickleValue[], kwargs: PickleValue | undefined): string | undefined {
  const texts: string[] = [];
  for (const a of args) argumentTexts(a, texts, 0);
  if (kwargs) argumentTexts(kwargs, texts, 0);
  if (texts.length === 0) return undefined;
  for (const p of callableRules().payloads) {
    if (texts.some((t) => p.regex.test(t))) return p.says;
  }
  return undefined;
}

function push(session: Session, finding: ModelFinding): void {
  if (session.findings.length < session.limits.maxFindings) session.findings.push(finding);
}

class Machine {
  pos: number;
  private stack: PickleValue[] = [];
  private marks: number[] = [];
  private memo = new Map<number, PickleValue>();
  private frameEnd = -1;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly session: Session,
  ) {
    this.pos = start;
  }

  /** Run until STOP; returns the pickle's result value. */
  execute(): PickleValue {
    const s = this.session;
    for (;;) {
      if (++s.ops > s.limits.maxOps) throw new VmError(`limit: more than ${s.limits.maxOps} opcodes`, this.pos);
      if ((s.ops & 0xfff) === 0 && Date.now() - s.started > s.limits.maxMs) {
        throw new VmError(`limit: analysis took longer than ${s.limits.maxMs} ms`, this.pos);
      }
      const at = this.pos;
      if (at >= this.bytes.length) throw new VmError("truncated: stream ends before STOP", at);
      const op = this.bytes[at] as number;
      this.pos++;
      const done = this.step(op, at);
      if (done) return done;
      if (this.stack.length > s.limits.maxStack) throw new VmError("limit: stack too deep", at);
    }
  }

  private step(op: number, at: number): PickleValue | undefined {
    switch (op) {
      case 0x28: // MARK
        this.marks.push(this.stack.length);
        return undefined;
      case 0x2e: {
        // STOP
        const value = this.pop(at);
        return value;
      }
      case 0x30: // POP
        // pickle.py: an empty stack segment above a MARK pops the mark instead.
        if (this.marks.length > 0 && this.stack.length === this.marks.at(-1)) this.popMark(at);
        else this.pop(at);
        return undefined;
      case 0x31: // POP_MARK
        this.popMark(at);
        return undefined;
      case 0x32: // DUP
        this.stack.push(this.top(at));
        return undefined;
      case 0x46: {
        // FLOAT
        const line = this.line(at);
        const v = Number.parseFloat(line);
        if (Number.isNaN(v) && !/nan/i.test(line)) throw new VmError("bad FLOAT argument", at);
        this.stack.push({ t: "float", v });
        return undefined;
      }
      case 0x49: {
        // INT
        const line = this.line(at);
        if (line === "01" || line === "00") this.stack.push({ t: "bool", v: line === "01" });
        else this.stack.push({ t: "int", v: this.intLine(line, at) });
        return undefined;
      }
      case 0x4c: // LONG
        this.stack.push({ t: "int", v: this.intLine(this.line(at), at) });
        return undefined;
      case 0x4a: // BININT
        this.stack.push({ t: "int", v: BigInt(this.view(4, at).getInt32(0, true)) });
        return undefined;
      case 0x4b: // BININT1
        this.stack.push({ t: "int", v: BigInt(this.u8(at)) });
        return undefined;
      case 0x4d: // BININT2
        this.stack.push({ t: "int", v: BigInt(this.view(2, at).getUint16(0, true)) });
        return undefined;
      case 0x8a: // LONG1
        this.stack.push({ t: "int", v: decodeLong(this.take(this.u8(at), at)) });
        return undefined;
      case 0x8b: {
        // LONG4
        const n = this.view(4, at).getInt32(0, true);
        if (n < 0) throw new VmError("negative LONG4 length", at);
        this.stack.push({ t: "int", v: decodeLong(this.take(n, at)) });
        return undefined;
      }
      case 0x47: // BINFLOAT (big-endian)
        this.stack.push({ t: "float", v: this.view(8, at).getFloat64(0, false) });
        return undefined;
      case 0x4e: // NONE
        this.stack.push(NONE);
        return undefined;
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
        this.stack.push({ t: "bool", v: op === 0x88 });
        return undefined;
      case 0x53: {
        // STRING
        const decoded = decodeQuotedString(this.line(at));
        if (decoded === undefined) throw new VmError("STRING argument is not a quoted string", at);
        this.stack.push({ t: "str", v: decoded });
        return undefined;
      }
      case 0x54: {
        // BINSTRING
        const n = this.view(4, at).getInt32(0, true);
        if (n < 0) throw new VmError("negative BINSTRING length", at);
        this.stack.push({ t: "str", v: LATIN1.decode(this.take(n, at)) });
        return undefined;
      }
      case 0x55: // SHORT_BINSTRING
        this.stack.push({ t: "str", v: LATIN1.decode(this.take(this.u8(at), at)) });
        return undefined;
      case 0x56: // UNICODE
        this.stack.push({ t: "str", v: decodeRawUnicodeEscape(this.line(at)) });
        return undefined;
      case 0x58: // BINUNICODE
        this.stack.push({ t: "str", v: TEXT.decode(this.take(this.view(4, at).getUint32(0, true), at)) });
        return undefined;
      case 0x8c: // SHORT_BINUNICODE
        this.stack.push({ t: "str", v: TEXT.decode(this.take(this.u8(at), at)) });
        return undefined;
      case 0x8d: // BINUNICODE8
        this.stack.push({ t: "str", v: TEXT.decode(this.take(this.u64(at), at)) });
        return undefined;
      case 0x42: // BINBYTES
        this.pushBytes(this.take(this.view(4, at).getUint32(0, true), at));
        return undefined;
      case 0x43: // SHORT_BINBYTES
        this.pushBytes(this.take(this.u8(at), at));
        return undefined;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        this.pushBytes(this.take(this.u64(at), at));
        return undefined;
      case 0x97: // NEXT_BUFFER
        this.stack.push({ t: "buffer" });
        return undefined;
      case 0x98: // READONLY_BUFFER
        this.top(at);
        return undefined;
      case 0x29: // EMPTY_TUPLE
        this.stack.push({ t: "tuple", items: [] });
        return undefined;
      case 0x74: // TUPLE
        this.stack.push({ t: "tuple", items: this.popMark(at) });
        return undefined;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        if (this.stack.length < n + (this.marks.at(-1) ?? 0)) throw new VmError("stack underflow", at);
        this.stack.push({ t: "tuple", items: this.stack.splice(this.stack.length - n, n) });
        return undefined;
      }
      case 0x5d: // EMPTY_LIST
        this.stack.push({ t: "list", items: [], more: 0 });
        return undefined;
      case 0x6c: // LIST
        this.stack.push(keep({ t: "list" as const, items: [], more: 0 }, this.popMark(at)));
        return undefined;
      case 0x61: // APPEND
      case 0x65: {
        // APPENDS
        const items = op === 0x61 ? [this.pop(at)] : this.popMark(at);
        const target = this.top(at);
        if (target.t === "list" || target.t === "set") keep(target, items);
        else if (target.t !== "call" && target.t !== "unknown" && target.t !== "persid")
          throw new VmError(`APPEND to a ${target.t}`, at);
        return undefined;
      }
      case 0x7d: // EMPTY_DICT
        this.stack.push({ t: "dict", entries: [], more: 0 });
        return undefined;
      case 0x64: // DICT
        this.stack.push(this.setItems({ t: "dict", entries: [], more: 0 }, this.popMark(at), at));
        return undefined;
      case 0x73: {
        // SETITEM
        const value = this.pop(at);
        const key = this.pop(at);
        this.setItems(this.top(at), [key, value], at);
        return undefined;
      }
      case 0x75: {
        // SETITEMS
        const items = this.popMark(at);
        this.setItems(this.top(at), items, at);
        return undefined;
      }
      case 0x8f: // EMPTY_SET
        this.stack.push({ t: "set", items: [], more: 0 });
        return undefined;
      case 0x90: {
        // ADDITEMS
        const items = this.popMark(at);
        const target = this.top(at);
        if (target.t === "set") keep(target, items);
        return undefined;
      }
      case 0x91: // FROZENSET
        this.stack.push(keep({ t: "set" as const, items: [], more: 0 }, this.popMark(at)));
        return undefined;
      case 0x67: // GET
        this.stack.push(this.memoGet(Number(this.intLine(this.line(at), at)), at));
        return undefined;
      case 0x68: // BINGET
        this.stack.push(this.memoGet(this.u8(at), at));
        return undefined;
      case 0x6a: // LONG_BINGET
        this.stack.push(this.memoGet(this.view(4, at).getUint32(0, true), at));
        return undefined;
      case 0x70: // PUT
        this.memoPut(Number(this.intLine(this.line(at), at)), at);
        return undefined;
      case 0x71: // BINPUT
        this.memoPut(this.u8(at), at);
        return undefined;
      case 0x72: // LONG_BINPUT
        this.memoPut(this.view(4, at).getUint32(0, true), at);
        return undefined;
      case 0x94: // MEMOIZE
        this.memoPut(this.memo.size, at);
        return undefined;
      case 0x63: {
        // GLOBAL
        const module = this.line(at);
        const name = this.line(at);
        this.stack.push(this.global(module, name, at, false));
        return undefined;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = this.pop(at);
        const module = this.pop(at);
        if (module.t === "str" && name.t === "str") {
          this.stack.push(this.global(module.v, name.v, at, false));
        } else {
          const shown = `${render(module)}.${render(name)}`;
          push(
            this.session,
            aFinding("pickle-dynamic-global", `STACK_GLOBAL with computed name ${shown}`, this.session.base + at),
          );
          this.stack.push({ t: "global", module: render(module), name: render(name), offset: at, dynamic: true });
        }
        return undefined;
      }
      case 0x69: {
        // INST
        const module = this.line(at);
        const name = this.line(at);
        const args = this.popMark(at);
        this.stack.push(this.call(this.global(module, name, at, false), args, at));
        return undefined;
      }
      case 0x6f: {
        // OBJ
        const items = this.popMark(at);
        const cls = items.shift();
        if (!cls) throw new VmError("OBJ without a class", at);
        this.stack.push(this.call(cls, items, at));
        return undefined;
      }
      case 0x81: {
        // NEWOBJ
        const args = this.pop(at);
        const cls = this.pop(at);
        this.stack.push(this.call(cls, argItems(args), at));
        return undefined;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = this.pop(at);
        const args = this.pop(at);
        const cls = this.pop(at);
        this.stack.push(this.call(cls, argItems(args), at, kwargs));
        return undefined;
      }
      case 0x52: {
        // REDUCE
        const args = this.pop(at);
        const fn = this.pop(at);
        this.stack.push(this.call(fn, argItems(args), at));
        return undefined;
      }
      case 0x62: {
        // BUILD
        const state = this.pop(at);
        const target = this.top(at);
        if (isJoblibWrapper(target)) this.skipJoblibArray(state, at);
        if (target.t === "global") {
          push(
            this.session,
            aFinding(
              "pickle-attribute-injection",
              `BUILD sets ${render(state)} on ${render(target)}`,
              this.session.base + at,
            ),
          );
        }
        return undefined;
      }
      case 0x82: // EXT1
        this.stack.push(this.extension(this.u8(at), at));
        return undefined;
      case 0x83: // EXT2
        this.stack.push(this.extension(this.view(2, at).getUint16(0, true), at));
        return undefined;
      case 0x84: // EXT4
        this.stack.push(this.extension(this.view(4, at).getInt32(0, true), at));
        return undefined;
      case 0x50: // PERSID
        this.stack.push({ t: "persid", id: { t: "str", v: this.line(at) } });
        return undefined;
      case 0x51: // BINPERSID
        this.stack.push(this.persistent(this.pop(at)));
        return undefined;
      case 0x80: {
        // PROTO
        const protocol = this.u8(at);
        if (protocol > 5) throw new VmError(`unsupported pickle protocol ${protocol}`, at);
        this.session.protocol = Math.max(this.session.protocol, protocol);
        return undefined;
      }
      case 0x95: {
        // FRAME
        const length = this.u64(at);
        if (this.pos + length > this.bytes.length) throw new VmError("truncated: FRAME longer than the stream", at);
        this.frameEnd = this.pos + length;
        return undefined;
      }
      default:
        throw new VmError(`unknown opcode 0x${op.toString(16).padStart(2, "0")}`, at);
    }
  }

  private global(module: string, name: string, at: number, dynamic: boolean): PickleValue {
    const mod = normaliseModule(module, name);
    const qualified = `${mod}.${name}`;
    const existing = this.session.refs.get(qualified);
    if (!existing) {
      const c = classifyGlobal(mod, name);
      this.session.refs.set(qualified, {
        name: qualified,
        class: c.class,
        reason: c.reason,
        ...(c.capability ? { capability: c.capability } : {}),
        offset: this.session.base + at,
        calls: 0,
      });
    }
    return { t: "global", module: mod, name, offset: at, dynamic };
  }

  private call(fn: PickleValue, args: PickleValue[], at: number, kwargs?: PickleValue): PickleValue {
    const value: PickleValue = { t: "call", fn, args, offset: at };
    if (kwargs) value.kwargs = kwargs;
    const s = this.session;
    if (fn.t === "global" && !fn.dynamic) {
      const qualified = `${fn.module}.${fn.name}`;
      const ref = s.refs.get(qualified);
      if (ref) {
        ref.calls++;
        if (!ref.firstCall) ref.firstCall = render(value);
        if (ref.class === "dangerous" && s.findings.length < s.limits.maxFindings) {
          push(
            s,
            withCapability(aFinding("pickle-dangerous-call", `${render(value)} (${ref.reason})`, s.base + at), ref),
          );
        } else if (ref.class === "unknown" && s.findings.length < s.limits.maxFindings) {
          // Not on any list, but called with code, a shell command or a URL: judged by its payload.
          const payload = payloadOf(args, kwargs);
          if (payload) {
            const detail = `${render(value)} (${ref.name} is not on the allowlist, and its arguments carry ${payload})`;
            push(s, withCapability(aFinding("pickle-unknown-call-payload", detail, s.base + at), ref));
          }
        }
      }
      if (qualified === "copyreg.add_extension") this.registerExtension(args);
      if (NESTED_LOADERS.has(qualified)) this.nested(value, at);
      if (REBUILDERS.has(qualified)) this.countTensor(args);
    } else if (s.findings.length >= s.limits.maxFindings) {
      // Findings are full: no more rendering work for calls that cannot be reported.
    } else if (fn.t === "call" || fn.t === "str" || fn.t === "persid" || fn.t === "unknown" || fn.t === "buffer") {
      push(s, aFinding("pickle-dynamic-call", `calls a computed callable: ${render(value)}`, s.base + at));
    } else if (fn.t === "global" && fn.dynamic) {
      push(s, aFinding("pickle-dangerous-call", `${render(value)} (callable name computed at load time)`, s.base + at));
    }
    return value;
  }

  /** Analyse bytes handed to a loader (pickle.loads, torch.load, io.BytesIO…) as a nested pickle. */
  private nested(value: PickleValue, at: number): void {
    const s = this.session;
    if (s.depth >= s.limits.maxNesting) {
      push(s, unscannable("pickle: nested pickles deeper than the limit", s.base + at));
      return;
    }
    for (const bytes of findBytes(value, 0)) {
      const inner: Session = {
        ...s,
        depth: s.depth + 1,
        base: s.base + at,
        findings: [],
        refs: new Map(),
        extensions: new Map(s.extensions),
      };
      const result = runStream(bytes, inner, s.limits.maxPickles);
      s.ops = inner.ops;
      for (const f of result.findings) {
        push(s, { ...f, detail: `nested pickle in bytes at offset ${s.base + at}: ${f.detail}` });
      }
    }
  }

  /**
   * joblib (numpy_pickle.py, NumpyArrayWrapper.write_array) writes each array's raw bytes into
   * the stream right after the wrapper's BUILD: an object array as a nested pickle, else an
   * optional alignment padding (1 length byte + padding) and count × itemsize bytes.
   */
  private skipJoblibArray(state: PickleValue, at: number): void {
    const get = (key: string) =>
      state.t === "dict" ? state.entries.find(([k]) => k.t === "str" && k.v === key)?.[1] : undefined;
    const shape = get("shape");
    const dtype = get("dtype");
    const descr = dtype?.t === "call" ? dtype.args[0] : undefined;
    if (shape?.t !== "tuple" || descr?.t !== "str") throw new VmError("joblib array without shape or dtype", at);
    if (/O/.test(descr.v)) {
      const inner = new Machine(this.bytes, this.pos, this.session);
      inner.execute();
      this.pos = inner.pos;
      return;
    }
    const m = /([biufcmMSUV])(\d+)/.exec(descr.v);
    if (!m) throw new VmError(`joblib array of unsupported dtype ${descr.v}`, at);
    const itemsize = Number(m[2]) * (m[1] === "U" ? 4 : 1);
    let count = 1;
    for (const d of shape.items) {
      if (d.t !== "int") throw new VmError("joblib array with a non-integer shape", at);
      count *= Number(d.v);
    }
    if (get("numpy_array_alignment_bytes")) {
      const padding = this.u8(at);
      if (padding > 64) throw new VmError("joblib alignment padding out of range", at);
      this.take(padding, at);
    }
    this.frameEnd = -1;
    this.take(count * itemsize, at);
  }

  private registerExtension(args: PickleValue[]): void {
    const [module, name, code] = args;
    if (module?.t === "str" && name?.t === "str" && code?.t === "int") {
      this.session.extensions.set(Number(code.v), [module.v, name.v]);
    }
  }

  private extension(code: number, at: number): PickleValue {
    const entry = this.session.extensions.get(code);
    if (entry) return this.global(entry[0], entry[1], at, false);
    push(
      this.session,
      aFinding("pickle-extension-code", `EXT code ${code} is not registered in this file`, this.session.base + at),
    );
    return { t: "unknown", why: `extension ${code}` };
  }

  private persistent(id: PickleValue): PickleValue {
    // PyTorch: ('storage', storage_type, key, location, numel); storage_type names the dtype.
    if (id.t === "tuple") {
      const type = id.items[1];
      if (type?.t === "global") {
        const dtype = STORAGE_DTYPES[type.name] ?? (type.module === "torch" ? type.name : undefined);
        if (dtype && dtype !== "UntypedStorage") this.session.dtypes.add(dtype);
      }
    }
    return { t: "persid", id };
  }

  private countTensor(args: PickleValue[]): void {
    const size = args[2];
    if (size?.t !== "tuple") return;
    let n = 1;
    for (const d of size.items) {
      if (d.t !== "int") return;
      n *= Number(d.v);
    }
    this.session.tensors++;
    if (Number.isFinite(n)) this.session.parameters += n;
  }

  private setItems(target: PickleValue, items: PickleValue[], at: number): PickleValue {
    if (items.length % 2 !== 0) throw new VmError("odd number of items for a dict", at);
    if (target.t === "dict") {
      for (let i = 0; i < items.length; i += 2) {
        if (target.entries.length < MAX_KEPT_ITEMS)
          target.entries.push([items[i] as PickleValue, items[i + 1] as PickleValue]);
        else target.more++;
      }
    } else if (target.t !== "call" && target.t !== "unknown" && target.t !== "persid") {
      throw new VmError(`SETITEM on a ${target.t}`, at);
    }
    return target;
  }

  private pushBytes(data: Uint8Array): void {
    const kept = data.length <= this.session.limits.maxKeptBytes ? data : null;
    this.stack.push({ t: "bytes", v: kept, length: data.length });
  }

  private memoGet(index: number, at: number): PickleValue {
    const value = this.memo.get(index);
    if (!value) throw new VmError(`memo key ${index} missing`, at);
    return value;
  }

  private memoPut(index: number, at: number): void {
    if (this.memo.size >= this.session.limits.maxMemo && !this.memo.has(index))
      throw new VmError("limit: memo too large", at);
    this.memo.set(index, this.top(at));
  }

  private pop(at: number): PickleValue {
    const floor = this.marks.at(-1) ?? 0;
    if (this.stack.length <= floor) throw new VmError("stack underflow", at);
    return this.stack.pop() as PickleValue;
  }

  private top(at: number): PickleValue {
    const floor = this.marks.at(-1) ?? 0;
    const value = this.stack[this.stack.length - 1];
    if (!value || this.stack.length <= floor) throw new VmError("stack underflow", at);
    return value;
  }

  private popMark(at: number): PickleValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) throw new VmError("no MARK on the stack", at);
    return this.stack.splice(mark);
  }

  private intLine(line: string, at: number): bigint {
    const v = parseIntLine(line);
    if (v === undefined) throw new VmError("bad integer argument", at);
    return v;
  }

  private take(n: number, at: number): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length) throw new VmError("truncated: argument past the end", at);
    if (this.frameEnd >= 0 && this.pos + n > this.frameEnd && this.pos < this.frameEnd) {
      // Pickle.py refuses arguments that straddle a frame boundary.
      throw new VmError("argument crosses a FRAME boundary", at);
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private u8(at: number): number {
    return this.take(1, at)[0] as number;
  }

  private u64(at: number): number {
    const v = this.view(8, at).getBigUint64(0, true);
    if (v > BigInt(this.bytes.length)) throw new VmError("truncated: length past the end", at);
    return Number(v);
  }

  private view(n: number, at: number): DataView {
    const b = this.take(n, at);
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  private line(at: number): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw new VmError("truncated: text argument without a newline", at);
    const text = LATIN1.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  }
}

function isJoblibWrapper(value: PickleValue): boolean {
  return (
    value.t === "call" &&
    value.fn.t === "global" &&
    value.fn.name === "NumpyArrayWrapper" &&
    value.fn.module.endsWith("joblib.numpy_pickle")
  );
}

function keep<T extends { items: PickleValue[]; more: number }>(target: T, items: PickleValue[]): T {
  const room = MAX_KEPT_ITEMS - target.items.length;
  if (room > 0) target.items.push(...items.slice(0, room));
  target.more += Math.max(0, items.length - Math.max(room, 0));
  return target;
}

function findBytes(value: PickleValue, depth: number): Uint8Array[] {
  if (depth > 4) return [];
  switch (value.t) {
    case "bytes":
      return value.v ? [value.v] : [];
    case "str":
      // Protocol 0/1 pickles carry bytes as latin-1 strings.
      return value.v.length > 1 ? [Uint8Array.from(value.v, (c) => c.charCodeAt(0) & 0xff)] : [];
    case "call":
      return value.args.flatMap((a) => findBytes(a, depth + 1));
    case "tuple":
    case "list":
      return value.items.flatMap((a) => findBytes(a, depth + 1));
    default:
      return [];
  }
}
