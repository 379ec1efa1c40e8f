/**
 * The endpoint under test, spoken to with the official `openai` client (Chat Completions API,
 * https://platform.openai.com/docs/api-reference/chat), so probes reach it exactly as an
 * application's requests do: directly at an inference server, or through the Palisade gateway.
 */
import OpenAI from "openai";
import { PalisadeError, redactUrl } from "../core/index.js";
import type { ProbeMessage } from "./generate.js";
import type { Answer } from "./judge.js";
import type { ToolSpec } from "./pack.js";

/** What the target did with one probe. */
export type TargetReply =
  | { kind: "answered"; answer: Answer }
  /** The target refused the request (a 4xx other than auth, not-found and rate limits): a guard said no. */
  | { kind: "blocked"; status: number; code: string | null; message: string }
  /** No verdict: the target failed, timed out or rate-limited us. */
  | { kind: "error"; message: string };

/** One probe as a request. */
export interface TargetRequest {
  messages: ProbeMessage[];
  tools: readonly ToolSpec[];
  maxTokens?: number;
}

/** An OpenAI-compatible endpoint. */
export interface RedteamTarget {
  /** The target's URL, credentials removed. */
  readonly url: string;
  /** HTTP requests sent so far. */
  readonly requests: number;
  /** The model to probe: the one given, else the first the target lists. */
  resolveModel(model?: string): Promise<string>;
  send(model: string, request: TargetRequest, signal?: AbortSignal): Promise<TargetReply>;
}

export interface OpenAiTargetOptions {
  /** Base URL: `http://host:port` or `http://host:port/v1`. */
  url: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** The client's base URL: the OpenAI API lives under /v1 unless the URL names a path. */
export function toBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new PalisadeError("bad-usage", `target must be an http(s) URL, got ${redactUrl(url)}`, { input: url, cause });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new PalisadeError("bad-usage", `target must be an http(s) URL, got ${redactUrl(url)}`, { input: url });
  const path = parsed.pathname.replace(/\/+$/, "");
  parsed.pathname = path === "" ? "/v1" : path;
  return parsed.toString().replace(/\/+$/, "");
}

function toTools(tools: readonly ToolSpec[]): OpenAI.Chat.Completions.ChatCompletionTool[] {
  return tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      description: t.description,
      parameters: {
        type: "object",
        properties: Object.fromEntries(
          Object.entries(t.parameters).map(([k, d]) => [k, { type: "string", description: d }]),
        ),
      },
    },
  }));
}

/** Statuses that say "you may not" or "this request is refused", as opposed to "try later" or "wrong address". */
function isRefusalStatus(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 404, 408, 429].includes(status);
}

export function createOpenAiTarget(options: OpenAiTargetOptions): RedteamTarget {
  const baseURL = toBaseUrl(options.url);
  const client = new OpenAI({
    baseURL,
    // Local inference servers take any key; the client insists on one.
    apiKey: options.apiKey ?? "no-key",
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
  });
  let requests = 0;
  return {
    url: redactUrl(baseURL),
    get requests() {
      return requests;
    },
    async resolveModel(model) {
      if (model) return model;
      requests++;
      try {
        for await (const m of client.models.list()) return m.id;
      } catch (cause) {
        throw new PalisadeError(
          "upstream-unavailable",
          `cannot list the models of ${redactUrl(baseURL)} (${(cause as Error).message}); name one with --model`,
          { input: options.url, cause },
        );
      }
      throw new PalisadeError("bad-input", `${redactUrl(baseURL)} lists no model; name one with --model`, {
        input: options.url,
      });
    },
    async send(model, request, signal) {
      requests++;
      try {
        const completion = await client.chat.completions.create(
          {
            model,
            messages: request.messages as OpenAI.Chat.Completions.ChatCompletionMessageParam[],
            ...(request.tools.length > 0 ? { tools: toTools(request.tools) } : {}),
            ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
          },
          signal ? { signal } : {},
        );
        const message = completion.choices[0]?.message;
        const toolCalls = (message?.tool_calls ?? []).flatMap((c) =>
          c.type === "function" ? [{ name: c.function.name, arguments: c.function.arguments }] : [],
        );
        return {
          kind: "answered",
          answer: {
            text: message?.content ?? "",
            toolCalls,
            ...(completion.usage ? { completionTokens: completion.usage.completion_tokens } : {}),
          },
        };
      } catch (error) {
        if (error instanceof OpenAI.APIError && error.status !== undefined && isRefusalStatus(error.status))
          return {
            kind: "blocked",
            status: error.status,
            code: typeof error.code === "string" ? error.code : null,
            message: error.message,
          };
        return { kind: "error", message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
