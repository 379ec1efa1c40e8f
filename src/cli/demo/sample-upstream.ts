/**
 * The built-in sample model `palisade up --demo` puts behind the gateway when no upstream is
 * given: an OpenAI-compatible server on loopback (chat completions, JSON and SSE, and the model
 * list) whose answers are canned but shaped by the prompt, so the demo's traffic shows what the
 * guards do to answers as well as prompts. It is not a model and never pretends to be one: every
 * answer says it comes from the sample upstream.
 */
import { createServer, type IncomingMessage } from "node:http";
import { listenOn } from "../../core/index.js";

export const SAMPLE_MODELS = ["llama3.1:8b", "mistralai/Mistral-7B-Instruct-v0.3"] as const;
const MAX_BODY = 1024 * 1024;

export interface SampleUpstream {
  url: string;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  return typeof last?.content === "string" ? last.content : "";
}

/** What the sample "model" says: a contact card when asked for one (personal data in an answer), else a summary line. */
export function sampleAnswer(prompt: string): string {
  if (/\b(contact|e-?mail|reach)\b/i.test(prompt))
    return "Sample upstream: the account manager is Dana Fischer, dana.fischer@example.com, +1 415 555 0142.";
  const topic = prompt.replace(/\s+/g, " ").trim().slice(0, 80);
  return `Sample upstream: a canned answer about "${topic}". Connect a real model with --upstream URL.`;
}

export async function startSampleUpstream(host = "127.0.0.1"): Promise<SampleUpstream> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method === "GET" && req.url === "/v1/models") {
      reply(200, {
        object: "list",
        data: SAMPLE_MODELS.map((id) => ({ id, object: "model", owned_by: "palisade-demo" })),
      });
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      req.resume();
      reply(404, {
        error: {
          message: "the sample upstream serves /v1/chat/completions and /v1/models",
          type: "invalid_request_error",
        },
      });
      return;
    }
    readJson(req).then(
      (body) => {
        const model = typeof body.model === "string" ? body.model : SAMPLE_MODELS[0];
        const prompt = lastUserText(body);
        const text = sampleAnswer(prompt);
        const usage = {
          prompt_tokens: Math.max(1, Math.ceil(prompt.length / 4)),
          completion_tokens: Math.ceil(text.length / 4),
          total_tokens: Math.max(1, Math.ceil(prompt.length / 4)) + Math.ceil(text.length / 4),
        };
        const base = { id: `chatcmpl-sample-${Date.now()}`, created: Math.floor(Date.now() / 1000), model };
        if (body.stream === true) {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          const chunk = (delta: Record<string, unknown>, finish: string | null) =>
            `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
          res.write(chunk({ role: "assistant", content: "" }, null));
          for (const word of text.match(/\S+\s*/g) ?? []) res.write(chunk({ content: word }, null));
          res.write(chunk({}, "stop"));
          res.end("data: [DONE]\n\n");
          return;
        }
        reply(200, {
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage,
        });
      },
      () => reply(400, { error: { message: "the body is not JSON", type: "invalid_request_error" } }),
    );
  });
  const { url } = await listenOn(server, host, 0);
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
