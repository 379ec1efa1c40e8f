/**
 * What one proxied request carries through the pipeline (pipeline.ts): each stage reads what
 * earlier stages set and adds its own part. `record` is the audit event's payload in the making.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Identity } from "../../core/index.js";
import type { CompiledPolicy, EffectiveAccess } from "../../policy/index.js";
import type { EndpointSpec } from "../endpoints.js";
import type { Guards } from "../guards.js";
import type { Admission } from "../limits.js";
import type { OutputBudget } from "../token-limits.js";

export type Json = Record<string, unknown>;

export interface Usage {
  prompt: number;
  completion: number;
}

export interface RequestState {
  /** The gateway's own id: the audit key and the `x-palisade-request-id` header. */
  readonly requestId: string;
  readonly started: number;
  readonly endpoint: EndpointSpec;
  readonly route: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Aborted when the client leaves: cancels the upstream call. */
  readonly abort: AbortController;
  /** Audit payload attributes (every string in it is redacted before it is stored). */
  readonly record: Json;
  identity?: Identity;
  body?: Json;
  model?: string;
  policy?: CompiledPolicy;
  access?: EffectiveAccess;
  budget?: OutputBudget;
  guards?: Guards;
  admission?: Admission;
  /** The prompt's text (every guarded text of the request), for the estimate and the excerpt. */
  promptText: string;
  answerText: string;
  status: number;
  usage?: Usage;
  upstreamMs: number;
  upstream?: { name: string; kind: string; url: string };
}
