/**
 * Tool pinning, the defence against a "rug pull": a server whose tools change after someone
 * approved them. A tool is pinned by the SHA-256 of its canonical definition, under the
 * server's identity (what runs, not the name a config gives it) and the tool's name; a later
 * definition with another hash is `changed` and shown as a diff until approved again.
 */
import { createHash } from "node:crypto";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { PalisadeError } from "../core/index.js";
import { isStdio, type McpUpstreamConfig } from "./config.js";
import { diffTool } from "./tool-diff.js";

/** Nesting deeper than this is refused: no real schema needs it and recursion must stay bounded. */
export const MAX_DEFINITION_DEPTH = 128;

/**
 * Canonical JSON of a tool as the agent receives it: every field except `_meta`, object keys
 * sorted by UTF-16 code units at every level, no whitespace, absent fields omitted (the JSON
 * Canonicalization Scheme, RFC 8785, for the values JSON.parse yields).
 *
 * Every field is in, not only name/description/schemas: `title`, `annotations`, `icons`,
 * `execution` and any key a future SDK passes on reach the agent, and an attacker can hide text
 * in any of them. `_meta` is left out because the spec reserves it for protocol metadata that
 * clients do not put in front of the model, and servers fill it with per-process values (trace
 * ids, timestamps) that would make every restart look like a rug pull; the proxy should not
 * pass a tool's `_meta` on to agents for the same reason.
 */
export function canonicalTool(tool: Tool): string {
  const { _meta: _, ...definition } = tool;
  return canonicalJson(definition);
}

/** SHA-256 (hex) of canonicalTool: what a pin records and compares. */
export function toolHash(tool: Tool): string {
  return sha256(canonicalTool(tool));
}

