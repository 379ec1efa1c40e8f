/**
 * The benchmark's inference server: a minimal OpenAI-compatible upstream that answers at once,
 * so whatever time a gateway adds is the gateway's own. `POST /v1/chat/completions` answers a
 * fixed ~500-character text: as one JSON body, or (`stream: true`) as OpenAI's SSE wire format,
 * one event per token-sized delta (role chunk, content deltas, finish chunk, a usage chunk when
 * `stream_options.include_usage` is set, `[DONE]`), each event its own socket write.
 *
 * Run as a child of bench/gateway.ts: `node --import tsx bench/gateway-upstream.ts PORT`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** The answer every request gets; it carries one e-mail address so answer guards have work. */
export const ANSWER =
  "Thanks for the details. I checked the order history you described and the refund was issued on the " +
  "twelfth; banks usually take three to five working days to show it. If it has not arrived by Friday, " +
  "reply to this thread or write to billing.team@example.org and quote the ticket number so we can trace " +
  "the payment with our provider. In the meantime there is nothing else you need to do. I have also " +
  "switched your subscription to the annual plan as requested, so the next invoice will reflect the " +
  "discount. Let me know if anything else looks wrong.";

/** Token-sized pieces of the answer (a word and its trailing space, ~5 characters each). */
const DELTAS = ANSWER.match(/\S+\s*/g) ?? [ANSWER];
const PROMPT_TOKENS = 250;
const COMPLETION_TOKENS = DELTAS.length;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

function answerWhole(res: ServerResponse, model: string): void {
  const body = JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: ANSWER }, finish_reason: "stop", logprobs: null }],
    usage: {
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: COMPLETION_TOKENS,
      total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS,
    },
  });
  res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

function answerStream(res: ServerResponse, model: string, includeUsage: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model };
  const event = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const content of DELTAS) event({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] });
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  if (includeUsage)
    event({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: PROMPT_TOKENS,
        completion_tokens: COMPLETION_TOKENS,
        total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS,
      },
    });
  res.end("data: [DONE]\n\n");
}

/** Start the upstream on 127.0.0.1:port. */
export function startBenchUpstream(port: number): Promise<void> {
  const server = createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url === "/v1/models" ? '{"object":"list","data":[{"id":"bench-model","object":"model"}]}' : "{}");
      return;
    }
    readBody(req).then(
      (body) => {
        const model = typeof body.model === "string" ? body.model : "bench-model";
        const options = body.stream_options as { include_usage?: unknown } | undefined;
        if (body.stream === true) answerStream(res, model, options?.include_usage === true);
        else answerWhole(res, model);
      },
      () => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end('{"error":{"message":"bad JSON","type":"invalid_request_error"}}');
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? "0");
  await startBenchUpstream(port);
  process.on("SIGTERM", () => process.exit(0));
}
