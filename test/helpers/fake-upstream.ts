/**
 * A test inference server speaking the real wire formats: OpenAI JSON and SSE (role chunk,
 * content deltas, tool-call deltas, finish chunk, usage chunk when asked, [DONE]) and Ollama
 * NDJSON. What it answers is scripted by the last user message:
 *   "say: TEXT"            answer TEXT
 *   "say[chunk=N]: TEXT"   stream TEXT in N-character deltas
 *   "tool: NAME"           answer with a call of tool NAME
 *   "die: TEXT"            stream half of TEXT, then drop the connection
 *   "slow: TEXT"           stream TEXT one character every 50 ms (for client aborts)
 * A `64` after the verb ("say64[chunk=3]: BASE64") means TEXT is base64: tests that need PII in
 * the answer use it, so the prompt guard cannot see (and redact) the PII on the way in.
 * Anything else is answered with "Hello from upstream".
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface FakeUpstream {
  url: string;
  /** Request bodies received, in order. */
  received: Record<string, unknown>[];
  /** Streams the client went away from before they ended. */
  aborted: number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function script(b: Record<string, unknown>): { kind: "say" | "tool" | "die" | "slow"; text: string; chunk: number } {
  const messages = (b.messages as { role: string; content: unknown }[] | undefined) ?? [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const prompt = typeof last?.content === "string" ? last.content : typeof b.prompt === "string" ? b.prompt : "";
  const m = /^(say|tool|die|slow)(64)?(?:\[chunk=(\d+)\])?:\s?([\s\S]*)$/.exec(prompt);
  if (!m) return { kind: "say", text: "Hello from upstream", chunk: 4 };
  const text = m[2] ? Buffer.from(m[4] ?? "", "base64").toString("utf8") : (m[4] ?? "");
  return { kind: m[1] as "say", text, chunk: Number(m[3] ?? 4) };
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const state = { received: [] as Record<string, unknown>[], aborted: 0 };
  const server: Server = createServer(async (req, res) => {
    const b = req.method === "POST" ? await body(req) : {};
    if (req.method === "POST") state.received.push(b);
    const model = String(b.model ?? "test-model");
    const s = script(b);
    const usage = {
      prompt_tokens: 11,
      completion_tokens: Math.ceil(s.text.length / 4),
      total_tokens: 11 + Math.ceil(s.text.length / 4),
    };
    const base = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 1_700_000_000, model };

    if (req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "test-model", object: "model" }] }));
      return;
    }
    if (req.url === "/v1/embeddings") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
          model,
          usage: { prompt_tokens: 3, total_tokens: 3 },
        }),
      );
      return;
    }
    if (req.url === "/api/chat") {
      const stream = b.stream !== false;
      if (!stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            model,
            message: { role: "assistant", content: s.text },
            done: true,
            prompt_eval_count: 5,
            eval_count: 7,
          }),
        );
        return;
      }
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      for (let i = 0; i < s.text.length; i += s.chunk)
        res.write(
          `${JSON.stringify({ model, message: { role: "assistant", content: s.text.slice(i, i + s.chunk) }, done: false })}\n`,
        );
      res.end(
        `${JSON.stringify({ model, message: { role: "assistant", content: "" }, done: true, prompt_eval_count: 5, eval_count: 7 })}\n`,
      );
      return;
    }
    if (req.url !== "/v1/chat/completions" && req.url !== "/v1/completions") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
      return;
    }
    const completions = req.url === "/v1/completions";
    const toolCalls =
      s.kind === "tool"
        ? [{ index: 0, id: "call_1", type: "function", function: { name: s.text, arguments: "{}" } }]
        : undefined;
    if (b.stream !== true) {
      res.writeHead(200, { "content-type": "application/json" });
      const choice = completions
        ? { index: 0, text: s.text, finish_reason: "stop" }
        : {
            index: 0,
            message: {
              role: "assistant",
              content: s.kind === "tool" ? null : s.text,
              ...(toolCalls ? { tool_calls: toolCalls.map(({ index: _i, ...c }) => c) } : {}),
            },
            finish_reason: toolCalls ? "tool_calls" : "stop",
          };
      res.end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: completions ? "text_completion" : "chat.completion",
          created: 1_700_000_000,
          model,
          choices: [choice],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    let closed = false;
    res.on("close", () => {
      if (!res.writableFinished) {
        closed = true;
        state.aborted++;
      }
    });
    const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    const delta = (d: Record<string, unknown>, finish: string | null = null) =>
      completions
        ? { ...base, object: "text_completion", choices: [{ index: 0, text: d.content ?? "", finish_reason: finish }] }
        : { ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] };
    if (!completions) send(delta({ role: "assistant", content: "" }));
    if (toolCalls) {
      send(delta({ tool_calls: toolCalls }));
    } else {
      const text = s.kind === "die" ? s.text.slice(0, Math.floor(s.text.length / 2)) : s.text;
      for (let i = 0; i < text.length && !closed; i += s.chunk) {
        send(delta({ content: text.slice(i, i + s.chunk) }));
        if (s.kind === "slow") await new Promise((r) => setTimeout(r, 50));
      }
      if (s.kind === "die") {
        // Let the first half reach the client, then drop the connection mid-answer.
        await new Promise((r) => setTimeout(r, 50));
        res.socket?.destroy();
        return;
      }
    }
    send(delta({}, toolCalls ? "tool_calls" : "stop"));
    const options = b.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) send({ ...base, choices: [], usage });
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received: state.received,
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
