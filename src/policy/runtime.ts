/**
 * Runtime rules over a request: which roles the caller holds, and whether they allow the model,
 * the tools, max_tokens and the use case. A max_tokens above the roles' cap is not refused: the
 * gateway lowers it to the cap, and the rule reports that as a warning, so `policy eval` and the
 * gateway give one answer. Compiled into maps and matchers so one decision costs a few microseconds.
 */
import { compileGlobs, type Matcher } from "./glob.js";
import type { RequestInput } from "./input.js";
import type { Limits, McpArgumentRule, Role, RuntimePolicy } from "./schema.js";
import type { Violation } from "./verdict.js";

interface CompiledRole {
  role: Role;
  source: string;
  holds: Matcher;
  models: Matcher;
  tools: Matcher;
  mcp?: { servers: Matcher; tools: Matcher; arguments: { tool: Matcher; rule: McpArgumentRule }[] };
}

/** What a caller may do through the MCP gateway (union of its roles' `mcp` sections). */
export interface McpEffectiveAccess {
  /** Whether the caller may see this server at all (its tools, prompts, resources). */
  server(name: string): boolean;
  /** Whether the caller may call this namespaced tool (`server.tool`). */
  tool(name: string): boolean;
  /** The argument constraints of the roles that allow this tool (each must hold). */
  argumentRules(tool: string): McpArgumentRule[];
  /** The most generous call rate among the roles that set one (undefined: none set). */
  callsPerMinute: number | undefined;
}

/** What a caller may do, resolved from all the roles it holds. */
export interface EffectiveAccess {
  roles: string[];
  /** The highest cap among the roles (undefined: no cap). */
  maxTokens: number | undefined;
  /** Limits of the first matching role that sets each one. */
  limits: Limits;
  /** Whether any of the roles allows this tool (for tool calls in answers). */
  allowsTool(tool: string): boolean;
  mcp: McpEffectiveAccess;
}

export interface CompiledRuntime {
  check(input: RequestInput): Violation[];
  access(identity: { id: string; roles: readonly string[] }): EffectiveAccess;
}

const CACHE_SIZE = 4096;

export function compileRuntime(policy: RuntimePolicy | undefined, at: (path: string) => string): CompiledRuntime {
  const roles: CompiledRole[] = (policy?.roles ?? []).map((role, i) => ({
    role,
    source: at(`runtime.roles.${i}`),
    holds: compileGlobs(role.identities),
    models: compileGlobs(role.models),
    tools: compileGlobs(role.tools),
    ...(role.mcp
      ? {
          mcp: {
            servers: compileGlobs(role.mcp.servers),
            tools: compileGlobs(role.mcp.tools),
            arguments: role.mcp.arguments.map((rule) => ({ tool: compileGlobs([rule.tool]), rule })),
          },
        }
      : {}),
  }));
  const byName = new Map(roles.map((r) => [r.role.name, r]));
  const fallback = policy?.defaultRole ? byName.get(policy.defaultRole) : undefined;
  const runtimeSource = at("runtime");
  // Identity → roles is the same for every request of a caller: cache it (bounded).
  const cache = new Map<string, CompiledRole[]>();

  function rolesOf(identity: { id: string; roles: readonly string[] }): CompiledRole[] {
    const key = identity.roles.length === 0 ? identity.id : `${identity.id}\u0000${identity.roles.join("\u0000")}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const held = roles.filter((r) => identity.roles.includes(r.role.name) || r.holds(identity.id));
    const result = held.length > 0 ? held : fallback ? [fallback] : [];
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, result);
    return result;
  }

  return {
    access(identity) {
      const held = rolesOf(identity);
      const caps = held.map((r) => r.role.maxTokens);
      const limits: Limits = {};
      for (const r of held) {
        for (const [k, v] of Object.entries(r.role.limits) as [keyof Limits, number | undefined][]) {
          if (v !== undefined && limits[k] === undefined) limits[k] = v;
        }
      }
      const mcpRoles = held.flatMap((r) => (r.mcp ? [r.mcp] : []));
      // A tool is allowed by a role that allows both its server and it; that role's argument
      // rules then apply (a second role allowing the same tool with no rules does not lift them:
      // constraints are what the policy author wrote for that tool, so all of them hold).
      const allowing = (tool: string) => {
        const server = tool.split(".", 1)[0] ?? "";
        return mcpRoles.filter((m) => m.servers(server) && m.tools(tool));
      };
      const rates = held.flatMap((r) => (r.role.mcp?.callsPerMinute ? [r.role.mcp.callsPerMinute] : []));
      return {
        mcp: {
          server: (name) => mcpRoles.some((m) => m.servers(name)),
          tool: (name) => allowing(name).length > 0,
          argumentRules: (tool) =>
            allowing(tool).flatMap((m) => m.arguments.filter((a) => a.tool(tool)).map((a) => a.rule)),
          callsPerMinute: rates.length > 0 ? Math.max(...rates) : undefined,
        },
        allowsTool: (tool: string) => held.some((r) => r.tools(tool)),
        roles: held.map((r) => r.role.name),
        maxTokens: caps.includes(undefined) || caps.length === 0 ? undefined : Math.max(...(caps as number[])),
        limits,
      };
    },

    check(input) {
      const held = rolesOf(input.identity);
      const target = input.identity.id;
      if (held.length === 0) {
        return [
          {
            ruleId: "runtime.no-role",
            action: "deny",
            source: runtimeSource,
            target,
            message: `${target} holds no role`,
          },
        ];
      }
      const out: Violation[] = [];
      const first = held[0] as CompiledRole;
      if (!held.some((r) => r.models(input.model))) {
        out.push({
          ruleId: "runtime.model-not-allowed",
          action: "deny",
          source: first.source,
          target,
          message: `model ${input.model} is not allowed for role ${held.map((r) => r.role.name).join(", ")}`,
        });
      }
      for (const tool of input.tools) {
        if (!held.some((r) => r.tools(tool))) {
          out.push({
            ruleId: "runtime.tool-not-allowed",
            action: "deny",
            source: first.source,
            target,
            message: `tool ${tool} is not allowed`,
          });
        }
      }
      if (input.maxTokens !== undefined) {
        const caps = held.map((r) => r.role.maxTokens);
        if (!caps.includes(undefined)) {
          const cap = Math.max(...(caps as number[]));
          // The gateway lowers max_tokens to the cap and forwards the request: say so, never deny.
          if (input.maxTokens > cap) {
            out.push({
              ruleId: "runtime.max-tokens",
              action: "warn",
              source: first.source,
              target,
              message: `max_tokens ${input.maxTokens} lowered to the role's cap ${cap}`,
            });
          }
        }
      }
      if (
        input.useCase !== undefined &&
        !held.some((r) => r.role.useCases.length === 0 || r.role.useCases.includes(input.useCase as string))
      ) {
        out.push({
          ruleId: "runtime.use-case-not-allowed",
          action: "deny",
          source: first.source,
          target,
          message: `use case ${input.useCase} is not allowed`,
        });
      }
      return out;
    },
  };
}
