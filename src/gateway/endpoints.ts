/**
 * The endpoints the gateway proxies, as one table of differences: the request's shape, where
 * text lives in and out (field-tables.ts), which fields limit output tokens, how streams are
 * framed and end, where usage is reported. The request pipeline is the same for all of them.
 */
import { z } from "zod";
import { FIELD_TABLES, type FieldTable } from "./field-tables.js";
import type { TokenFieldFamily } from "./token-limits.js";
import type { UpstreamKindSpec } from "./upstreams/kinds.js";

type Json = Record<string, unknown>;

export type EndpointId = "chat" | "completions" | "embeddings" | "ollama-chat" | "ollama-generate";

export interface EndpointSpec {
  id: EndpointId;
  path(spec: UpstreamKindSpec): string | undefined;
  framing: "sse" | "ndjson";
  /** The body's required shape; other fields pass (and are guarded by the field table). */
  shape: z.ZodType<Json>;
  fields: FieldTable;
  /** Where output-token limits are spelled (token-limits.ts). */
  tokens: TokenFieldFamily;
  /** Whether the client asked for a stream (Ollama streams unless told not to). */
  streams(body: Json): boolean;
  /** The body with the organisation's system prompt added in front. */
  withSystemPrompt(body: Json, text: string): Json;
  /** Ask for usage in the last stream chunk when the upstream supports it. */
  withStreamUsage(body: Json): Json;
  /** The choices a frame (or a whole answer) ends. */
  finished(frame: Json): number[] | "all";
  usage(frame: Json): { prompt: number; completion: number } | undefined;
  /** A new frame (ids, model) to carry text still held when a stream ends. */
  frameBase(last: Json | undefined): Json;
  /** The stream's terminator payload, if the framing has one (`[DONE]`). */
  doneMarker?: string;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const asArray = (v: unknown): Json[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Json[]) : [];

function openaiUsage(frame: Json) {
  const u = frame.usage as Json | undefined;
  if (!u || typeof u !== "object") return undefined;
  return { prompt: num(u.prompt_tokens) ?? 0, completion: num(u.completion_tokens) ?? 0 };
}

const finishedChoices = (frame: Json): number[] =>
  asArray(frame.choices).flatMap((c, i) => (c.finish_reason != null ? [num(c.index) ?? i] : []));

const pickKeys = (from: Json | undefined, keys: readonly string[]): Json =>
  Object.fromEntries(keys.filter((k) => from && k in from).map((k) => [k, (from as Json)[k]]));

const Message = z.looseObject({ role: z.string({ error: "every message needs a role (a string)" }) });
/** Text, a list of texts, or token ids (lists of integers), as OpenAI's prompt and input take. */
const PromptInput = z.union(
  [z.string(), z.array(z.string()), z.array(z.number().int()), z.array(z.array(z.number().int()))],
  { error: "must be a string, a list of strings, or token ids" },
);

const chat: EndpointSpec = {
  id: "chat",
  path: (s) => s.chatPath,
  framing: "sse",
  shape: z.looseObject({ messages: z.array(Message, { error: "messages must be a list of messages" }).min(1) }),
  fields: FIELD_TABLES.chat,
  tokens: "openai",
  streams: (b) => b.stream === true,
  withSystemPrompt: (b, text) => ({ ...b, messages: [{ role: "system", content: text }, ...asArray(b.messages)] }),
  withStreamUsage: (b) => ({
    ...b,
    stream_options: { ...((b.stream_options as Json | undefined) ?? {}), include_usage: true },
  }),
  finished: finishedChoices,
  usage: openaiUsage,
  frameBase: (last) => pickKeys(last, ["id", "object", "created", "model"]),
  doneMarker: "[DONE]",
};

const completions: EndpointSpec = {
  ...chat,
  id: "completions",
  path: (s) => s.completionsPath,
  shape: z.looseObject({ prompt: PromptInput }),
  fields: FIELD_TABLES.completions,
  // A completion has no system role: the organisation's prompt goes first in the text.
  withSystemPrompt: (b, text) =>
    typeof b.prompt === "string"
      ? { ...b, prompt: `${text}\n\n${b.prompt}` }
      : Array.isArray(b.prompt) && b.prompt.every((p) => typeof p === "string")
        ? { ...b, prompt: b.prompt.map((p) => `${text}\n\n${p}`) }
        : b,
};

const embeddings: EndpointSpec = {
  ...chat,
  id: "embeddings",
  path: (s) => s.embeddingsPath,
  shape: z.looseObject({ input: PromptInput }),
  fields: FIELD_TABLES.embeddings,
  tokens: "none",
  streams: () => false,
  withSystemPrompt: (b) => b,
};

function ollamaUsage(frame: Json) {
  if (frame.done !== true) return undefined;
  return { prompt: num(frame.prompt_eval_count) ?? 0, completion: num(frame.eval_count) ?? 0 };
}

const ollamaChat: EndpointSpec = {
  ...chat,
  id: "ollama-chat",
  path: (s) => s.native?.chatPath,
  framing: "ndjson",
  // Ollama accepts an empty conversation (it loads the model); a non-list is still an error.
  shape: z.looseObject({ messages: z.array(Message, { error: "messages must be a list of messages" }).optional() }),
  fields: FIELD_TABLES["ollama-chat"],
  tokens: "ollama",
  streams: (b) => b.stream !== false,
  withStreamUsage: (b) => b,
  finished: (frame) => (frame.done === true ? "all" : []),
  usage: ollamaUsage,
  frameBase: (last) => ({ ...pickKeys(last, ["model", "created_at"]), done: false }),
  doneMarker: undefined,
};

const ollamaGenerate: EndpointSpec = {
  ...ollamaChat,
  id: "ollama-generate",
  path: (s) => s.native?.generatePath,
  shape: z.looseObject({
    prompt: z.string({ error: "prompt must be a string" }).optional(),
    system: z.string({ error: "system must be a string" }).optional(),
  }),
  fields: FIELD_TABLES["ollama-generate"],
  withSystemPrompt: (b, text) => ({ ...b, system: typeof b.system === "string" ? `${text}\n\n${b.system}` : text }),
};

export const ENDPOINTS = {
  chat,
  completions,
  embeddings,
  "ollama-chat": ollamaChat,
  "ollama-generate": ollamaGenerate,
} as const;
