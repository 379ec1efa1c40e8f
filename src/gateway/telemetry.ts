/**
 * OpenTelemetry spans for gateway requests, with the GenAI semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/gen-ai/). Through @opentelemetry/api only: without
 * a registered provider (no exporter configured) every call is a no-op. The CLI registers an
 * OTLP/HTTP exporter when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set.
 */
import { context, type Span, SpanKind, SpanStatusCode, TraceFlags, trace } from "@opentelemetry/api";

const tracer = () => trace.getTracer("palisade-gateway");

/** W3C traceparent: version-traceid-spanid-flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const OPERATIONS: Record<string, string> = {
  chat: "chat",
  completions: "text_completion",
  embeddings: "embeddings",
  "ollama-chat": "chat",
  "ollama-generate": "text_completion",
};

export interface RequestSpan {
  span: Span;
  /** GenAI operation name: chat, text_completion, embeddings. */
  operation: string;
}

/** Start the span of one request, as a child of the caller's trace when it sent a traceparent. */
export function startRequestSpan(endpoint: string, traceparent: string | undefined): RequestSpan {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  const parent = m
    ? trace.setSpanContext(context.active(), {
        traceId: m[1] as string,
        spanId: m[2] as string,
        traceFlags: Number.parseInt(m[3] as string, 16) & TraceFlags.SAMPLED,
        isRemote: true,
      })
    : context.active();
  const operation = OPERATIONS[endpoint] ?? endpoint;
  const span = tracer().startSpan(
    operation,
    { kind: SpanKind.SERVER, attributes: { "gen_ai.operation.name": operation } },
    parent,
  );
  return { span, operation };
}

export interface RequestSpanEnd {
  model?: string;
  upstream?: { name: string; kind: string; url: string };
  status: number;
  usage?: { prompt: number; completion: number };
  maxTokens?: number;
  identity?: string;
  guards: { guard: string; direction: string; outcome: string }[];
}

export function endRequestSpan({ span, operation }: RequestSpan, end: RequestSpanEnd): void {
  if (!span.isRecording()) {
    span.end();
    return;
  }
  // Semantic conventions name GenAI spans "{operation} {model}".
  if (end.model) span.updateName(`${operation} ${end.model}`);
  span.setAttributes({
    ...(end.model ? { "gen_ai.request.model": end.model } : {}),
    ...(end.upstream
      ? {
          "gen_ai.system": end.upstream.kind,
          "server.address": new URL(end.upstream.url).hostname,
          "palisade.upstream": end.upstream.name,
        }
      : {}),
    ...(end.maxTokens === undefined ? {} : { "gen_ai.request.max_tokens": end.maxTokens }),
    ...(end.usage
      ? { "gen_ai.usage.input_tokens": end.usage.prompt, "gen_ai.usage.output_tokens": end.usage.completion }
      : {}),
    "http.response.status_code": end.status,
    ...(end.identity ? { "palisade.identity": end.identity } : {}),
    "palisade.guards": end.guards.map((g) => `${g.guard}/${g.direction}:${g.outcome}`),
  });
  if (end.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
