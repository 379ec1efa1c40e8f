/**
 * The pin file (`mcp.pins`, default `palisade-mcp-pins.json`): the approved tool definitions,
 * written by `palisade mcp approve` and committed like a lockfile. Each definition is stored as
 * JSON (not only its hash) so a change can be shown as a diff, and so a review of the file's
 * own diff shows what was approved. Read strictly: a hand-edited definition whose hash no
 * longer matches is an error, not a silently different approval.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { PalisadeError } from "../core/index.js";
import { canonicalJson, emptyPins, type PinnedServer, type PinnedTool, type Pins, sha256 } from "./pinning.js";

export const PIN_FILE_VERSION = 1;
/** A pin file larger than this is refused (thousands of servers' tools fit in far less). */
const MAX_PIN_FILE_BYTES = 64 * 1024 * 1024;

const PinFileSchema = z.strictObject({ version: z.literal(PIN_FILE_VERSION), servers: z.unknown() });
const PinnedServerSchema = z.strictObject({ name: z.string(), tools: z.unknown() });
const PinnedToolSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/, "expected a lower-case SHA-256 hex digest"),
  approvedAt: z.iso.datetime({ offset: true }),
  // Not z.record: it would drop an own `__proto__` key and so change what the hash covers.
  definition: z.custom<Record<string, unknown>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    "expected the tool definition as a JSON object",
  ),
});

/**
 * Pins from a pin file. A missing file is no pins; anything else that is wrong (unreadable,
 * not JSON, wrong shape, a hash that does not match its definition) is a bad-input
 * PalisadeError naming the file.
 */
export function readPins(file: string): Pins {
  let text: string;
  try {
    if (statSync(file).size > MAX_PIN_FILE_BYTES) throw pinError(file, `larger than ${MAX_PIN_FILE_BYTES} bytes`);
    text = readFileSync(file, "utf8");
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return emptyPins();
    throw pinError(file, `cannot read it (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
  }
  return parsePins(text, file);
}

/** Pins from the text of a pin file (`file` names it in errors). */
export function parsePins(text: string, file: string): Pins {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw pinError(file, `not valid JSON (${(cause as Error).message})`, cause);
  }
  const top = validate(PinFileSchema, raw, file, "");
  const pins = emptyPins();
  for (const [identity, rawServer] of entriesOf(top.servers, file, "servers")) {
    const at = `servers[${JSON.stringify(identity)}]`;
    const server = validate(PinnedServerSchema, rawServer, file, at);
    const tools = new Map<string, PinnedTool>();
    for (const [name, rawTool] of entriesOf(server.tools, file, `${at}.tools`)) {
      const toolAt = `${at}.tools[${JSON.stringify(name)}]`;
      const pin = validate(PinnedToolSchema, rawTool, file, toolAt);
      let definition: string;
      try {
        definition = canonicalJson(pin.definition);
      } catch (cause) {
        throw pinError(file, `${toolAt}.definition: ${(cause as Error).message}`, cause);
      }
      if (sha256(definition) !== pin.hash)
        throw pinError(file, `${toolAt}: the hash does not match the definition (edited by hand?)`);
      tools.set(name, { hash: pin.hash, approvedAt: pin.approvedAt, definition });
    }
    pins.servers.set(identity, { name: server.name, tools } satisfies PinnedServer);
  }
  return pins;
}

/** The pin file's text: keys sorted, two-space indent, definitions as JSON objects. */
export function formatPins(pins: Pins): string {
  const servers: Record<string, unknown> = {};
  for (const identity of [...pins.servers.keys()].sort()) {
    const server = pins.servers.get(identity) as PinnedServer;
    const tools: Record<string, unknown> = {};
    for (const name of [...server.tools.keys()].sort()) {
      const pin = server.tools.get(name) as PinnedTool;
      defineOwn(tools, name, { hash: pin.hash, approvedAt: pin.approvedAt, definition: JSON.parse(pin.definition) });
    }
    defineOwn(servers, identity, { name: server.name, tools });
  }
  return `${JSON.stringify({ version: PIN_FILE_VERSION, servers }, null, 2)}\n`;
}

/**
 * Writes the pin file atomically: a temporary file in the same directory, then a rename over
 * the old one, so a reader (a running proxy) sees the old pins or the new, never half a file.
 */
export function writePins(file: string, pins: Pins): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, formatPins(pins), { flush: true });
    renameSync(temp, file);
  } catch (cause) {
    rmSync(temp, { force: true });
    throw pinError(file, `cannot write it (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
  }
}

function pinError(file: string, message: string, cause?: unknown): PalisadeError {
  return new PalisadeError("bad-input", `pin file ${file}: ${message}`, { input: file, cause });
}

function validate<T extends z.ZodType>(schema: T, value: unknown, file: string, at: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [at, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".");
  throw pinError(file, `${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`);
}

/** Own entries of a JSON object, `__proto__` included (JSON.parse makes it an own key; zod's record drops it). */
function entriesOf(value: unknown, file: string, at: string): [string, unknown][] {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw pinError(file, `${at}: expected an object`);
  return Object.entries(value);
}

/** Sets a key as an own property, `__proto__` too (assignment would set the prototype instead). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
