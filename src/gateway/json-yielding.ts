/**
 * JSON.stringify for large bodies that gives the event loop back between pieces. Serialising a
 * 10 MB request in one call holds the loop for 40–150 ms; here each member of an object or
 * array is serialised on its own (a single huge string still goes in one piece) and the loop is
 * yielded to after every ~256 KB written. Output is the same text JSON.stringify gives.
 */
const YIELD_EVERY = 256 * 1024;

export async function stringifyYielding(value: unknown): Promise<string> {
  const out: string[] = [];
  let sinceYield = 0;
  const emit = async (piece: string) => {
    out.push(piece);
    sinceYield += piece.length;
    if (sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const write = async (v: unknown): Promise<void> => {
    if (Array.isArray(v)) {
      await emit("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) await emit(",");
        const item = v[i];
        // As JSON.stringify: undefined, functions and symbols in arrays become null.
        if (item === undefined || typeof item === "function" || typeof item === "symbol") await emit("null");
        else await write(item);
      }
      await emit("]");
      return;
    }
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON !== "function") {
      await emit("{");
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
        await emit(`${first ? "" : ","}${JSON.stringify(key)}:`);
        first = false;
        await write(item);
      }
      await emit("}");
      return;
    }
    if (typeof v === "string" && v.length > YIELD_EVERY) {
      // A huge string in slices: escaping is per character, so the pieces join to the same text.
      // A slice never ends between the two halves of a surrogate pair (they would be escaped apart).
      await emit('"');
      for (let i = 0; i < v.length; ) {
        let end = Math.min(v.length, i + YIELD_EVERY);
        const last = v.charCodeAt(end - 1);
        if (end < v.length && last >= 0xd800 && last <= 0xdbff) end--;
        await emit(JSON.stringify(v.slice(i, end)).slice(1, -1));
        i = end;
      }
      await emit('"');
      return;
    }
    await emit(JSON.stringify(v) ?? "null");
  };
  await write(value);
  return out.join("");
}
