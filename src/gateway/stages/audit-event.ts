/**
 * Audit stage: the one event every request produces, keyed by the gateway's own request id.
 * Every string stored (headers, model, error messages, policy reasons, excerpts) is redacted
 * first; excerpts are cut after redaction, so a cut never lands inside a value and leaves half of it.
 */
import type { Event, Identity } from "../../core/index.js";
import type { Detection } from "../../detect/index.js";
import { redact } from "../../detect/index.js";
import { AUDIT_EVENT_KIND } from "../audit.js";
import { detectRemembered, type GuardDetectors, type GuardVerdict } from "../guards.js";
import type { Json } from "./state.js";

const EXCERPT = 500;
/** Client-chosen ids and headers kept in the event, at most this long (after redaction). */
const HEADER_VALUE = 128;
export const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

export interface AuditInput {
  requestId: string;
  /** The client's `x-request-id`, stored redacted as an attribute; never the key. */
  clientRequestId: string | undefined;
  traceparent: string | undefined;
  identity: Identity | undefined;
  status: number;
  record: Json;
  verdicts: readonly GuardVerdict[];
  usage: { prompt: number; completion: number } | undefined;
  latencyMs: number;
  /** The prompt's texts, in order (the excerpt is their start, joined by newlines). */
  promptParts: readonly string[];
  /** HMAC-SHA-256 of the whole raw prompt under the gateway's hash key. */
  promptHmac: string;
  answerText: string;
  /** The policy's `logging.prompts`: redacted excerpts, no excerpts (hash only), or raw excerpts. */
  prompts: "redacted" | "hashed" | "raw";
  detectors: GuardDetectors;
  /** What the guards already found in a text they scanned whole: the excerpt is not scanned again. */
  known?: (text: string) => readonly Detection[] | undefined;
}

/** Placeholders for everything the detectors find, whatever the policy did to the traffic. */
export function redactAll(text: string, detectors: GuardDetectors, known?: readonly Detection[]): string {
  if (text === "") return text;
  try {
    const found = known ?? detectRemembered(detectors.sensitive, text);
    return found.length === 0 ? text : redact(text, found, { style: "placeholder" }).text;
  } catch {
    return "<withheld: redaction failed>";
  }
}

/**
 * Redacting the excerpt looks this far past its end. The detectors' own bound (8 KB for a
 * private-key block) would mean scanning most prompts twice; entities longer than this are the
 * block-shaped secrets, which the excerpt is cut before (see `excerptOf`).
 */
const EXCERPT_MARGIN = 1024;
/** Starts of values that can outrun the margin (key blocks, JWTs): left in the excerpt only if redacted. */
const LONG_VALUE_START = /-----BEGIN|eyJ[A-Za-z0-9_-]{8}/;

/**
 * The first EXCERPT characters of the redacted texts joined by newlines, never ending inside a
 * value or a placeholder. A text the guards scanned whole is redacted with what they found; any
 * other is scanned over its start only (up to EXCERPT + EXCERPT_MARGIN characters in all).
 */
function excerptOf(
  texts: readonly string[],
  detectors: GuardDetectors,
  known: AuditInput["known"] = () => undefined,
): string {
  let redacted = "";
  let room = EXCERPT + EXCERPT_MARGIN;
  /** Some text was scanned over its start only, so a long value in the excerpt may be unseen whole. */
  let partial = false;
  for (const [i, text] of texts.entries()) {
    if (redacted.length > EXCERPT || room <= 0) break;
    const found = known(text);
    const seen = found || text.length <= room ? text : text.slice(0, room);
    if (seen !== text) partial = true;
    redacted += (i === 0 ? "" : "\n") + redactAll(seen, detectors, found);
    room -= seen.length + 1;
  }
  let cut = redacted.slice(0, EXCERPT);
  // A key block or token still here was not seen whole by the scan: keep nothing of it.
  const long = partial ? LONG_VALUE_START.exec(cut) : null;
  if (long) cut = cut.slice(0, long.index);
  if (redacted.length <= EXCERPT && !long) return redacted;
  const open = /<[A-Z0-9_]*$/.exec(cut);
  return open ? cut.slice(0, open.index) : cut;
}

/** The first `limit` characters of `texts` joined by newlines, without joining all of them. */
export function joinedStart(texts: readonly string[], limit: number): string {
  let out = "";
  for (const text of texts) {
    if (out.length >= limit) break;
    out += (out === "" ? "" : "\n") + text.slice(0, limit - out.length);
  }
  return out.slice(0, limit);
}

/** Every string in a JSON value, redacted (keys too: they can be client input); depth capped at 8. */
export function redactDeep(value: unknown, detectors: GuardDetectors, depth = 0): unknown {
  if (typeof value === "string") return redactAll(value, detectors);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, detectors, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [redactAll(k, detectors), redactDeep(v, detectors, depth + 1)]),
  );
}

export function auditEvent(a: AuditInput): Event {
  const excerpt = (texts: readonly string[]): string | undefined =>
    a.prompts === "hashed"
      ? undefined
      : a.prompts === "raw"
        ? joinedStart(texts, EXCERPT)
        : excerptOf(texts, a.detectors, a.known);
  const promptExcerpt = excerpt(a.promptParts);
  const answerExcerpt = excerpt([a.answerText]);
  const traceId = a.traceparent ? TRACEPARENT.exec(a.traceparent)?.[1] : undefined;
  const clientRequestId =
    a.clientRequestId !== undefined
      ? redactAll(a.clientRequestId.slice(0, 1024), a.detectors).slice(0, HEADER_VALUE)
      : undefined;
  return {
    id: a.requestId,
    kind: AUDIT_EVENT_KIND,
    time: Date.now(),
    ...(a.identity ? { identity: a.identity.id } : {}),
    correlation: { requestId: a.requestId, ...(traceId ? { traceId } : {}) },
    payload: {
      ...(redactDeep(a.record, a.detectors) as Json),
      ...(clientRequestId !== undefined ? { clientRequestId } : {}),
      ...(a.traceparent !== undefined && !traceId ? { traceparent: "invalid (not stored)" } : {}),
      status: a.status,
      guards: redactDeep(a.verdicts, a.detectors),
      usage: a.usage ?? null,
      latencyMs: Math.round(a.latencyMs * 100) / 100,
      promptHmac: a.promptHmac,
      promptLogging: a.prompts,
      ...(promptExcerpt !== undefined ? { promptExcerpt } : {}),
      ...(answerExcerpt !== undefined ? { answerExcerpt } : {}),
    },
  };
}
