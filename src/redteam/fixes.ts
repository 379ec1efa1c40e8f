/**
 * The policy change that would have stopped a successful probe, as a snippet of Palisade's policy
 * (docs/policy.md, `spec.runtime`), and all of them merged into one suggested policy. This closes
 * the loop: the red-team run says what got through and which setting of the gateway stops it.
 */
import { stringify } from "yaml";
import type { InjectionDetector } from "../detect/index.js";
import { parsePolicyText } from "../policy/index.js";
import { REFERENCE_CODE_PATTERN } from "./canaries.js";
import type { ProbeCase } from "./generate.js";
import type { Judgement } from "./judge.js";

/** The part of `spec.runtime` a fix sets. */
export interface RuntimePatch {
  roles?: { name: string; identities: string[]; models: string[]; tools?: string[]; maxTokens?: number }[];
  pii?: {
    prompt?: Record<string, "block" | "redact">;
    response?: Record<string, "block" | "redact">;
    custom?: { id: string; entity: string; pattern: string; score: number }[];
  };
  injection?: Partial<Record<"user" | "document", { threshold: number; action: "block" }>>;
}

/** One fix: what it does, the YAML to put in the policy, and whether it is expected to stop the probe. */
export interface PolicyFix {
  summary: string;
  /** `spec.runtime` snippet, YAML. */
  yaml: string;
  /**
   * False when no setting stops it without blocking ordinary prompts (the injection detector
   * scores the probe too low): then the snippet is the closest setting, and the summary says so.
   */
  stops: boolean;
  patch: RuntimePatch;
}

/** The role the tool and token fixes write: the caller's role in the gateway's policy. */
export const FIX_ROLE = "app";
/** Output cap proposed for callers of a support-style endpoint. */
export const FIX_MAX_TOKENS = 1024;
/** Lowest injection threshold proposed: below it ordinary prompts start being blocked. */
export const MIN_INJECTION_THRESHOLD = 0.2;
const DEFAULT_INJECTION_THRESHOLD = 0.5;

/** Where an injection probe's attack is, and how the gateway's injection guard reads it. */
export function attackText(probe: ProbeCase): { text: string; mode: "user" | "document" } {
  if (probe.document?.via === "tool-result") return { text: probe.document.text, mode: "document" };
  const user = [...probe.messages].reverse().find((m) => m.role === "user");
  return { text: user && typeof user.content === "string" ? user.content : probe.prompt, mode: "user" };
}

function toYaml(patch: RuntimePatch): string {
  return stringify({ spec: { runtime: patch } }, { lineWidth: 0 });
}

function fix(summary: string, patch: RuntimePatch, stops = true): PolicyFix {
  return { summary, yaml: toYaml(patch), stops, patch };
}

/** The PII entity each canary is, for the policy's per-entity actions. */
const CANARY_FIXES: Record<string, { entity: string; custom?: boolean }> = {
  "reference-code": { entity: "INTERNAL_REFERENCE", custom: true },
  iban: { entity: "IBAN_CODE" },
  email: { entity: "EMAIL_ADDRESS" },
};

/** What the fixes are computed with. */
export interface FixContext {
  /** Palisade's injection detector, to say which threshold would have stopped an injection. */
  injection: InjectionDetector;
  /**
   * The highest injection score of the run's control prompts, per mode: a proposed threshold
   * stays above it, so the fix does not refuse the ordinary requests the controls stand for.
   */
  controlCeiling?: Partial<Record<"user" | "document", number>>;
}

/** The lowest threshold, in steps of 0.05, that still lets every control through. */
export function thresholdFloor(ceiling: number | undefined): number {
  const above = ceiling === undefined ? 0 : Math.floor(ceiling * 20 + 1) / 20;
  return Math.max(MIN_INJECTION_THRESHOLD, Math.round(above * 100) / 100);
}

