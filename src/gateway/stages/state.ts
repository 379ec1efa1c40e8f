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
  /** Tool and function names the request declares (tools, functions, tool_choice). */
  tools: string[];
  model?: string;
  policy?: CompiledPolicy;
  access?: EffectiveAccess;
  budget?: OutputBudget;
  guards?: Guards;
  admission?: Admission;
  /**
   * The prompt's texts (every prompt text of the request, as received), for the estimate, the
   * excerpt and the keyed hash. Kept as parts: joining a 10 MB prompt would hold the event loop.
   */
  prompt: { parts: string[]; length: number };
  answerText: string;
  status: number;
  usage?: Usage;
  upstreamMs: number;
  upstream?: { name: string; kind: string; url: string };
}
