/**
 * The guards, over every text a request or an answer carries (fields.ts walks them against the
 * endpoint's field table): on the way in, prompt injection (document mode on tool results and
 * tool definitions), PII and secrets per entity per policy (block / redact / allow), the
 * organisation's system prompt; on the way out, PII and secrets in every answer field (content,
 * reasoning, tool arguments, logprob tokens; streamed or not), tool rights on every kind of
 * tool call, and system-prompt leakage. Every guard is `enforce` or `monitor`; a detector failure is
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
import { compileGlobs, type GuardAction, piiActionFor, type RuntimePolicy } from "../policy/index.js";
import { GatewayError } from "./errors.js";
import { collectTexts, formatPath, isMedia, type PathStep, type Spec, type TextRole, type TextSlot } from "./fields.js";
import { GUARD_POOL_MIN_CHARS } from "./guard-pool.js";

/** The detector's modes (detect/injection): user prompts, documents and tool results, system text. */
export type InjectionMode = "user" | "document" | "system";

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

interface Ctx {
  policy: RuntimePolicy;
  /** HMAC key of the `hash` redaction style (the gateway's one hash key). */
  hashKey: string;
  detectors: GuardDetectors;
  verdicts: GuardVerdict[];
  pseudonyms: PseudonymTable;
}

const isSecret = (d: Detection) => d.detector === "secrets";

/** The action the policy sets for a detection in a direction (low-precision entities are opt-in). */
function actionFor(policy: RuntimePolicy, d: Detection, direction: "prompt" | "response"): GuardAction {
  return isSecret(d) ? policy.secrets[direction] : piiActionFor(policy, d, direction);
}