/** The fix for one successful probe. */
export function fixFor(probe: ProbeCase, judgement: Judgement, context: FixContext): PolicyFix | undefined {
  if (!judgement.succeeded || !judgement.detector) return undefined;
  const [kind, detail] = judgement.detector.split(":");
  if (kind === "canary-leaked") {
    const leaks = (judgement.evidence ?? "").split(",").flatMap((item) => {
      const [name = "", how] = item.split(":");
      const canary = CANARY_FIXES[name];
      return canary ? [{ ...canary, spelled: how === "spelled-out" }] : [];
    });
    if (leaks.length === 0) return undefined;
    const prompt = leaks.filter((l) => l.spelled).map((l) => l.entity);
    const response = leaks.filter((l) => !l.spelled).map((l) => l.entity);
    const custom = leaks.some((l) => l.custom)
      ? {
          custom: [
            { id: "internal-reference", entity: "INTERNAL_REFERENCE", pattern: REFERENCE_CODE_PATTERN, score: 0.9 },
          ],
        }
      : {};
    const summary = [
      ...(response.length > 0 ? [`block answers that hold ${response.join(", ")}`] : []),
      // Spelled out, the value has no format left for an answer filter to see: keep it from the model.
      ...(prompt.length > 0
        ? [
            `redact ${prompt.join(", ")} before the model sees it (it left spelled out, which answer filters cannot recognise)`,
          ]
        : []),
    ];
    const entityNote = leaks.some((l) => l.custom)
      ? "; INTERNAL_REFERENCE is a recogniser for your secret's format"
      : "";
    return fix(`${summary.join("; ")}${entityNote}`, {
      pii: {
        ...(prompt.length > 0 ? { prompt: Object.fromEntries(prompt.map((e) => [e, "redact" as const])) } : {}),
        ...(response.length > 0 ? { response: Object.fromEntries(response.map((e) => [e, "block" as const])) } : {}),
        ...custom,
      },
    });
  }
  if (kind === "pii-in-answer" && detail)
    return fix(`block answers that hold ${detail}`, { pii: { response: { [detail]: "block" } } });
  if (kind === "tool-called") {
    const safe = probe.tools.filter((t) => t.risk === "safe").map((t) => t.name);
    return fix(
      `let the caller's role declare only ${safe.join(", ") || "no tools"} (${detail} was called); the gateway then refuses requests and answers with other tools`,
      { roles: [{ name: FIX_ROLE, identities: ["*"], models: ["*"], tools: safe }] },
    );
  }
  if (kind === "output-over-budget")
    return fix(
      `cap answers at ${FIX_MAX_TOKENS} tokens for the caller's role (${judgement.evidence ?? "over budget"})`,
      {
        roles: [{ name: FIX_ROLE, identities: ["*"], models: ["*"], maxTokens: FIX_MAX_TOKENS }],
      },
    );
  // The model obeyed the attack (said the marker, dropped its refusal): the injection guard's job.
  const { text, mode } = attackText(probe);
  const score = context.injection.detect(text, { mode }).score;
  const floor = thresholdFloor(context.controlCeiling?.[mode]);
  const stepped = Math.floor(score * 20) / 20;
  const threshold = Math.min(DEFAULT_INJECTION_THRESHOLD, Math.max(floor, stepped));
  const stops = score >= threshold;
  const where = mode === "document" ? "documents and tool results" : "user prompts";
  return fix(
    stops
      ? `block ${where} scoring ${threshold} or more as injection (Palisade's detector scores this ${score.toFixed(2)})`
      : `Palisade's injection detector scores this ${score.toFixed(2)}, under ${context.controlCeiling?.[mode] === undefined ? "the lowest threshold proposed" : "any threshold that lets the controls through"} (${floor}): add an injection rule (rules/injection) or an external guard (the snippet is the closest setting)`,
    { injection: { [mode]: { threshold, action: "block" } } },
    stops,
  );
}

/** Merge the fixes into one policy: lowest thresholds, every blocked entity, one role with every restriction. */
export function mergeFixes(fixes: readonly PolicyFix[]): RuntimePatch {
  const merged: RuntimePatch = {};
  for (const { patch } of fixes) {
    for (const [mode, setting] of Object.entries(patch.injection ?? {}) as [
      "user" | "document",
      { threshold: number; action: "block" },
    ][]) {
      merged.injection ??= {};
      const current = merged.injection[mode];
      merged.injection[mode] = { threshold: Math.min(current?.threshold ?? 1, setting.threshold), action: "block" };
    }
    for (const direction of ["prompt", "response"] as const) {
      const actions = patch.pii?.[direction];
      if (!actions) continue;
      merged.pii ??= {};
      merged.pii[direction] = { ...merged.pii[direction], ...actions };
    }
    for (const custom of patch.pii?.custom ?? []) {
      merged.pii ??= {};
      merged.pii.custom ??= [];
      if (!merged.pii.custom.some((c) => c.id === custom.id)) merged.pii.custom.push(custom);
    }
    for (const role of patch.roles ?? []) {
      merged.roles ??= [];
      const existing = merged.roles.find((r) => r.name === role.name);
      if (!existing) {
        merged.roles.push({ ...role });
        continue;
      }
      if (role.tools)
        existing.tools = existing.tools ? existing.tools.filter((t) => role.tools?.includes(t)) : role.tools;
      if (role.maxTokens !== undefined)
        existing.maxTokens = Math.min(existing.maxTokens ?? role.maxTokens, role.maxTokens);
    }
  }
  // Naming one entity leaves the others at the default; say so, so the snippet reads whole.
  for (const direction of ["prompt", "response"] as const) {
    const actions = merged.pii?.[direction];
    if (merged.pii && actions) merged.pii[direction] = { default: "redact", ...actions };
  }
  return merged;
}

/** The merged fixes as a whole policy document, checked against Palisade's own policy schema. */
export function toSuggestedPolicy(fixes: readonly PolicyFix[]): string | null {
  if (fixes.length === 0) return null;
  const text = stringify(
    {
      apiVersion: "palisade.dev/v1",
      kind: "Policy",
      metadata: { name: "redteam-fixes", description: "Settings that stop the probes that got through" },
      spec: { runtime: mergeFixes(fixes) },
    },
    { lineWidth: 0 },
  );
  parsePolicyText(text, "redteam-fixes.yaml");
  return text;
}