/** SHA-256 (hex) of a text. */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Canonical JSON (RFC 8785 for JSON values); throws a bad-input PalisadeError past MAX_DEFINITION_DEPTH. */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEFINITION_DEPTH)
    throw new PalisadeError("bad-input", `tool definition nested deeper than ${MAX_DEFINITION_DEPTH} levels`);
  if (value === null || typeof value !== "object") {
    // JSON.stringify writes numbers and strings as RFC 8785 does; non-JSON values become null.
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
      return JSON.stringify(value);
    return "null";
  }
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? "null" : write(item, depth + 1))).join(",")}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], depth + 1)}`);
  return `{${entries.join(",")}}`;
}

/**
 * Who a server is, independent of the name a config gives it: a stdio server is the program and
 * its arguments (`stdio:["npx","-y","pkg@1.2.0"]`), an HTTP server its URL without credentials,
 * query or fragment. The environment, working directory and headers are left out: they carry
 * secrets and change between machines, while the identity must be the same on every machine
 * that shares the pin file. A new package version is therefore a new identity, approved anew.
 */
export function serverIdentity(config: McpUpstreamConfig): string {
  if (isStdio(config)) return `stdio:${JSON.stringify([config.command, ...config.args])}`;
  const url = new URL(config.url);
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  return url.href;
}

/** One approved tool definition. */
export interface PinnedTool {
  /** toolHash of the approved definition. */
  hash: string;
  /** When it was approved (ISO 8601). */
  approvedAt: string;
  /** The approved canonical definition, kept to show what changed. */
  definition: string;
}

/** The pins of one server identity. */
export interface PinnedServer {
  /** The server's name in the config that approved it (for people reading the file). */
  name: string;
  tools: Map<string, PinnedTool>;
}

/** Every pin, by server identity (see serverIdentity). */
export interface Pins {
  servers: Map<string, PinnedServer>;
}

/** An empty set of pins (a missing pin file). */
export function emptyPins(): Pins {
  return { servers: new Map() };
}

export type ToolStatus = "approved" | "changed" | "unapproved" | "removed";

/** A tool's definition against its pin. */
export interface ToolCheck {
  tool: string;
  status: ToolStatus;
  /** toolHash of the definition listed now (absent for `removed`). */
  hash?: string;
  /**
   * For `changed`: what differs from the approved definition, readable (see diffTool). Also set,
   * without `hash`, for a definition too deeply nested to pin: it never matches a pin.
   */
  diff?: string;
}

/**
 * Each listed tool against the pins of `identity`, in the order listed, then the pinned tools
 * the server no longer lists (`removed`). A tool listed under a new name is `unapproved` and its
 * old name `removed`: a rename is approved like a new tool.
 */
export function checkTools(identity: string, tools: readonly Tool[], pins: Pins): ToolCheck[] {
  const pinned = pins.servers.get(identity)?.tools ?? new Map<string, PinnedTool>();
  const listed = new Set<string>();
  const out: ToolCheck[] = tools.map((tool) => {
    listed.add(tool.name);
    return checkOne(tool, pinned.get(tool.name));
  });
  for (const name of [...pinned.keys()].sort()) if (!listed.has(name)) out.push({ tool: name, status: "removed" });
  return out;
}

function checkOne(tool: Tool, pin: PinnedTool | undefined): ToolCheck {
  let definition: string;
  try {
    definition = canonicalTool(tool);
  } catch (error) {
    // A definition that cannot be pinned can never match a pin, nor be trusted on first use.
    const problem = `cannot be pinned: ${(error as Error).message}`;
    return { tool: tool.name, status: pin ? "changed" : "unapproved", diff: problem };
  }
  const hash = sha256(definition);
  if (!pin) return { tool: tool.name, status: "unapproved", hash };
  if (pin.hash === hash) return { tool: tool.name, status: "approved", hash };
  return { tool: tool.name, status: "changed", hash, diff: diffTool(pin.definition, definition) };
}

export interface ApproveOptions {
  identity: string;
  /** The server's name in the config (recorded for people). */
  serverName: string;
  /** The tools to pin as they are listed now. */
  tools: readonly Tool[];
  /** Pinned tools to forget (no longer listed, and their removal approved). */
  remove?: readonly string[];
  /** The approval time; default now. */
  now?: Date;
}

/** New pins with `tools` approved as they are now (the given pins are not changed). */
export function approveTools(pins: Pins, options: ApproveOptions): Pins {
  const approvedAt = (options.now ?? new Date()).toISOString();
  const servers = new Map(pins.servers);
  const before = pins.servers.get(options.identity);
  const tools = new Map(before?.tools ?? []);
  for (const name of options.remove ?? []) tools.delete(name);
  for (const tool of options.tools) {
    const definition = canonicalTool(tool);
    const hash = sha256(definition);
    // Approving an unchanged tool again keeps its first approval time: the file changes only when a pin does.
    if (tools.get(tool.name)?.hash !== hash) tools.set(tool.name, { hash, approvedAt, definition });
  }
  if (tools.size === 0) servers.delete(options.identity);
  else servers.set(options.identity, { name: options.serverName, tools });
  return { servers };
}

/** What the proxy asks of the pins while it runs. */
export interface PinState {
  /**
   * The tools a server lists now against the pin file and, for tools never approved when
   * `unapproved` is `allow`, against the first definition this process saw (trust on first use:
   * that first sight is reported `approved`, a later different definition `changed`).
   */
  check(identity: string, tools: readonly Tool[]): ToolCheck[];
  /** Takes new pins (the pin file was approved again); first-use pins of tools now pinned are dropped. */
  replacePins(pins: Pins): void;
}

export interface PinStateOptions {
  pins: Pins;
  /** Policy `runtime.mcp.pinning.unapproved`. */
  unapproved: "allow" | "hide";
}

/** The in-memory pin state of one proxy process. */
export function createPinState(options: PinStateOptions): PinState {
  let pins = options.pins;
  // Trust-on-first-use pins live only in memory: a restart trusts again, the pin file is for approval.
  const firstSeen: Pins = emptyPins();
  return {
    check(identity, tools) {
      const checks = checkTools(identity, tools, pins);
      if (options.unapproved === "hide") return checks;
      // A tool that cannot be pinned (no hash) cannot be trusted on first use either.
      const trustable = (check: ToolCheck | undefined) => check?.status === "unapproved" && check.hash !== undefined;
      const unapproved = tools.filter((_, i) => trustable(checks[i]));
      if (unapproved.length === 0) return checks;
      const seen = firstSeen.servers.get(identity)?.tools;
      const fresh = unapproved.filter((tool) => !seen?.has(tool.name));
      if (fresh.length > 0) {
        const server = approveTools(firstSeen, { identity, serverName: "", tools: fresh }).servers.get(identity);
        if (server) firstSeen.servers.set(identity, server);
      }
      const againstFirst = checkTools(identity, unapproved, firstSeen);
      let next = 0;
      return checks.map((check) => (trustable(check) ? (againstFirst[next++] ?? check) : check));
    },
    replacePins(next) {
      pins = next;
      for (const [identity, server] of firstSeen.servers) {
        const pinned = next.servers.get(identity)?.tools;
        for (const name of [...server.tools.keys()]) if (pinned?.has(name)) server.tools.delete(name);
      }
    },
  };
}
