/**
 * The guards: on the way in, prompt injection on user messages (document mode on tool results),
 * PII and secrets per entity per policy (block / redact / allow), the organisation's system
 * prompt; on the way out, PII and secrets in answers (streamed or not), disallowed tool calls
 * and system-prompt leakage. Every guard is `enforce` or `monitor`; a detector failure is
 * `fail-closed` or `fail-open` per policy. What each guard saw goes into the audit event.
 */
import type { Detection, TextDetector } from "../detect/index.js";
import {
  createIncrementalDetector,
  createPseudonymTable,
  type IncrementalDetector,
  type PseudonymTable,
  type RedactionStyle,
  redact,
} from "../detect/index.js";
import { compileGlobs, type GuardAction, type RuntimePolicy } from "../policy/index.js";
import { GatewayError } from "./errors.js";

export type InjectionMode = "user" | "document";

/** The injection detector as the gateway needs it (adapted from detect/injection at the root). */
export type InjectionScorer = (
  text: string,
  mode: InjectionMode,
) => Promise<{ score: number; signals: { id: string; score: number }[] }>;

export interface GuardDetectors {
  pii: TextDetector;
  secrets: TextDetector;
  /** PII and secrets as one (overlaps resolved across both). */
  sensitive: TextDetector;
  injection?: InjectionScorer;
}

