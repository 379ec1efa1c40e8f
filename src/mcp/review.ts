/**
 * What agents may see of what the servers offer, decided each time a server lists its tools,
 * prompts and resources (at start and on every `list_changed`): a tool that changed since it was
 * approved (rug pull), a tool never approved when the policy waits for approval, a definition
 * that carries instructions to the model (poisoning), and a tool name two servers offer
 * (shadowing) are withheld under `enforce` and reported under `monitor`. Every such decision is
 * one alert, raised once per definition, not once per listing.
 */
import { statSync } from "node:fs";
import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { InjectionDetector } from "../detect/index.js";
import type { CompiledPolicy } from "../policy/index.js";
import type { McpAlert } from "./audit.js";
import type { McpUpstreamConfig } from "./config.js";
import { readPins } from "./pin-file.js";
import { createPinState, emptyPins, type Pins, serverIdentity, toolHash } from "./pinning.js";
import { checkPoisoning } from "./poisoning.js";
import { findShadowing } from "./shadowing.js";
import type { Upstream } from "./upstream.js";

export type ItemKind = "tool" | "prompt" | "resource";

export interface ToolReview {
  /** Why an item is withheld from agents, if it is. */
  hidden(kind: ItemKind, server: string, name: string): string | undefined;
  /** Review the connected upstreams' lists (after one listed again, connected or went away). */
  review(upstreams: readonly Upstream[]): void;
}

export interface ToolReviewOptions {
  policy: () => CompiledPolicy;
  servers: Readonly<Record<string, McpUpstreamConfig>>;
  /** The approved pins (`mcp.pins`); read again when the file changes (after `mcp approve`). */
  pinsFile: string;
  injection: Pick<InjectionDetector, "detect">;
  alert: (alert: McpAlert) => void;
}

