/** Decoders for the text arguments of protocol 0 opcodes (STRING, UNICODE, INT, LONG, FLOAT). */

/** Decode a Python `repr()` of a str/bytes literal as written by protocol 0 STRING: 'abc' or "abc". */
export function decodeQuotedString(line: string): string | undefined {
  if (line.length < 2) return undefined;
  const q = line[0];
  if ((q !== "'" && q !== '"') || line[line.length - 1] !== q) return undefined;
  return decodeEscapes(line.slice(1, -1), false);
}

/** Decode Python's `raw-unicode-escape` (protocol 0 UNICODE): only \uXXXX and \UXXXXXXXX are escapes. */
export function decodeRawUnicodeEscape(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_, u4: string | undefined, u8: string | undefined) => {
      const code = Number.parseInt(u4 ?? u8 ?? "0", 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
    },
  );
}

const SIMPLE: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

function decodeEscapes(body: string, unicode: boolean): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\" || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1] as string;
    if (n === "x" && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (unicode && n === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1)) as RegExpExecArray;
      out += String.fromCharCode(Number.parseInt(m[0], 8) & 0xff);
      i += m[0].length;
    } else if (SIMPLE[n] !== undefined) {
      out += SIMPLE[n];
      i += 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** Parse a protocol 0 INT/LONG argument; `I01`/`I00` are booleans. */
export function parseIntLine(line: string): bigint | undefined {
  const trimmed = line.trim().replace(/L$/, "");
  if (!/^[-+]?\d{1,4300}$/.test(trimmed)) return undefined;
  return BigInt(trimmed);
}

/** Decode a little-endian two's-complement integer (LONG1/LONG4). */
export function decodeLong(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  if ((bytes[bytes.length - 1] as number) & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}
