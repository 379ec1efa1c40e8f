/**
 * What `palisade mcp approve` decides, apart from connecting and printing: for each tool the
 * servers list now, whether it is already approved, approved now, or refused (poisoned, or
 * shadowing another server's tool), and the pins that result. Pure: tools and pins in, a plan out.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { approveTools, checkTools, type Pins, type ToolStatus } from "./pinning.js";
import { checkPoisoning, type PoisoningFinding, type PoisoningOptions } from "./poisoning.js";
import { findShadowing } from "./shadowing.js";
import { toNameKey } from "./unicode.js";

/** One connected server and what it lists. */
export interface ListedServer {
  name: string;
  /** serverIdentity of its config. */
  identity: string;
  tools: readonly Tool[];
}

/** What happens to one tool: nothing to do, approved (or would be, in a dry run), or refused. */
export type ApprovalAction = "unchanged" | "approve" | "forget" | "refuse" | "skip";

export interface ToolDecision {
  server: string;
  tool: string;
  status: ToolStatus;
  action: ApprovalAction;
  /** Why a tool is refused, or skipped. */
  reason?: string;
  /** For `changed`: the diff against the approved definition. */
  diff?: string;
  /** For new and changed tools: the description, cut short, so a reviewer sees what is approved. */
  summary?: string;
  findings: PoisoningFinding[];
  /** Tools of other servers this one collides with (`server.tool`). */
  shadows: string[];
}

export interface ApprovalPlan {
  decisions: ToolDecision[];
  /** The pins after every `approve` and `forget`. */
  pins: Pins;
  /** True when the pins differ from the ones given. */
  changed: boolean;
}

export interface PlanOptions {
  servers: readonly ListedServer[];
  pins: Pins;
  /** Approve only these servers (by name); all when absent. */
  onlyServers?: readonly string[];
  /** Approve only these tools (bare names); all when absent. */
  onlyTools?: readonly string[];
  /** Approve poisoned tools anyway (a shadowing collision is still refused). */
  force: boolean;
  poisoning: Omit<PoisoningOptions, "otherTools">;
  now?: Date;
}

const SUMMARY_CHARS = 160;

/** Decide, tool by tool, what approving changes. */
export function planApproval(options: PlanOptions): ApprovalPlan {
  const shadowing = findShadowing(new Map(options.servers.map((s) => [s.name, s.tools])));
  const shadowsOf = new Map<string, string[]>();
  for (const { tools } of shadowing)
    for (const t of tools)
      shadowsOf.set(
        `${t.server}\u0000${t.tool}`,
        tools.filter((o) => o.server !== t.server).map((o) => `${o.server}.${o.tool}`),
      );
  const decisions: ToolDecision[] = [];
  let pins = options.pins;
  for (const server of options.servers) {
    const selected = !options.onlyServers || options.onlyServers.includes(server.name);
    const own = new Set(server.tools.map((t) => toNameKey(t.name)));
    const otherTools = options.servers
      .filter((s) => s.name !== server.name)
      .flatMap((s) => s.tools.map((t) => t.name))
      .filter((name) => !own.has(toNameKey(name)));
    const checks = checkTools(server.identity, server.tools, options.pins);
    const toApprove: Tool[] = [];
    const toForget: string[] = [];
    checks.forEach((check, i) => {
      const tool = server.tools[i];
      const wanted = selected && (!options.onlyTools || options.onlyTools.includes(check.tool));
      const decision: ToolDecision = {
        server: server.name,
        tool: check.tool,
        status: check.status,
        action: "unchanged",
        findings: [],
        shadows: shadowsOf.get(`${server.name}\u0000${check.tool}`) ?? [],
        ...(check.diff ? { diff: check.diff } : {}),
      };
      decisions.push(decision);
      if (check.status === "removed") {
        if (wanted) {
          decision.action = "forget";
          toForget.push(check.tool);
        }
        return;
      }
      if (!tool) return;
      decision.findings = checkPoisoning(tool, { ...options.poisoning, otherTools });
      if (check.status === "approved") return;
      if (tool.description) decision.summary = summarise(tool.description);
      if (!wanted) {
        decision.action = "skip";
        decision.reason = "not selected (--server/--tool)";
      } else if (!check.hash) {
        decision.action = "refuse";
        decision.reason = check.diff ?? "cannot be pinned";
      } else if (decision.shadows.length > 0) {
        decision.action = "refuse";
        decision.reason = `shadows ${decision.shadows.join(", ")}`;
      } else if (decision.findings.length > 0 && !options.force) {
        decision.action = "refuse";
        decision.reason = `poisoning: ${[...new Set(decision.findings.map((f) => f.ruleId))].join(", ")} (--force approves it anyway)`;
      } else {
        decision.action = "approve";
        toApprove.push(tool);
      }
    });
    if (toApprove.length > 0 || toForget.length > 0)
      pins = approveTools(pins, {
        identity: server.identity,
        serverName: server.name,
        tools: toApprove,
        remove: toForget,
        ...(options.now ? { now: options.now } : {}),
      });
  }
  return {
    decisions,
    pins,
    changed: decisions.some((d) => d.action === "approve" || d.action === "forget"),
  };
}

function summarise(description: string): string {
  const flat = description.replace(/\s+/g, " ").trim();
  return flat.length > SUMMARY_CHARS ? `${flat.slice(0, SUMMARY_CHARS)}…` : flat;
}