export function createToolReview(options: ToolReviewOptions): ToolReview {
  const pinsStamp = () => {
    try {
      return statSync(options.pinsFile).mtimeMs;
    } catch {
      return 0;
    }
  };
  let stamp = pinsStamp();
  const load = (): Pins => (stamp === 0 ? emptyPins() : readPins(options.pinsFile));
  let unapproved = options.policy().runtime.mcp.pinning.unapproved;
  let state = createPinState({ pins: load(), unapproved });
  let seen: readonly Upstream[] = [];
  let reviewedUnder: CompiledPolicy | undefined;
  let checkedAt = 0;
  /** `kind\0server\0name` → why it is withheld. */
  let withheld = new Map<string, string>();
  const raised = new Set<string>();
  const key = (kind: ItemKind, server: string, name: string) => `${kind}\u0000${server}\u0000${name}`;

  const raise = (alert: McpAlert, fingerprint: string) => {
    const id = `${alert.rule}\u0000${alert.server}\u0000${alert.target}\u0000${fingerprint}`;
    if (raised.has(id)) return;
    if (raised.size > 10_000) raised.clear();
    raised.add(id);
    options.alert(alert);
  };

  /** The pin file changed (or the policy's stance on unapproved tools): start over from it. */
  const refreshPins = () => {
    const now = pinsStamp();
    const policyUnapproved = options.policy().runtime.mcp.pinning.unapproved;
    if (now === stamp && policyUnapproved === unapproved) return false;
    stamp = now;
    unapproved = policyUnapproved;
    state = createPinState({ pins: load(), unapproved });
    return true;
  };

  function reviewAll(): void {
    const policy = options.policy();
    reviewedUnder = policy;
    const runtime = policy.runtime;
    const next = new Map<string, string>();
    const upstreams = seen;
    const act = (mode: "enforce" | "monitor" | "off", kind: ItemKind, server: string, name: string, why: string) => {
      if (mode === "enforce" && !next.has(key(kind, server, name))) next.set(key(kind, server, name), why);
    };
    const allTools = upstreams.flatMap((u) => u.lists.tools.map((t) => `${u.name}.${t.name}`));

    for (const upstream of upstreams) {
      const config = options.servers[upstream.name];
      const identity = config ? serverIdentity(config) : `name:${upstream.name}`;
      const pinning = runtime.mcp.pinning;
      if (pinning.mode !== "off") {
        for (const check of state.check(identity, upstream.lists.tools)) {
          if (check.status === "changed") {
            const why = "its definition changed since it was approved (palisade mcp approve shows the diff)";
            act(pinning.mode, "tool", upstream.name, check.tool, why);
            raise(
              {
                rule: "mcp.tool-changed",
                server: upstream.name,
                target: check.tool,
                message: `tool ${upstream.name}.${check.tool} changed since it was approved`,
                action: pinning.mode === "enforce" ? "hidden" : "reported",
                ...(check.diff ? { detail: { diff: check.diff } } : {}),
              },
              check.hash ?? "",
            );
          } else if (check.status === "unapproved" && pinning.unapproved === "hide") {
            act(pinning.mode, "tool", upstream.name, check.tool, "it has not been approved (palisade mcp approve)");
            raise(
              {
                rule: "mcp.tool-unapproved",
                server: upstream.name,
                target: check.tool,
                message: `tool ${upstream.name}.${check.tool} is not approved`,
                action: pinning.mode === "enforce" ? "hidden" : "reported",
              },
              check.hash ?? "",
            );
          }
        }
      }

      const poisoning = runtime.mcp.poisoning;
      if (poisoning.mode !== "off") {
        const others = allTools.filter((t) => !t.startsWith(`${upstream.name}.`));
        const items: [ItemKind, string, Tool | Prompt | Resource | ResourceTemplate][] = [
          ...upstream.lists.tools.map((t) => ["tool", t.name, t] as [ItemKind, string, Tool]),
          ...upstream.lists.prompts.map((p) => ["prompt", p.name, p] as [ItemKind, string, Prompt]),
          ...upstream.lists.resources.map((r) => ["resource", r.uri, r] as [ItemKind, string, Resource]),
          ...upstream.lists.resourceTemplates.map(
            (r) => ["resource", r.uriTemplate, r] as [ItemKind, string, ResourceTemplate],
          ),
        ];
        for (const [kind, name, definition] of items) {
          const findings = checkPoisoning(definition, {
            injection: options.injection,
            threshold: runtime.injection.document.threshold,
            maxDescriptionChars: poisoning.maxDescriptionChars,
            otherTools: others,
          });
          if (findings.length === 0) continue;
          const rules = [...new Set(findings.map((f) => f.ruleId))];
          act(poisoning.mode, kind, upstream.name, name, `its definition looks poisoned (${rules.join(", ")})`);
          raise(
            {
              rule: rules[0] as string,
              server: upstream.name,
              target: name,
              message: `${kind} ${upstream.name}.${name}: ${findings[0]?.message}`,
              action: poisoning.mode === "enforce" ? "hidden" : "reported",
              detail: { findings: findings.map((f) => ({ rule: f.ruleId, path: f.path, message: f.message })) },
            },
            kind === "tool" ? toolHash(definition as Tool) : JSON.stringify(definition).slice(0, 4096),
          );
        }
      }
    }

    // Shadowing: a tool name two servers offer. The one approved in the pin file, else the one
    // of the server listed first in the configuration, keeps it; the others are withheld.
    if (runtime.mcp.shadowing !== "off") {
      const order = Object.keys(options.servers);
      const byServer = new Map(
        [...upstreams]
          .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
          .map((u) => [u.name, u.lists.tools]),
      );
      for (const collision of findShadowing(byServer)) {
        const approved = collision.tools.filter(({ server, tool }) => {
          const config = options.servers[server];
          const status = config
            ? state.check(serverIdentity(config), byServer.get(server)?.filter((t) => t.name === tool) ?? [])
            : [];
          return status[0]?.status === "approved";
        });
        const keeper = approved[0] ?? collision.tools[0];
        for (const { server, tool } of collision.tools) {
          if (server === keeper?.server && tool === keeper.tool) continue;
          const why = `${keeper?.server}.${keeper?.tool} already offers a tool of this name (shadowing)`;
          act(runtime.mcp.shadowing, "tool", server, tool, why);
          raise(
            {
              rule: "mcp.shadowing",
              server,
              target: tool,
              message: `tool ${server}.${tool} shadows ${keeper?.server}.${keeper?.tool}`,
              action: runtime.mcp.shadowing === "enforce" ? "hidden" : "reported",
            },
            collision.key,
          );
        }
      }
    }
    withheld = next;
  }

  return {
    hidden(kind, server, name) {
      // A new pin file (after `mcp approve`) or a reloaded policy changes what is withheld; the
      // file is looked at no more than once a second, however many items a listing has.
      const now = Date.now();
      if (now - checkedAt >= 1000) {
        checkedAt = now;
        if (refreshPins() || reviewedUnder !== options.policy()) reviewAll();
      }
      return withheld.get(key(kind, server, name));
    },
    review(upstreams) {
      seen = [...upstreams];
      refreshPins();
      reviewAll();
    },
  };
}
