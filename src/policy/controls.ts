/**
 * The security controls a policy turns on, each with whether it is on and why: what the
 * compliance view maps OWASP LLM Top 10 risks and MITRE ATLAS techniques to. A control is on
 * when the policy makes Palisade act (enforce) or at least report (monitor); `allow` everywhere
 * or `off` is off.
 */
import { defaultRuntime, type PolicySpec, type RuntimePolicy } from "./schema.js";

export const CONTROL_STATES = ["enforce", "monitor", "off"] as const;
export type ControlState = (typeof CONTROL_STATES)[number];

export interface Control {
  id: string;
  name: string;
  state: ControlState;
  /** The policy setting that decides it, for the reader who wants to change it. */
  setting: string;
}

const acts = (action: string | undefined) => action !== undefined && action !== "allow";
const anyActs = (actions: Record<string, string>) => Object.values(actions).some(acts);

/** `off` mode switches every content guard off; `monitor` reports what enforce would do. */
function guardState(runtime: RuntimePolicy, on: boolean): ControlState {
  if (!on || runtime.guards.mode === "off") return "off";
  return runtime.guards.mode === "monitor" ? "monitor" : "enforce";
}

const modeState = (mode: "enforce" | "monitor" | "off"): ControlState => mode;

const present = (value: unknown): ControlState => (value ? "enforce" : "off");

/** A supply-chain action: `deny` enforces, `warn` reports, anything else lets it through. */
const actionState = (action: string | undefined): ControlState =>
  action === "deny" ? "enforce" : action === "warn" ? "monitor" : "off";

export const CONTROL_IDS = [
  "guard.injection",
  "guard.injection-documents",
  "guard.injection-system",
  "guard.pii-prompt",
  "guard.pii-response",
  "guard.secrets",
  "guard.system-prompt-leak",
  "guard.unknown-fields",
  "access.model-rights",
  "access.token-limits",
  "mcp.tool-rights",
  "mcp.pinning",
  "mcp.poisoning",
  "mcp.shadowing",
  "mcp.argument-exfiltration",
  "logging.redacted-prompts",
  "supply-chain.approved-models",
  "supply-chain.approved-mcp-servers",
  "supply-chain.vulnerabilities",
  "supply-chain.registries",
  "kubernetes.admission",
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

export function controlsOf(spec: PolicySpec): Control[] {
  const runtime = spec.runtime ?? defaultRuntime();
  const roles = runtime.roles;
  const supply = spec.supplyChain;
  const controls: Record<ControlId, Omit<Control, "id">> = {
    "guard.injection": {
      name: "Prompt-injection guard on user prompts",
      state: guardState(runtime, acts(runtime.injection.user.action)),
      setting: "runtime.injection.user.action",
    },
    "guard.injection-documents": {
      name: "Injection guard on documents and tool results",
      state: guardState(runtime, acts(runtime.injection.document.action) || acts(runtime.mcp.results.injection)),
      setting: "runtime.injection.document.action, runtime.mcp.results.injection",
    },
    "guard.injection-system": {
      name: "Injection guard on system and developer text",
      state: guardState(runtime, acts(runtime.injection.system.action)),
      setting: "runtime.injection.system.action",
    },
    "guard.pii-prompt": {
      name: "PII guard on prompts",
      state: guardState(runtime, anyActs(runtime.pii.prompt)),
      setting: "runtime.pii.prompt",
    },
    "guard.pii-response": {
      name: "PII guard on model answers",
      state: guardState(runtime, anyActs(runtime.pii.response)),
      setting: "runtime.pii.response",
    },
    "guard.secrets": {
      name: "Secret guard on prompts and answers",
      state: guardState(runtime, acts(runtime.secrets.prompt) || acts(runtime.secrets.response)),
      setting: "runtime.secrets",
    },
    "guard.system-prompt-leak": {
      name: "System-prompt leak detection",
      state: guardState(runtime, runtime.systemPrompts.length > 0),
      setting: "runtime.systemPrompts",
    },
    "guard.unknown-fields": {
      name: "Unknown text fields guarded or refused",
      state: guardState(runtime, true),
      setting: "runtime.guards.unknownFields",
    },
    "access.model-rights": {
      name: "Models allowed per role",
      state: present(roles.length > 0),
      setting: "runtime.roles[].models",
    },
    "access.token-limits": {
      name: "Token budgets, rate limits and max_tokens caps",
      state: present(roles.some((r) => r.maxTokens !== undefined || Object.keys(r.limits).length > 0)),
      setting: "runtime.roles[].limits, runtime.roles[].maxTokens",
    },
    "mcp.tool-rights": {
      name: "MCP tools and arguments allowed per role",
      state: present(roles.some((r) => r.mcp !== undefined)),
      setting: "runtime.roles[].mcp",
    },
    "mcp.pinning": {
      name: "MCP tool definitions pinned (rug-pull detection)",
      state: modeState(runtime.mcp.pinning.mode),
      setting: "runtime.mcp.pinning.mode",
    },
    "mcp.poisoning": {
      name: "MCP tool-description poisoning checks",
      state: modeState(runtime.mcp.poisoning.mode),
      setting: "runtime.mcp.poisoning.mode",
    },
    "mcp.shadowing": {
      name: "MCP tool shadowing across servers",
      state: modeState(runtime.mcp.shadowing),
      setting: "runtime.mcp.shadowing",
    },
    "mcp.argument-exfiltration": {
      name: "Secrets and PII in MCP tool arguments",
      state: guardState(runtime, acts(runtime.mcp.arguments.secrets) || anyActs(runtime.mcp.arguments.pii)),
      setting: "runtime.mcp.arguments",
    },
    "logging.redacted-prompts": {
      name: "Prompts logged redacted or hashed, never raw",
      state: present(runtime.logging.prompts !== "raw"),
      setting: "runtime.logging.prompts",
    },
    "supply-chain.approved-models": {
      name: "Only approved models",
      state: present(supply?.models),
      setting: "supplyChain.models",
    },
    "supply-chain.approved-mcp-servers": {
      name: "Only approved MCP servers",
      state: present(supply?.mcpServers),
      setting: "supplyChain.mcpServers",
    },
    "supply-chain.vulnerabilities": {
      name: "Vulnerability gate on images and packages",
      state: actionState(supply?.vulnerabilities?.action),
      setting: "supplyChain.vulnerabilities",
    },
    "supply-chain.registries": {
      name: "Images only from allowed registries",
      state: present(supply?.registries),
      setting: "supplyChain.registries",
    },
    "kubernetes.admission": {
      name: "Kubernetes admission checks for AI workloads",
      state: present(spec.kubernetes),
      setting: "kubernetes",
    },
  };
  return CONTROL_IDS.map((id) => ({ id, ...controls[id] }));
}
