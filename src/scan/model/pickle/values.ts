/** Symbolic values of the pickle VM and their rendering as Python-like source. */

export type PickleValue =
  | { t: "none" }
  | { t: "bool"; v: boolean }
  | { t: "int"; v: bigint }
  | { t: "float"; v: number }
  | { t: "str"; v: string }
  | { t: "bytes"; v: Uint8Array | null; length: number }
  | { t: "tuple"; items: PickleValue[] }
  | { t: "list"; items: PickleValue[]; more: number }
  | { t: "dict"; entries: [PickleValue, PickleValue][]; more: number }
  | { t: "set"; items: PickleValue[]; more: number }
  | { t: "global"; module: string; name: string; offset: number; dynamic: boolean }
  | { t: "call"; fn: PickleValue; args: PickleValue[]; kwargs?: PickleValue; offset: number }
  | { t: "persid"; id: PickleValue }
  | { t: "buffer" }
  | { t: "unknown"; why: string };

export const NONE: PickleValue = { t: "none" };

/** Containers keep this many items for rendering and analysis; the rest are counted. */
export const MAX_KEPT_ITEMS = 256;

const RENDER_LIMIT = 400;

/** Python-like source of a value, bounded in depth and length. */
export function render(value: PickleValue, depth = 0): string {
  const out = renderInner(value, depth);
  return out.length > RENDER_LIMIT ? `${out.slice(0, RENDER_LIMIT)}…` : out;
}

function renderInner(value: PickleValue, depth: number): string {
  if (depth > 6) return "…";
  const r = (v: PickleValue) => render(v, depth + 1);
  switch (value.t) {
    case "none":
      return "None";
    case "bool":
      return value.v ? "True" : "False";
    case "int":
      return value.v.toString();
    case "float":
      return String(value.v);
    case "str":
      return JSON.stringify(value.v.length > 200 ? `${value.v.slice(0, 200)}…` : value.v);
    case "bytes": {
      if (!value.v) return `<${value.length} bytes>`;
      const text = Buffer.from(value.v.subarray(0, 64)).toString("latin1");
      return `b${JSON.stringify(text)}${value.length > 64 ? `…(${value.length} bytes)` : ""}`;
    }
    case "tuple":
      return `(${value.items.slice(0, 16).map(r).join(", ")}${value.items.length > 16 ? ", …" : value.items.length === 1 ? "," : ""})`;
    case "list":
      return `[${value.items.slice(0, 8).map(r).join(", ")}${value.items.length > 8 || value.more ? ", …" : ""}]`;
    case "set":
      return `{${value.items.slice(0, 8).map(r).join(", ")}${value.items.length > 8 || value.more ? ", …" : ""}}`;
    case "dict":
      return `{${value.entries
        .slice(0, 8)
        .map(([k, v]) => `${r(k)}: ${r(v)}`)
        .join(", ")}${value.entries.length > 8 || value.more ? ", …" : ""}}`;
    case "global":
      return value.dynamic ? `<computed ${value.module}.${value.name}>` : `${value.module}.${value.name}`;
    case "call": {
      const args = value.args.slice(0, 16).map(r);
      if (value.args.length > 16) args.push("…");
      if (value.kwargs) args.push(`**${r(value.kwargs)}`);
      return `${r(value.fn)}(${args.join(", ")})`;
    }
    case "persid":
      return `persistent_load(${r(value.id)})`;
    case "buffer":
      return "<out-of-band buffer>";
    case "unknown":
      return `<${value.why}>`;
  }
}

/** The callable a call value ultimately invokes, when it is an imported global. */
export function calleeGlobal(value: PickleValue): Extract<PickleValue, { t: "global" }> | undefined {
  return value.t === "global" ? value : undefined;
}

/** Items of a tuple-like argument value (REDUCE args), or the value itself as one argument. */
export function argItems(value: PickleValue): PickleValue[] {
  if (value.t === "tuple" || value.t === "list") return value.items;
  return [value];
}
