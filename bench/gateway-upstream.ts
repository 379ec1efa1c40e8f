/**
 * The benchmark's inference server: a minimal OpenAI-compatible upstream that answers at once,
 * so whatever time a gateway adds is the gateway's own. `POST /v1/chat/completions` answers:
 *   - any model but `bench-prose`: a fixed ~500-character text (with one e-mail address, so
 *     answer guards have work), as one JSON body, or (`stream: true`) as OpenAI's SSE wire format,
 *     one event per token-sized delta, all written at once;
 *   - model `bench-prose` (PROSE_MODEL): a ~2 KB answer of ordinary English with no PII, streamed
 *     the way a model produces it, PROSE_DELTA_CHARS characters per delta with PROSE_DELAY_MS
 *     between deltas, for time-to-first-token measurements.
 * A stream is a role chunk, content deltas, a finish chunk, a usage chunk when
 * `stream_options.include_usage` is set, then `[DONE]`; each event is its own socket write.
 *
 * Run as a child of bench/gateway.ts: `node --import tsx bench/gateway-upstream.ts PORT`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** The answer every request gets; it carries one e-mail address so answer guards have work. */
export const ANSWER =
  "Thanks for the details. I checked the order history you described and the refund was issued on the " +
  "twelfth; banks usually take three to five working days to show it. If it has not arrived by Friday, " +
  "reply to this thread or write to billing.team@example.org and quote the ticket number so we can trace " +
  "the payment with our provider. In the meantime there is nothing else you need to do. I have also " +
  "switched your subscription to the annual plan as requested, so the next invoice will reflect the " +
  "discount. Let me know if anything else looks wrong.";

/** The model name that selects the slow, PII-free prose answer. */
export const PROSE_MODEL = "bench-prose";

/** About 2 KB of ordinary English with nothing for a guard to act on: no PII, no secrets, no digits. */
export const PROSE_ANSWER =
  "Keeping houseplants healthy through the colder months is mostly a matter of paying attention to light, " +
  "water and air. As the days grow shorter, most plants slow their growth and need far less water than " +
  "they did in summer, so the most common mistake is to keep watering on the same schedule. Before you " +
  "water, push a finger into the soil up to the second knuckle; if it still feels damp, wait a few more " +
  "days and check again. Pots without drainage holes deserve extra care, because water that collects at " +
  "the bottom will quietly rot the roots long before the leaves show any sign of trouble. Light matters " +
  "just as much. Move plants closer to the brightest window you have, but keep their leaves from touching " +
  "the cold glass, and give each pot a quarter turn every week so that the stems grow straight instead of " +
  "leaning toward the sun. Heating dries the air in most homes, which many tropical plants dislike; " +
  "grouping them together, standing them on a tray of damp pebbles or running a small humidifier nearby " +
  "all help. Hold off on fertiliser until spring, when new leaves appear and the plant can actually use " +
  "the extra nutrients. Winter is also a good time to look closely for pests, since they spread easily " +
  "when plants sit close together indoors. Check the undersides of leaves and the places where stems " +
  "meet, and wipe away anything sticky or powdery with a soft cloth and a little soapy water. If a plant " +
  "drops a few leaves after being moved, there is no need to worry; most recover within a couple of weeks " +
  "once they adjust to the new spot. Water in the morning rather than at night, so that any drops left on " +
  "the leaves can dry before the room cools down. Finally, resist the urge to repot during the dark months unless the " +
  "roots are circling the pot so tightly that water runs straight through. A plant that is left mostly " +
  "alone, kept in good light and watered only when it needs it will usually come through the winter in " +
  "fine shape, and it will reward you with fresh growth as soon as the days begin to lengthen again.";

/** Characters per streamed prose delta, cycled (4 to 8, about a token or two each). */
export const PROSE_DELTA_CHARS = [5, 7, 4, 8, 6] as const;
/** Pause between two prose deltas, as a model generating tokens would leave. */
export const PROSE_DELAY_MS = 5;

/** Token-sized pieces of the answer (a word and its trailing space, ~5 characters each). */
const DELTAS = ANSWER.match(/\S+\s*/g) ?? [ANSWER];
const PROSE_DELTAS = ((): string[] => {
  const out: string[] = [];
  for (let at = 0, i = 0; at < PROSE_ANSWER.length; i++) {
    const size = PROSE_DELTA_CHARS[i % PROSE_DELTA_CHARS.length] ?? 6;
    out.push(PROSE_ANSWER.slice(at, at + size));
    at += size;
  }
  return out;
})();
const PROMPT_TOKENS = 250;

interface Answer {
  text: string;
  deltas: readonly string[];
  /** Pause before every content delta after the first. */
  delayMs: number;
}

const ANSWERS = {
  ticket: { text: ANSWER, deltas: DELTAS, delayMs: 0 },
  prose: { text: PROSE_ANSWER, deltas: PROSE_DELTAS, delayMs: PROSE_DELAY_MS },
} satisfies Record<string, Answer>;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

const usageOf = (answer: Answer) => ({
  prompt_tokens: PROMPT_TOKENS,
  completion_tokens: answer.deltas.length,
  total_tokens: PROMPT_TOKENS + answer.deltas.length,
});

function answerWhole(res: ServerResponse, model: string, answer: Answer): void {
  const body = JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [
      { index: 0, message: { role: "assistant", content: answer.text }, finish_reason: "stop", logprobs: null },
    ],
    usage: usageOf(answer),
  });
  res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

async function answerStream(
  res: ServerResponse,
  options: { model: string; answer: Answer; includeUsage: boolean },
): Promise<void> {
  const { model, answer, includeUsage } = options;
  let gone = false;
  res.once("close", () => {
    gone = true;
  });
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model };
  const event = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const [i, content] of answer.deltas.entries()) {
    if (i > 0 && answer.delayMs > 0) await sleep(answer.delayMs);
    if (gone) return;
    event({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] });
  }
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  if (includeUsage) event({ ...base, choices: [], usage: usageOf(answer) });
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
    readBody(req)
      .then(
        async (body) => {
          const model = typeof body.model === "string" ? body.model : "bench-model";
          const answer = model === PROSE_MODEL ? ANSWERS.prose : ANSWERS.ticket;
          const options = body.stream_options as { include_usage?: unknown } | undefined;
          if (body.stream === true)
            await answerStream(res, { model, answer, includeUsage: options?.include_usage === true });
          else answerWhole(res, model, answer);
        },
        () => {
          res.writeHead(400, { "content-type": "application/json" });
          res.end('{"error":{"message":"bad JSON","type":"invalid_request_error"}}');
        },
      )
      .catch(() => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? "0");
  await startBenchUpstream(port);
  process.on("SIGTERM", () => process.exit(0));
}
