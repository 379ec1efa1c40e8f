/**
 * An upstream whose next answers are set by the test, byte for byte: a JSON body, SSE frames
 * or NDJSON lines, with any status. Attack tests use it to send what a compromised or chatty
 * model server would, in every field the wire formats have.
 */
import { createServer, type Server } from "node:http";

export type ScriptedAnswer =
  | { json: unknown; status?: number }
  | { sse: unknown[] }
  | { ndjson: unknown[] }
  | { raw: string; status: number; contentType?: string };

export interface ScriptedUpstream {
  url: string;
  /** Request bodies received, in order. */
  received: Record<string, unknown>[];
  /** Answer the next request(s) with these, in order; when empty, a plain chat answer. */
  next(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

const PLAIN: ScriptedAnswer = { json: { id: "c", object: "chat.completion", created: 1, model: "m", choices: [] } };

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const received: Record<string, unknown>[] = [];
  const queue: ScriptedAnswer[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    if (req.method === "POST") received.push(text ? (JSON.parse(text) as Record<string, unknown>) : {});
    if (req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "m", object: "model" }] }));
      return;
    }
    const answer = queue.shift() ?? PLAIN;
    if ("json" in answer) {
      res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.json));
    } else if ("sse" in answer) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const frame of answer.sse) res.write(`data: ${JSON.stringify(frame)}\n\n`);
      res.end("data: [DONE]\n\n");
    } else if ("ndjson" in answer) {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      for (const frame of answer.ndjson) res.write(`${JSON.stringify(frame)}\n`);
      res.end();
    } else {
      res.writeHead(answer.status, { "content-type": answer.contentType ?? "application/json" });
      res.end(answer.raw);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    next: (...answers) => queue.push(...answers),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** OpenAI stream chunks for one choice: deltas, then a finish chunk. */
export function chatChunks(deltas: Record<string, unknown>[], finish = "stop", extra: Record<string, unknown> = {}) {
  const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
  return [
    ...deltas.map((delta) => ({ ...base, choices: [{ index: 0, delta, finish_reason: null, ...extra }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] },
  ];
}

/** A whole OpenAI chat answer with this message. */
export function chatAnswer(message: Record<string, unknown>, choice: Record<string, unknown> = {}) {
  return {
    json: {
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop", ...choice }],
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    },
  };
}