/** Apply a piece of text's detections per policy: the redacted text, or a block. */
function judgeText(
  ctx: Ctx,
  text: string,
  detections: readonly Detection[],
  direction: "prompt" | "response",
  sink: VerdictSink,
): { text: string; blocked?: Detection } {
  if (detections.length === 0) return { text };
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
    sink.entities(
      guard,
      direction,
      mine.map((d) => d.entity),
      blocks ? "blocked" : redacts ? "redacted" : undefined,
    );
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

/**
 * How each role of text is guarded on the way in. System text (system and developer messages,
 * `system` fields, templates) has its own mode: developers write directives to the assistant
 * there, which user mode reads as attacks ("Never reveal these instructions." scores 0.79).
 */
const PROMPT_INJECTION_MODE: Partial<Record<TextRole, InjectionMode>> = {
  user: "user",
  system: "system",
  assistant: "user",
  unknown: "user",
  "tool-result": "document",
  "tool-definition": "document",
};

/** Roles checked for verbatim system-prompt leakage in answers (labels are too short to matter). */
const LEAK_ROLES = new Set<TextRole>(["output", "reasoning", "tool-arguments", "unknown"]);

/** Texts at least this long are analysed in the worker pool (when there is one), off the event loop. */
export const POOL_THRESHOLD_CHARS = GUARD_POOL_MIN_CHARS;

/** Detectors running in worker threads, for large texts (guard-pool.ts). */
export interface OffThreadAnalyser {
  scan(
    text: string,
    injection: InjectionMode | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ detections: Detection[]; injection?: { score: number; signals: { id: string; score: number }[] } }>;
}

export interface GuardOptions {
  /** HMAC key of the `hash` redaction style (the gateway's one hash key). */
  hashKey: string;
  /** Large texts go here instead of the event loop. */
  pool?: OffThreadAnalyser;
  /** The request gave up (its guard time budget ran out): stop scanning for it. */
  signal?: AbortSignal;
}

export interface RequestGuardResult {
  /** The request must be refused (enforce mode), or a field is not allowed. */
  block?: GatewayError;
}

export interface Guards {
  readonly verdicts: GuardVerdict[];
  readonly pseudonyms: PseudonymTable;
  /**
   * Guard every text of a request body against its field table, rewriting it in place; then
   * add the organisation's system prompts for the route. Text found in a field the table does
   * not declare is guarded as untrusted, or refused when the policy says `unknownFields: reject`.
   */
  inspectRequest(body: Json, spec: Spec, route: string): Promise<RequestGuardResult>;
  /** System texts seen in the request (for leak detection in answers). */
  readonly systemTexts: string[];
  /** Guard a whole answer in place; tool calls are checked against `allowedTool`. */
  inspectAnswer(body: Json, spec: Spec, allowedTool: (tool: string) => boolean): { text: string; block?: GatewayError };
  /** A guard for a streamed answer: one incremental guard per streamed field. */
  answerStream(spec: Spec, allowedTool: (tool: string) => boolean): FrameGuard;
  /** Write what is still gathered into `verdicts` (a request refused midway); idempotent. */
  finish(): void;
  /**
   * The sensitive spans the guards found in exactly this text during this request, if they
   * scanned it whole: the audit redacts its excerpts with them instead of scanning again.
   */
  detectionsOf(text: string): readonly Detection[] | undefined;
}

/** Guards a stream frame by frame. Frames are rewritten in place. */
export interface FrameGuard {
  /**
   * Guard one frame; `finished` names the choices this frame ends. Returns whether the frame
   * was changed and whether it still carries anything worth sending.
   */
  push(
    frame: Json,
    finished: readonly number[] | "all",
    defer?: boolean,
  ): { changed: boolean; block?: GatewayError; empty?: boolean };
  /** The upstream ended: what open fields still hold, written into `frame` (a fresh frame). */
  flush(frame: Json): { written: boolean; block?: GatewayError };
  /** The answer text seen so far (before guarding), for the audit excerpt. */
  readonly text: string;
}

/**
 * Short texts repeat across requests and stream frames (model names, roles, ids, enum values,
 * tool names): their detections are remembered per detector, in a bounded map that is cleared
 * when full, so unique strings sent on purpose cannot grow it.
 */
const SHORT_TEXT = 256;
const SHORT_TEXT_ENTRIES = 8192;
const shortTextMemos = new WeakMap<TextDetector, Map<string, Detection[]>>();
/** The detector's spans in `text`, remembered when the text is short. */
export function detectRemembered(detector: TextDetector, text: string): Detection[] {
  if (text.length > SHORT_TEXT) return detector.detect(text);
  let memo = shortTextMemos.get(detector);
  if (!memo) {
    memo = new Map();
    shortTextMemos.set(detector, memo);
  }
  let found = memo.get(text);
  if (!found) {
    found = detector.detect(text);
    if (memo.size >= SHORT_TEXT_ENTRIES) memo.clear();
    memo.set(text, found);
  }
  return found;
}

const UNCHANGED = { changed: false } as const;
/** Texts per request whose detections are kept for the audit's excerpts. */
const SCANNED_TEXTS = 256;

/** One streamed field's guard: releases only text that is safe to send. */
interface AnswerStream {
  /** `defer`: more text is already in hand; buffer this without scanning. */
  push(text: string, defer: boolean): { text: string; block?: GatewayError };
  end(): { text: string; block?: GatewayError };
}

type Json = Record<string, unknown>;

export function createGuards(policy: RuntimePolicy, detectors: GuardDetectors, options: GuardOptions): Guards {
  const ctx: Ctx = {
    policy,
    detectors,
    hashKey: options.hashKey,
    verdicts: [],
    pseudonyms: createPseudonymTable(),
  };
  const enforce = policy.guards.mode === "enforce";
  const off = policy.guards.mode === "off";
  const closed = policy.guards.failMode === "closed";
  const systemTexts: string[] = [];
  const leak = createLeakDetector(() => systemTexts);
  const contentBlock = (what: string) => new GatewayError("content_policy_violation", what);
  /**
   * Texts scanned whole in this request and what was found in them (see `detectionsOf`); bounded,
   * since a long stream guards many small frames whole and the audit needs only the first texts.
   */
  const scanned = new Map<string, readonly Detection[]>();
  const detectShort = (text: string): Detection[] => {
    const found = detectRemembered(detectors.sensitive, text);
    if (scanned.size < SCANNED_TEXTS) scanned.set(text, found);
    return found;
  };
  const sink = createVerdictSink(ctx);

  /** Sensitive spans (and the injection score when asked) of one prompt text. */
  async function analyse(text: string, mode: InjectionMode | undefined) {
    if (options.pool && text.length >= POOL_THRESHOLD_CHARS) {
      const result = await options.pool.scan(text, mode, options.signal);
      if (scanned.size < SCANNED_TEXTS) scanned.set(text, result.detections);
      return result;
    }
    const detections = detectShort(text);
    const injection = mode && detectors.injection ? await detectors.injection(text, mode) : undefined;
    return injection ? { detections, injection } : { detections };
  }

  async function guardPromptText(slot: TextSlot): Promise<GatewayError | undefined> {
    let role = slot.role;
    if (role === "media") {
      if (isMedia(slot.text)) return undefined;
      role = "unknown";
    }
    if (role === "system" && !slot.isKey) systemTexts.push(slot.text);
    const mode = slot.isKey ? undefined : PROMPT_INJECTION_MODE[role];
    const injectionOn = mode !== undefined && detectors.injection !== undefined;
    let result: Awaited<ReturnType<typeof analyse>>;
    try {
      result = await analyse(slot.text, injectionOn ? mode : undefined);
    } catch (error) {
      sink.error("pii", "prompt", error);
      return closed
        ? new GatewayError("guard_unavailable", "a content guard failed and the policy fails closed")
        : undefined;
    }
    let block: GatewayError | undefined;
    if (mode && result.injection) {
      const threshold = policy.injection[mode].threshold;
      const fired = result.injection.score >= threshold;
      const blocks = fired && policy.injection[mode].action === "block";
      sink.injection(result.injection, fired, blocks, formatPath(slot.path));
      if (blocks && enforce)
        block = contentBlock(
          `prompt injection detected in ${formatPath(slot.path)} (score ${result.injection.score.toFixed(2)})`,
        );
    }
    const judged = judgeText(ctx, slot.text, result.detections, "prompt", sink);
    if (judged.blocked && !block)
      block = contentBlock(`${formatPath(slot.path)} contains ${judged.blocked.entity}, which the policy blocks`);
    if (judged.text !== slot.text) slot.set(judged.text);
    return block;
  }

  /** Guard one answer text that is not streamed (or a whole answer): a block, or whether it changed. */
  function guardAnswerText(
    slot: TextSlot,
    allowedTool: (tool: string) => boolean,
  ): { block?: GatewayError; changed: boolean } {
    if (slot.role === "tool-name" && !slot.isKey) {
      const denied = checkTool(slot.text, allowedTool);
      if (denied) return { block: denied, changed: false };
    }
    // Framing fields of an answer (ids, object, model, role, finish_reason) are written by the
    // server, not generated by the model: nothing a prompt can steer lands there.
    if (slot.role === "meta" || (slot.role === "media" && isMedia(slot.text))) return UNCHANGED;
    const judged = judgeText(ctx, slot.text, detectShort(slot.text), "response", sink);
    if (judged.blocked)
      return {
        block: contentBlock(`the answer contains ${judged.blocked.entity}, which the policy blocks`),
        changed: false,
      };
    if (LEAK_ROLES.has(slot.role) && leak.check(slot.text)) {
      sink.leak();
      if (enforce) return { block: contentBlock("the answer repeats the system prompt"), changed: false };
    }
    const out = ctx.pseudonyms.restore(judged.text);
    if (out === slot.text) return { changed: false };
    slot.set(out);
    return { changed: true };
  }

  function checkTool(name: string, allowed: (tool: string) => boolean): GatewayError | undefined {
    if (allowed(name)) return undefined;
    ctx.verdicts.push({
      guard: "tools",
      direction: "response",
      outcome: enforce ? "blocked" : "flagged",
      signals: [name],
    });
    return enforce
      ? new GatewayError("permission_denied", `the model called tool ${name}, which the caller may not use`)
      : undefined;
  }

  return {
    verdicts: ctx.verdicts,
    pseudonyms: ctx.pseudonyms,
    systemTexts,

    async inspectRequest(body, spec, route) {
      const slots = collectTexts(body, spec);
      if (policy.guards.unknownFields === "reject") {
        const unknown = slots.find((s) => s.role === "unknown");
        if (unknown)
          return {
            block: new GatewayError(
              "invalid_request",
              `${formatPath(unknown.path)} is not a field this gateway knows; the policy refuses unknown fields`,
              { param: formatPath(unknown.path) },
            ),
          };
      }
      for (const s of policy.systemPrompts) if (compileGlobs([s.route])(route)) systemTexts.push(s.text);
      if (off) return {};
      let block: GatewayError | undefined;
      for (const slot of slots) {
        if (slot.role === "tool-name" || slot.role === "meta" || slot.role === "label") {
          const judged = judgeText(ctx, slot.text, detectShort(slot.text), "prompt", sink);
          if (judged.blocked)
            block ??= contentBlock(
              `${formatPath(slot.path)} contains ${judged.blocked.entity}, which the policy blocks`,
            );
          else if (judged.text !== slot.text) slot.set(judged.text);
          continue;
        }
        block ??= await guardPromptText(slot);
      }
      sink.close("prompt");
      return block ? { block } : {};
    },

    inspectAnswer(body, spec, allowedTool) {
      const slots = collectTexts(body, spec);
      const text = slots
        .filter((s) => s.role === "output" && !s.isKey)
        .map((s) => s.text)
        .join("");
      if (off) {
        for (const s of slots) {
          const restored = ctx.pseudonyms.restore(s.text);
          if (restored !== s.text) s.set(restored);
        }
        return { text };
      }
      let block: GatewayError | undefined;
      for (const slot of slots) block ??= guardAnswerText(slot, allowedTool).block;
      sink.close("response");
      return block ? { text, block } : { text };
    },

    finish() {
      sink.close("prompt");
      sink.close("response");
    },

    detectionsOf: (text) => scanned.get(text),

    answerStream(spec, allowedTool) {
      return createFrameGuard(ctx, spec, {
        off,
        whole: (slot) => guardAnswerText(slot, allowedTool),
        field: () => createAnswerStream(ctx, detectors.sensitive, leak, contentBlock, sink),
        close: () => sink.close("response", [`stream:${policy.guards.streaming}`]),
      });
    },
  };
}

/**
 * Verdicts are gathered per request and written once per guard and direction, with the fields
 * that fired, so a request with a hundred fields still has a short audit record.
 */
function createVerdictSink(ctx: Ctx) {
  const enforce = ctx.policy.guards.mode === "enforce";
  type Acc = { signals: Set<string>; would?: "redacted" | "blocked" };
  const acc = new Map<string, Acc>();
  let injection:
    | { score: number; signals: Set<string>; fired: boolean; blocks: boolean; fields: Set<string> }
    | undefined;
  let leaked = false;
  const errors: GuardVerdict[] = [];
  const rank = { redacted: 1, blocked: 2 } as const;
  return {
    entities(
      guard: "pii" | "secrets",
      direction: "prompt" | "response",
      entities: string[],
      would?: "redacted" | "blocked",
    ) {
      const key = `${guard}:${direction}`;
      let a = acc.get(key);
      if (!a) {
        a = { signals: new Set() };
        acc.set(key, a);
      }
      for (const e of entities) a.signals.add(e);
      if (would && (!a.would || rank[would] > rank[a.would])) a.would = would;
    },
    injection(r: { score: number; signals: { id: string }[] }, fired: boolean, blocks: boolean, field: string) {
      injection ??= { score: 0, signals: new Set(), fired: false, blocks: false, fields: new Set() };
      injection.score = Math.max(injection.score, r.score);
      if (fired) {
        injection.fired = true;
        injection.fields.add(field);
        for (const s of r.signals) injection.signals.add(s.id);
      }
      injection.blocks ||= blocks;
    },
    leak() {
      leaked = true;
    },
    error(guard: GuardVerdict["guard"], direction: "prompt" | "response", error: unknown) {
      errors.push({ guard, direction, outcome: "error", signals: [String((error as Error)?.message ?? error)] });
    },
    /** Write the verdicts of a direction (once; later calls add nothing new). */
    close(direction: "prompt" | "response", extraSignals: string[] = []) {
      if (direction === "prompt" && injection) {
        const { fired, blocks } = injection;
        ctx.verdicts.push({
          guard: "injection",
          direction: "prompt",
          outcome: fired ? (enforce && blocks ? "blocked" : "flagged") : "pass",
          signals: fired ? [...injection.signals, ...[...injection.fields].map((f) => `field:${f}`)] : [],
          score: Math.round(injection.score * 1000) / 1000,
          ...(fired && !enforce && blocks ? { wouldBe: "blocked" as const } : {}),
        });
        injection = undefined;
      }
      for (const [key, a] of acc) {
        const [guard, dir] = key.split(":") as ["pii" | "secrets", "prompt" | "response"];
        if (dir !== direction) continue;
        ctx.verdicts.push({
          guard,
          direction,
          outcome: enforce ? (a.would ?? "pass") : a.would ? "flagged" : "pass",
          signals: [...a.signals, ...extraSignals],
          ...(enforce || !a.would ? {} : { wouldBe: a.would }),
        });
        acc.delete(key);
      }
      if (direction === "response" && leaked) {
        ctx.verdicts.push({
          guard: "system-prompt-leak",
          direction: "response",
          outcome: enforce ? "blocked" : "flagged",
          signals: ["verbatim-system-prompt", ...extraSignals],
        });
        leaked = false;
      }
      ctx.verdicts.push(...errors.splice(0).filter((e) => e.direction === direction));
    },
  };
}
type VerdictSink = ReturnType<typeof createVerdictSink>;

/** The path of a streamed field with array positions replaced by the elements' own `index`. */
function streamKey(frame: Json, path: readonly PathStep[]): { key: string; steps: KeyStep[] } {
  const steps: KeyStep[] = [];
  let node: unknown = frame;
  for (const step of path) {
    if (typeof step === "number") {
      const item = Array.isArray(node) ? node[step] : undefined;
      const index = item && typeof item === "object" ? (item as Json).index : undefined;
      steps.push(typeof index === "number" ? { index } : { position: step });
      node = item;
    } else {
      // A stream's deltas and a final message are the same field.
      steps.push(step === "message" ? "delta" : step);
      node = node && typeof node === "object" ? (node as Json)[step] : undefined;
    }
  }
  const key = steps.map((s) => (typeof s === "string" ? s : "index" in s ? `#${s.index}` : `@${s.position}`)).join("/");
  return { key, steps };
}
type KeyStep = string | { index: number } | { position: number };

/** Write `text` at a stream key's place in `frame`, creating what is missing. */
function writeAt(frame: Json, steps: readonly KeyStep[], text: string, shape: TextSlot["shape"]) {
  let node: Json | unknown[] = frame;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as KeyStep;
    const last = i === steps.length - 1;
    // The original field name (message or delta) where the frame already has one.
    const name =
      typeof step === "string"
        ? step === "delta" && !Array.isArray(node) && "message" in node
          ? "message"
          : step
        : undefined;
    if (last && name !== undefined && !Array.isArray(node)) {
      node[name] =
        shape === "entries"
          ? [{ token: text, logprob: 0, bytes: null, top_logprobs: [] }]
          : shape === "parallel"
            ? { tokens: [text], token_logprobs: [null], top_logprobs: [null], text_offset: [0] }
            : text;
      return;
    }
    const nextIsArray = typeof steps[i + 1] === "object";
    if (name !== undefined && !Array.isArray(node)) {
      if (typeof node[name] !== "object" || node[name] === null) node[name] = nextIsArray ? [] : {};
      node = node[name] as Json | unknown[];
      continue;
    }
    if (!Array.isArray(node)) return;
    const s = step as { index: number } | { position: number };
    let item: unknown;
    if ("index" in s) {
      item = node.find((e) => e && typeof e === "object" && (e as Json).index === s.index);
      if (!item) {
        item = { index: s.index };
        node.push(item);
      }
    } else {
      item = node[s.position];
      if (!item || typeof item !== "object") {
        item = {};
        node[s.position] = item;
      }
    }
    node = item as Json;
  }
}

