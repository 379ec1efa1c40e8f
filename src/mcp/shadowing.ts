/**
 * Tool shadowing across servers: two servers offering a tool the model would take for the same
 * one (`read_file` and `Read_File`, or a look-alike with a zero-width space or a Cyrillic letter),
 * so one server can stand in for, or redefine, another's tool.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { toNameKey } from "./unicode.js";

/** One tool name offered by more than one server. */
export interface ShadowedName {
  /** The name both reduce to (see toNameKey). */
  key: string;
  /** Every server's tool that reduces to it, by server then name. */
  tools: { server: string; tool: string }[];
}

/** Tool names (bare, without the proxy's `server.` prefix) that more than one server offers. */
export function findShadowing(toolsByServer: ReadonlyMap<string, readonly Pick<Tool, "name">[]>): ShadowedName[] {
  const byKey = new Map<string, { server: string; tool: string }[]>();
  for (const [server, tools] of toolsByServer)
    for (const { name } of tools) {
      const key = toNameKey(name);
      const entry = byKey.get(key) ?? [];
      if (!entry.some((e) => e.server === server && e.tool === name)) entry.push({ server, tool: name });
      byKey.set(key, entry);
    }
  const out: ShadowedName[] = [];
  for (const [key, tools] of byKey) {
    if (new Set(tools.map((t) => t.server)).size < 2) continue;
    tools.sort((a, b) => compare(a.server, b.server) || compare(a.tool, b.tool));
    out.push({ key, tools });
  }
  return out.sort((a, b) => compare(a.key, b.key));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
