/**
 * The endpoints the gateway proxies, as one table of differences: where the prompt texts and the
 * answer texts live in each wire format, how streams are framed, where usage is reported. The
 * proxy engine (proxy.ts) is the same for all of them.
 */
import type { ChatMessage } from "./guards.js";
import type { UpstreamKindSpec } from "./upstreams/kinds.js";

type Json = Record<string, unknown>;

export interface AnswerSlot {
  index: number;
  get(): string | undefined;
  set(text: string): void;
  /** This frame ends the choice (finish_reason, done). */
  finished: boolean;
  toolNames: string[];
}

export interface EndpointSpec {
  id: "chat" | "completions" | "embeddings" | "ollama-chat" | "ollama-generate";
  path(spec: UpstreamKindSpec): string | undefined;
  framing: "sse" | "ndjson";
  /** Whether the client asked for a stream (Ollama streams unless told not to). */
  streams(body: Json): boolean;
  /** The prompt as messages (to guard and rewrite), and how to put them back. */
  messages(body: Json): ChatMessage[];
  withMessages(body: Json, messages: ChatMessage[]): Json;
  maxTokens(body: Json): number | undefined;
  withMaxTokens(body: Json, value: number): Json;
  tools(body: Json): string[];
  /** Ask for usage in the last stream chunk when the upstream supports it. */
  withStreamUsage(body: Json): Json;
  answers(frame: Json): AnswerSlot[];
  usage(frame: Json): { prompt: number; completion: number } | undefined;
  /** The stream's terminator frame, if the framing has one (`[DONE]`). */
  doneMarker?: string;
}

const asArray = (v: unknown): Json[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Json[]) : [];
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function openaiUsage(frame: Json) {
  const u = frame.usage as Json | undefined;
  if (!u || typeof u !== "object") return undefined;
  return { prompt: num(u.prompt_tokens) ?? 0, completion: num(u.completion_tokens) ?? 0 };
}

function toolNamesOf(calls: unknown): string[] {
  return asArray(calls)
    .map((c) => (c.function as Json | undefined)?.name)
    .filter((n): n is string => typeof n === "string" && n !== "");
}

/** A text field of an object as a slot. */
function slot(
  index: number,
  holder: Json | undefined,
  key: string,
  finished: boolean,
  toolNames: string[],
): AnswerSlot {
  return {
    index,
    get: () => (holder && typeof holder[key] === "string" ? (holder[key] as string) : undefined),
    set: (text) => {
      if (holder) holder[key] = text;
    },
    finished,
    toolNames,
  };
}

const chat: EndpointSpec = {
  id: "chat",
  path: (s) => s.chatPath,
  framing: "sse",
  streams: (b) => b.stream === true,
  messages: (b) => asArray(b.messages) as ChatMessage[],
  withMessages: (b, messages) => ({ ...b, messages }),
  maxTokens: (b) => num(b.max_completion_tokens) ?? num(b.max_tokens),
  withMaxTokens: (b, v) =>
    "max_completion_tokens" in b ? { ...b, max_completion_tokens: v } : { ...b, max_tokens: v },
  tools: (b) =>
    asArray(b.tools)
      .map((t) => (t.function as Json | undefined)?.name)
      .filter((n): n is string => typeof n === "string"),
  withStreamUsage: (b) => ({
    ...b,
    stream_options: { ...((b.stream_options as Json | undefined) ?? {}), include_usage: true },
  }),
  answers: (frame) =>
    asArray(frame.choices).map((choice, i) => {
      const holder = (choice.delta ?? choice.message) as Json | undefined;
      return slot(
        num(choice.index) ?? i,
        holder,
        "content",
        choice.finish_reason != null,
        toolNamesOf(holder?.tool_calls),
      );
    }),
  usage: openaiUsage,
  doneMarker: "[DONE]",
};

const completions: EndpointSpec = {
  ...chat,
  id: "completions",
  path: (s) => s.completionsPath,
  messages: (b) =>
    (Array.isArray(b.prompt) ? b.prompt : [b.prompt]).map((p) => ({
      role: "user",
      content: typeof p === "string" ? p : "",
    })),
  withMessages: (b, messages) => ({
    ...b,
    prompt: Array.isArray(b.prompt)
      ? messages.filter((m) => m.role === "user").map((m) => m.content)
      : messages
          .filter((m) => m.role === "user")
          .map((m) => m.content)
          .join("\n"),
  }),
  maxTokens: (b) => num(b.max_tokens),
  withMaxTokens: (b, v) => ({ ...b, max_tokens: v }),
  tools: () => [],
  answers: (frame) =>
    asArray(frame.choices).map((choice, i) =>
      slot(num(choice.index) ?? i, choice, "text", choice.finish_reason != null, []),
    ),
};

const embeddings: EndpointSpec = {
  ...chat,
  id: "embeddings",
  path: (s) => s.embeddingsPath,
  streams: () => false,
  messages: (b) =>
    (Array.isArray(b.input) ? b.input : [b.input]).map((p) => ({
      role: "user",
      content: typeof p === "string" ? p : "",
    })),
  withMessages: (b, messages) => ({
    ...b,
    input: Array.isArray(b.input)
      ? messages.filter((m) => m.role === "user").map((m) => m.content)
      : (messages.find((m) => m.role === "user")?.content ?? ""),
  }),
  maxTokens: () => undefined,
  withMaxTokens: (b) => b,
  tools: () => [],
  answers: () => [],
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
  streams: (b) => b.stream !== false,
  maxTokens: (b) => num((b.options as Json | undefined)?.num_predict),
  withMaxTokens: (b, v) => ({ ...b, options: { ...((b.options as Json | undefined) ?? {}), num_predict: v } }),
  withStreamUsage: (b) => b,
  answers: (frame) => {
    const message = frame.message as Json | undefined;
    return [slot(0, message, "content", frame.done === true, toolNamesOf(message?.tool_calls))];
  },
  usage: ollamaUsage,
  doneMarker: undefined,
};

const ollamaGenerate: EndpointSpec = {
  ...ollamaChat,
  id: "ollama-generate",
  path: (s) => s.native?.generatePath,
  messages: (b) => [
    ...(typeof b.system === "string" ? [{ role: "system", content: b.system }] : []),
    { role: "user", content: typeof b.prompt === "string" ? b.prompt : "" },
  ],
  withMessages: (b, messages) => {
    const system = messages
      .filter((m) => m.role === "system")
      .map((m) => m.content)
      .join("\n\n");
    return {
      ...b,
      prompt: messages
        .filter((m) => m.role === "user")
        .map((m) => m.content)
        .join("\n"),
      ...(system ? { system } : {}),
    };
  },
  tools: () => [],
  answers: (frame) => [slot(0, frame, "response", frame.done === true, [])],
};

export const ENDPOINTS = {
  chat,
  completions,
  embeddings,
  "ollama-chat": ollamaChat,
  "ollama-generate": ollamaGenerate,
} as const;