/**
 * Streamed answers: every streamed field (content, reasoning, tool arguments, logprob tokens) of
 * every choice gets its own incremental guard, so what leaves equals what a whole-answer guard
 * would send for that field; other text in a frame is guarded whole, frame by frame.
 */
function createFrameGuard(
  ctx: Ctx,
  spec: Spec,
  parts: {
    off: boolean;
    whole(slot: TextSlot): { block?: GatewayError; changed: boolean };
    field(): AnswerStream;
    close(): void;
  },
): FrameGuard {
  const open = new Map<string, { guard: AnswerStream; steps: KeyStep[]; shape: TextSlot["shape"] }>();
  let text = "";
  const choiceOf = (steps: readonly KeyStep[]) => {
    const s = steps[0] === "choices" ? steps[1] : undefined;
    return s && typeof s === "object" ? ("index" in s ? s.index : s.position) : 0;
  };

  const endField = (key: string): { text: string; block?: GatewayError } => {
    const f = open.get(key);
    open.delete(key);
    return f ? f.guard.end() : { text: "" };
  };

  return {
    get text() {
      return text;
    },
    push(frame, finished, defer = false) {
      const slots = collectTexts(frame, spec);
      let changed = false;
      // Whether the frame still says anything once its deferred text moved to a later frame.
      let carries = false;
      const touched = new Set<string>();
      const ends = (steps: readonly KeyStep[]) => finished === "all" || finished.includes(choiceOf(steps));
      for (const slot of slots) {
        if (slot.role === "output" && !slot.isKey) text += slot.text;
        if (parts.off) {
          const restored = ctx.pseudonyms.restore(slot.text);
          if (restored !== slot.text) {
            slot.set(restored);
            changed = true;
          }
          continue;
        }
        if (!slot.streamed) {
          const r = parts.whole(slot);
          if (r.block) return { changed, block: r.block };
          changed ||= r.changed;
          if (slot.role !== "meta") carries = true;
          continue;
        }
        const { key, steps } = streamKey(frame, slot.path);
        touched.add(key);
        let f = open.get(key);
        if (!f) {
          f = { guard: parts.field(), steps, shape: slot.shape };
          open.set(key, f);
        }
        const ending = ends(steps);
        let r = f.guard.push(slot.text, defer && !ending);
        if (r.block) return { changed, block: r.block };
        let out = r.text;
        if (out !== "") carries = true;
        if (ending) {
          r = endField(key);
          if (r.block) return { changed, block: r.block };
          out += r.text;
        }
        if (out !== slot.text) {
          slot.set(out);
          changed = true;
        }
      }
      // Fields this frame finishes but does not carry: their held text goes into this frame.
      if (!parts.off)
        for (const [key, f] of [...open]) {
          if (touched.has(key) || !ends(f.steps)) continue;
          const r = endField(key);
          if (r.block) return { changed, block: r.block };
          if (r.text !== "") {
            writeAt(frame, f.steps, r.text, f.shape);
            changed = true;
          }
        }
      const ending = finished === "all" || finished.length > 0;
      return { changed, ...(!carries && !ending && changed ? { empty: true } : {}) };
    },
    flush(frame) {
      let written = false;
      for (const key of [...open.keys()]) {
        const f = open.get(key);
        const r = endField(key);
        if (r.block) return { written, block: r.block };
        if (f && r.text !== "") {
          writeAt(frame, f.steps, r.text, f.shape);
          written = true;
        }
      }
      parts.close();
      return { written };
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
  sink: VerdictSink,
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

  // What the field saw goes to the request's verdicts, written once when the answer ends.
  const record = () => {
    judgeText(ctx, whole, collected, "response", sink);
    if (tail.leaked()) sink.leak();
  };

  return {
    push(text, defer) {
      whole += text;
      if (mode === "buffer") return { text: "" };
      if (mode === "audit") {
        collected.length = 0;
        return { text };
      }
      return release(incremental.push(text, { defer }));
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
      return candidates?.includes(f.slice(start, start + LEAK_SPAN)) === true;
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
