/**
 * The field model: every place a request or an answer can carry text, declared as data per
 * endpoint (field-tables.ts), and one walker that visits every string of a JSON value against
 * that declaration. A string the declaration does not know is still visited, with the role
 * `unknown`: nothing that carries text is passed unchecked because a field was forgotten.
 */

/** What a piece of text is, which decides how it is guarded. */
export type TextRole =
  /** Prompt text written by the caller's end user. */
  | "user"
  /** System and developer instructions. */
  | "system"
  /** Earlier model turns replayed by the client (the client can forge them). */
  | "assistant"
  /** Results of tools and functions: data the model should read, never obey. */
  | "tool-result"
  /** Tool and function descriptions and schemas, response-format schemas. */
  | "tool-definition"
  /** Short labels a model sees (names, tool-call ids, stop sequences): PII and secrets only. */
  | "label"
  /** A tool or function name: checked against the caller's tool rights, and guarded as a label. */
  | "tool-name"
  /** Base64 media (images, audio). Skipped only while it really is base64; otherwise `unknown`. */
  | "media"
  /** Routing and framing values (model, role, type, ids, enums): PII and secrets only, keys not read. */
  | "meta"
  /** Answer text. */
  | "output"
  /** Model reasoning (reasoning_content, thinking). */
  | "reasoning"
  /** Arguments of a tool call the model makes. */
  | "tool-arguments"
  /** A field nobody declared: guarded as untrusted prompt text, or refused by policy. */
  | "unknown";

/** How the strings at a place in a JSON value are guarded. */
export type Spec = Leaf | ObjSpec | EachSpec | AltSpec | PickSpec | TokensSpec;

interface Leaf {
  kind: "leaf";
  role: TextRole;
  /** In a stream, this field arrives as deltas to be joined (content, arguments), not whole. */
  streamed: boolean;
}
interface ObjSpec {
  kind: "obj";
  keys: Readonly<Record<string, Spec>>;
  /** Keys not listed (default: `unknown`). */
  rest?: Spec;
}
interface EachSpec {
  kind: "each";
  item: Spec;
}
/** By the value's JSON type; a type not listed is `unknown`. */
interface AltSpec {
  kind: "alt";
  string?: Spec;
  array?: Spec;
  object?: Spec;
}
/** Chosen from the value itself (a message's role, a content part's type). */
interface PickSpec {
  kind: "pick";
  choose(value: Record<string, unknown>): Spec;
}

/**
 * A list of logprob entries (`[{token, logprob, bytes, top_logprobs}]`, or the legacy parallel
 * arrays `{tokens, token_logprobs, top_logprobs, text_offset}`): one text, the tokens joined,
 * since an entity is spread over many tokens. When the guards change that text the entries are
 * replaced by one entry holding the guarded text (no bytes, no alternatives).
 */
interface TokensSpec {
  kind: "tokens";
  shape: "entries" | "parallel";
  role: TextRole;
}

const leaves = new Map<string, Leaf>();
/** Every string at or below this place has `role` (object keys below it too). */
export function leaf(role: TextRole, streamed = false): Leaf {
  const id = `${role}:${streamed}`;
  let l = leaves.get(id);
  if (!l) {
    l = { kind: "leaf", role, streamed };
    leaves.set(id, l);
  }
  return l;
}
export const obj = (keys: Record<string, Spec>, rest?: Spec): ObjSpec => ({
  kind: "obj",
  keys,
  ...(rest ? { rest } : {}),
});
export const each = (item: Spec): EachSpec => ({ kind: "each", item });
export const alt = (types: Omit<AltSpec, "kind">): AltSpec => ({ kind: "alt", ...types });
export const pick = (choose: (value: Record<string, unknown>) => Spec): PickSpec => ({ kind: "pick", choose });
export const tokens = (shape: TokensSpec["shape"], role: TextRole = "output"): TokensSpec => ({
  kind: "tokens",
  shape,
  role,
});
/** A string, or a list of strings, with one role (prompt, stop, input). */
export const textOrList = (role: TextRole, streamed = false): AltSpec =>
  alt({ string: leaf(role, streamed), array: each(alt({ string: leaf(role, streamed) })) });

/** A step of a path: an object key, or an array position. */
export type PathStep = string | number;

/** One string found in a value, and how to replace it. */
export interface TextSlot {
  path: readonly PathStep[];
  role: TextRole;
  streamed: boolean;
  /** The string is an object key (of an undeclared or wholly-guarded object), not a value. */
  isKey: boolean;
  text: string;
  /** Logprob token lists: how to create the field when a stream's held text is written later. */
  shape?: "entries" | "parallel";
  set(text: string): void;
}

type Json = Record<string, unknown>;
const UNKNOWN = leaf("unknown");
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Visit every string in `value` (object keys of wholly-guarded parts too) with its role.
 * `set` on a slot rewrites the value in place. Depth is bounded by the JSON parser's input
 * (the body size limit); recursion follows the value, not the declaration.
 */
export function collectTexts(value: unknown, spec: Spec): TextSlot[] {
  const slots: TextSlot[] = [];
  walk(value, spec, [], slots, undefined);
  return slots;
}

type Setter = ((text: string) => void) | undefined;