/** What one guard decided about one request, for the audit event. */
export interface GuardVerdict {
  guard: "injection" | "pii" | "secrets" | "tools" | "system-prompt-leak" | "policy" | "limits";
  direction: "prompt" | "response";
  outcome: "pass" | "redacted" | "blocked" | "flagged" | "error";
  /** Entity types, rule ids or signal ids that fired. */
  signals: string[];
  score?: number;
  /** `monitor` mode: what enforce would have done. */
  wouldBe?: "redacted" | "blocked";
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

interface Ctx {
  policy: RuntimePolicy;
  /** HMAC key of the `hash` redaction style (the gateway's one hash key). */
  hashKey: string;
  detectors: GuardDetectors;
  verdicts: GuardVerdict[];
  pseudonyms: PseudonymTable;
}

const isSecret = (d: Detection) => d.detector === "secrets";

/** The action the policy sets for a detection in a direction. */
function actionFor(policy: RuntimePolicy, d: Detection, direction: "prompt" | "response"): GuardAction {
  if (isSecret(d)) return policy.secrets[direction];
  const table = policy.pii[direction];
  return table[d.entity] ?? table.default ?? "redact";
}

/** Apply a piece of text's detections per policy: the redacted text, or a block. */
function judgeText(
  ctx: Ctx,
  text: string,
  detections: readonly Detection[],
  direction: "prompt" | "response",
): { text: string; blocked?: Detection } {
  const enforce = ctx.policy.guards.mode === "enforce";
  const toRedact: Detection[] = [];
  let blocked: Detection | undefined;
  for (const d of detections) {
    const action = actionFor(ctx.policy, d, direction);
    if (action === "block") blocked ??= d;
    else if (action === "redact") toRedact.push(d);
  }
  for (const [guard, filter] of [
    ["pii", (d: Detection) => !isSecret(d)],
    ["secrets", isSecret],
  ] as const) {
    const mine = detections.filter(filter);
    if (mine.length === 0) continue;
    const blocks = mine.some((d) => actionFor(ctx.policy, d, direction) === "block");
    const redacts = mine.some((d) => actionFor(ctx.policy, d, direction) === "redact");
    const would = blocks ? "blocked" : redacts ? "redacted" : undefined;
    ctx.verdicts.push({
      guard,
      direction,
      outcome: enforce ? (would ?? "pass") : would ? "flagged" : "pass",
      signals: [...new Set(mine.map((d) => d.entity))],
      ...(enforce || !would ? {} : { wouldBe: would }),
    });
  }
  if (!enforce) return { text };
  if (blocked) return { text, blocked };
  return { text: toRedact.length === 0 ? text : redactWith(ctx, text, toRedact) };
}

function redactWith(ctx: Ctx, text: string, detections: readonly Detection[]): string {
  const style: RedactionStyle = ctx.policy.pii.redaction.style;
  return redact(text, detections, {
    style,
    keepLast: ctx.policy.pii.redaction.keepLast,
    pseudonyms: ctx.pseudonyms,
    hashKey: ctx.hashKey,
  }).text;
}

/** Text of a message content: a string, or the text parts of a content array. */
export function textParts(content: unknown): { get(): string[]; set(texts: string[]): unknown } {
  if (typeof content === "string") return { get: () => [content], set: ([t]) => t ?? "" };
  if (Array.isArray(content)) {
    const indexes = content.flatMap((part, i) =>
      part &&
      typeof part === "object" &&
      (part as { type?: unknown }).type === "text" &&
      typeof (part as { text?: unknown }).text === "string"
        ? [i]
        : [],
    );
    return {
      get: () => indexes.map((i) => (content[i] as { text: string }).text),
      set: (texts) =>
        content.map((part, i) =>
          indexes.includes(i) ? { ...(part as object), text: texts[indexes.indexOf(i)] ?? "" } : part,
        ),
    };
  }
  return { get: () => [], set: () => content };
}

export interface PromptGuardResult {
  messages: ChatMessage[];
  /** The request must be refused (enforce mode). */
  block?: GatewayError;
}

export interface Guards {
  readonly verdicts: GuardVerdict[];
  readonly pseudonyms: PseudonymTable;
  /** Inspect and rewrite the prompt's messages. */
  inspectPrompt(messages: readonly ChatMessage[], route: string): Promise<PromptGuardResult>;
  /** Inspect a whole (non-streamed) answer text; returns the text to send or a block. */
  inspectAnswer(text: string): { text: string; block?: GatewayError };
  /** A guard for one streamed choice, releasing only text that is safe to send. */
  streamGuard(): AnswerStream;
  checkToolCall(name: string, allowed: (tool: string) => boolean): GatewayError | undefined;
}

export interface AnswerStream {
  push(text: string): { text: string; block?: GatewayError };
  end(): { text: string; block?: GatewayError };
}

export function createGuards(
  policy: RuntimePolicy,
  detectors: GuardDetectors,
  systemPromptTexts: () => string[],
  hashKey: string,
): Guards {
  const ctx: Ctx = { policy, detectors, hashKey, verdicts: [], pseudonyms: createPseudonymTable() };
  const enforce = policy.guards.mode === "enforce";
  const closed = policy.guards.failMode === "closed";
  const leak = createLeakDetector(systemPromptTexts);

  const contentBlock = (what: string) => new GatewayError("content_policy_violation", what);

  return {
    verdicts: ctx.verdicts,
    pseudonyms: ctx.pseudonyms,

    async inspectPrompt(messages, route) {
      const out: ChatMessage[] = [];
      let block: GatewayError | undefined;
      const off = policy.guards.mode === "off";
      for (const message of messages) {
        if (off) {
          out.push(message);
          continue;
        }
        const mode: InjectionMode | undefined =
          message.role === "user"
            ? "user"
            : message.role === "tool" || message.role === "function"
              ? "document"
              : undefined;
        if (!mode) {
          out.push(message);
          continue;
        }
        const parts = textParts(message.content);
        const texts = parts.get();
        const rewritten: string[] = [];
        for (const text of texts) {
          if (detectors.injection) {
            const threshold = policy.injection[mode].threshold;
            try {
              const result = await detectors.injection(text, mode);
              const fired = result.score >= threshold;
              const wouldBlock = fired && policy.injection[mode].action === "block";
              ctx.verdicts.push({
                guard: "injection",
                direction: "prompt",
                outcome: fired ? (enforce && wouldBlock ? "blocked" : "flagged") : "pass",
                signals: result.signals.map((s) => s.id),
                score: result.score,
                ...(fired && !enforce && wouldBlock ? { wouldBe: "blocked" as const } : {}),
              });
              if (fired && enforce && wouldBlock)
                block ??= contentBlock(
                  `prompt injection detected in a ${message.role} message (score ${result.score.toFixed(2)})`,
                );
            } catch (error) {
              ctx.verdicts.push({
                guard: "injection",
                direction: "prompt",
                outcome: "error",
                signals: [String((error as Error).message ?? error)],
              });
              if (closed)
                block ??= new GatewayError(
                  "guard_unavailable",
                  "the injection guard failed and the policy fails closed",
                );
            }
          }
          let detections: Detection[];
          try {
            detections = detectors.sensitive.detect(text);
          } catch (error) {
            ctx.verdicts.push({
              guard: "pii",
              direction: "prompt",
              outcome: "error",
              signals: [String((error as Error).message ?? error)],
            });
            if (closed)
              block ??= new GatewayError("guard_unavailable", "the PII guard failed and the policy fails closed");
            rewritten.push(text);
            continue;
          }
          const judged = judgeText(ctx, text, detections, "prompt");
          if (judged.blocked)
            block ??= contentBlock(`the prompt contains ${judged.blocked.entity}, which the policy blocks`);
          rewritten.push(judged.text);
        }
        out.push(texts.length === 0 ? message : { ...message, content: parts.set(rewritten) });
      }
      const system = policy.systemPrompts.filter((s) => compileGlobs([s.route])(route)).map((s) => s.text);
      if (system.length > 0) out.unshift({ role: "system", content: system.join("\n\n") });
      return block ? { messages: out, block } : { messages: out };
    },

    inspectAnswer(text) {
      if (policy.guards.mode === "off") return { text: ctx.pseudonyms.restore(text) };
      const judged = judgeText(ctx, text, detectors.sensitive.detect(text), "response");
      if (judged.blocked)
        return { text, block: contentBlock(`the answer contains ${judged.blocked.entity}, which the policy blocks`) };
      const leaked = leak.check(text);
      if (leaked) {
        ctx.verdicts.push({
          guard: "system-prompt-leak",
          direction: "response",
          outcome: enforce ? "blocked" : "flagged",
          signals: ["verbatim-system-prompt"],
        });
        if (enforce) return { text, block: contentBlock("the answer repeats the system prompt") };
      }
      return { text: ctx.pseudonyms.restore(judged.text) };
    },

    streamGuard() {
      if (policy.guards.mode === "off") return { push: (text) => ({ text }), end: () => ({ text: "" }) };
      return createAnswerStream(ctx, detectors.sensitive, leak, contentBlock);
    },

    checkToolCall(name, allowed) {
      if (allowed(name) || policy.guards.mode === "off") return undefined;
      ctx.verdicts.push({
        guard: "tools",
        direction: "response",
        outcome: enforce ? "blocked" : "flagged",
        signals: [name],
      });
      return enforce
        ? new GatewayError("permission_denied", `the model called tool ${name}, which the caller may not use`)
        : undefined;
    },
  };
}

/**
 * A streamed answer: `window` releases text behind a bounded hold-back (entities split across
 * chunks are still caught), `buffer` releases only at the end, `audit` releases at once and
 * judges at the end for the record. Whole-text and streamed verdicts are the same because the
 * incremental detector equals the whole-text detector.
 */
function createAnswerStream(
  ctx: Ctx,
  detector: TextDetector,
  leak: LeakDetector,
  contentBlock: (what: string) => GatewayError,
): AnswerStream {
  const mode = ctx.policy.guards.streaming;
  const incremental: IncrementalDetector = createIncrementalDetector(detector, { minScanChars: 32 });
  let whole = "";
  const tail = leak.stream();
  const collected: Detection[] = [];
  const enforce = ctx.policy.guards.mode === "enforce";

  const release = (
    segment: { text: string; detections: Detection[] } | undefined,
  ): { text: string; block?: GatewayError } => {
    if (!segment) return { text: "" };
    collected.push(...segment.detections);
    const blocked = segment.detections.find((d) => actionFor(ctx.policy, d, "response") === "block");
    if (blocked && enforce)
      return { text: "", block: contentBlock(`the answer contains ${blocked.entity}, which the policy blocks`) };
    if (tail.push(segment.text) && enforce)
      return { text: "", block: contentBlock("the answer repeats the system prompt") };
    const toRedact = enforce ? segment.detections.filter((d) => actionFor(ctx.policy, d, "response") === "redact") : [];
    const text = toRedact.length === 0 ? segment.text : redactWith(ctx, segment.text, toRedact);
    return { text: ctx.pseudonyms.restore(text) };
  };

  const record = () => {
    // One verdict per guard for the whole answer, as for a non-streamed one.
    const sink: GuardVerdict[] = [];
    judgeText({ ...ctx, verdicts: sink }, whole, collected, "response");
    for (const v of sink) ctx.verdicts.push({ ...v, signals: [...v.signals, `stream:${mode}`] });
    if (tail.leaked())
      ctx.verdicts.push({
        guard: "system-prompt-leak",
        direction: "response",
        outcome: enforce ? "blocked" : "flagged",
        signals: ["verbatim-system-prompt", `stream:${mode}`],
      });
  };

  return {
    push(text) {
      whole += text;
      if (mode === "buffer") return { text: "" };
      if (mode === "audit") {
        collected.length = 0;
        return { text };
      }
      return release(incremental.push(text));
    },
    end() {
      if (mode === "audit") {
        collected.push(...detector.detect(whole));
        tail.push(whole);
        record();
        return { text: "" };
      }
      if (mode === "buffer") {
        const segment = { text: whole, detections: detector.detect(whole) };
        const out = release(segment);
        record();
        return out;
      }
      const out = release(incremental.end());
      record();
      return out;
    },
  };
}

interface LeakDetector {
  check(text: string): boolean;
  stream(): { push(text: string): boolean; leaked(): boolean };
}

/** Verbatim system-prompt spans of at least this many characters (whitespace folded) count as a leak. */
const LEAK_SPAN = 60;

/**
 * System-prompt leakage: the answer repeats a long verbatim span of a system prompt (whitespace
 * and case folded). Every LEAK_SPAN-character window of the prompts is indexed by a rolling hash
 * (Rabin-Karp), so checking an answer costs one pass with no per-position string copies; a hash
 * hit is confirmed by comparing the text.
 */
function createLeakDetector(prompts: () => string[]): LeakDetector {
  const fold = (t: string) => t.replace(/\s+/g, " ").toLowerCase();
  const BASE = 257;
  // BASE^(LEAK_SPAN-1) mod 2^32, to remove the character leaving the window.
  let drop = 1;
  for (let i = 0; i < LEAK_SPAN - 1; i++) drop = Math.imul(drop, BASE) >>> 0;
  let index: { hashes: Map<number, string[]> } | undefined;

  /** Call `onWindow(hash, start)` for every LEAK_SPAN window of `f`. */
  const windowsOf = (f: string, onWindow: (hash: number, start: number) => boolean): boolean => {
    let h = 0;
    for (let i = 0; i < f.length; i++) {
      if (i >= LEAK_SPAN) h = (h - Math.imul(f.charCodeAt(i - LEAK_SPAN), drop)) >>> 0;
      h = (Math.imul(h, BASE) + f.charCodeAt(i)) >>> 0;
      if (i >= LEAK_SPAN - 1 && onWindow(h, i - LEAK_SPAN + 1)) return true;
    }
    return false;
  };

  const indexed = () => {
    if (!index) {
      const hashes = new Map<number, string[]>();
      for (const p of prompts()) {
        const f = fold(p);
        windowsOf(f, (hash, start) => {
          const list = hashes.get(hash);
          if (list) list.push(f.slice(start, start + LEAK_SPAN));
          else hashes.set(hash, [f.slice(start, start + LEAK_SPAN)]);
          return false;
        });
      }
      index = { hashes };
    }
    return index;
  };

  const scan = (f: string) => {
    const { hashes } = indexed();
    if (hashes.size === 0) return false;
    return windowsOf(f, (hash, start) => {
      const candidates = hashes.get(hash);
      return candidates !== undefined && candidates.includes(f.slice(start, start + LEAK_SPAN));
    });
  };
  return {
    check: (text) => scan(fold(text)),
    stream() {
      let carry = "";
      let found = false;
      return {
        push(text) {
          if (found) return true;
          const f = fold(carry + text);
          found = scan(f);
          carry = f.slice(Math.max(0, f.length - LEAK_SPAN + 1));
          return found;
        },
        leaked: () => found,
      };
    },
  };
}