function walk(value: unknown, spec: Spec, path: PathStep[], out: TextSlot[], set: Setter): void {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return;
  switch (spec.kind) {
    case "leaf":
      visitAll(value, spec, path, out, set);
      return;
    case "alt": {
      const next = typeof value === "string" ? spec.string : Array.isArray(value) ? spec.array : spec.object;
      walk(value, next ?? UNKNOWN, path, out, set);
      return;
    }
    case "pick":
      walk(value, isObject(value) ? spec.choose(value) : UNKNOWN, path, out, set);
      return;
    case "tokens":
      if (spec.shape === "entries") entriesSlot(value, spec, path, out);
      else parallelSlot(value, spec, path, out);
      return;
    case "each":
      if (!Array.isArray(value)) {
        walk(value, UNKNOWN, path, out, set);
        return;
      }
      value.forEach((item, i) => {
        walk(item, spec.item, [...path, i], out, (t) => {
          value[i] = t;
        });
      });
      return;
    case "obj":
      if (!isObject(value)) {
        walk(value, UNKNOWN, path, out, set);
        return;
      }
      for (const key of Object.keys(value)) {
        const child = Object.hasOwn(spec.keys, key) ? (spec.keys[key] as Spec) : (spec.rest ?? UNKNOWN);
        const ref = { key };
        if (child.kind === "leaf" && child.role !== "meta" && !Object.hasOwn(spec.keys, key))
          pushKeySlot(out, value, ref, child, path);
        walk(value[key], child, [...path, key], out, (t) => {
          value[ref.key] = t;
        });
      }
      return;
  }
}

/** Every string below `value` gets the leaf's role; keys of objects below it are texts too. */
function visitAll(value: unknown, spec: Leaf, path: PathStep[], out: TextSlot[], set: Setter): void {
  if (typeof value === "string") {
    if (value !== "")
      out.push({ path, role: spec.role, streamed: spec.streamed, isKey: false, text: value, set: set ?? (() => {}) });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visitAll(item, spec, [...path, i], out, (t) => {
        value[i] = t;
      });
    });
    return;
  }
  if (isObject(value)) {
    for (const key of Object.keys(value)) {
      const ref = { key };
      if (spec.role !== "meta") pushKeySlot(out, value, ref, spec, path);
      visitAll(value[key], spec, [...path, key], out, (t) => {
        value[ref.key] = t;
      });
    }
  }
}

function entriesSlot(value: unknown, spec: TokensSpec, path: PathStep[], out: TextSlot[]): void {
  if (!Array.isArray(value)) {
    walk(value, UNKNOWN, path, out, undefined);
    return;
  }
  const list = value as unknown[];
  const entries = list.filter(isObject);
  // Alternatives are other tokens at a position; they are guarded one by one as output.
  entries.forEach((e, i) => {
    walk(
      e.top_logprobs,
      each(obj({ token: leaf(spec.role) }, leaf("meta"))),
      [...path, i, "top_logprobs"],
      out,
      undefined,
    );
  });
  const text = entries.map((e) => (typeof e.token === "string" ? e.token : "")).join("");
  if (text === "") return;
  out.push({
    path,
    role: spec.role,
    streamed: true,
    isKey: false,
    text,
    shape: "entries",
    set(next) {
      if (next === text) return;
      const first = entries[0];
      list.length = 0;
      if (next !== "") list.push({ token: next, logprob: first?.logprob ?? 0, bytes: null, top_logprobs: [] });
    },
  });
}

function parallelSlot(value: unknown, spec: TokensSpec, path: PathStep[], out: TextSlot[]): void {
  if (!isObject(value)) {
    walk(value, UNKNOWN, path, out, undefined);
    return;
  }
  const holder = value;
  const list = Array.isArray(holder.tokens) ? holder.tokens : [];
  const text = list.map((t) => (typeof t === "string" ? t : "")).join("");
  for (const key of Object.keys(holder))
    if (!["tokens", "token_logprobs", "top_logprobs", "text_offset"].includes(key))
      walk(holder[key], UNKNOWN, [...path, key], out, undefined);
  walk(holder.top_logprobs, each(obj({}, leaf(spec.role))), [...path, "top_logprobs"], out, undefined);
  if (text === "") return;
  out.push({
    path,
    role: spec.role,
    streamed: true,
    isKey: false,
    text,
    shape: "parallel",
    set(next) {
      if (next === text) return;
      const offsets = Array.isArray(holder.text_offset) ? holder.text_offset : [];
      holder.tokens = next === "" ? [] : [next];
      holder.token_logprobs = next === "" ? [] : [null];
      holder.top_logprobs = next === "" ? [] : [null];
      holder.text_offset = next === "" ? [] : [offsets[0] ?? 0];
    },
  });
}

/**
 * An object key as text. Renaming it keeps the value (JSON ignores key order) and updates
 * `ref`, which the value's own setter writes through, so both may change in either order.
 */
function pushKeySlot(out: TextSlot[], holder: Json, ref: { key: string }, spec: Leaf, path: PathStep[]): void {
  if (ref.key === "") return;
  out.push({
    path: [...path, ref.key],
    role: spec.role,
    streamed: false,
    isKey: true,
    text: ref.key,
    set(text) {
      if (text === ref.key) return;
      holder[text] = holder[ref.key];
      delete holder[ref.key];
      ref.key = text;
    },
  });
}

/** The path as people read it (`messages[2].content[0].text`), for errors and audit. */
export function formatPath(path: readonly PathStep[]): string {
  let out = "";
  for (const step of path) out += typeof step === "number" ? `[${step}]` : out === "" ? step : `.${step}`;
  return out || "(body)";
}

/** Base64 (optionally as a data: URL of an image or audio type): media the guards skip. */
const MEDIA = /^(?:data:(?:image|audio|video)\/[\w.+-]+;base64,)?[A-Za-z0-9+/=\r\n]*$/;
export const isMedia = (text: string) => text.length >= 64 && MEDIA.test(text);
