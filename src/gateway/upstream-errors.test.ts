import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { combineDetectors, createPiiDetector, createSecretsDetector, redact } from "../detect/index.js";
import {
  type SanitiseUpstreamOptions,
  sanitiseUpstreamMessage,
  UPSTREAM_FALLBACK_MESSAGE,
  UPSTREAM_MESSAGE_LIMIT,
} from "./upstream-errors.js";

const UPSTREAM_KEY = "tgi-Zx81kQp0vLm3Rt7YwB2nHc5J";
const CARD = "4111 1111 1111 1111";
const EMAIL = "jane.doe@example.com";

/** The gateway's redaction, as the proxy passes it (placeholders, PII and secrets detectors). */
let gatewayRedact: (text: string) => string;
const plain = (overrides: Partial<SanitiseUpstreamOptions> = {}): SanitiseUpstreamOptions => ({
  secrets: [UPSTREAM_KEY],
  redact: (t) => t,
  ...overrides,
});
const sanitise = (body: unknown, overrides: Partial<SanitiseUpstreamOptions> = {}) =>
  sanitiseUpstreamMessage(typeof body === "string" ? body : JSON.stringify(body), {
    ...plain({ redact: gatewayRedact }),
    ...overrides,
  });

/** Asserts none of `leaks` is in `text`. */
function assertClean(text: string, leaks: readonly string[]): void {
  for (const leak of leaks)
    assert.ok(!text.includes(leak), `${JSON.stringify(leak)} leaked in ${JSON.stringify(text)}`);
}

describe("sanitiseUpstreamMessage", () => {
  before(() => {
    const detector = combineDetectors([createPiiDetector(), createSecretsDetector()]);
    gatewayRedact = (text) => redact(text, detector.detect(text), { style: "placeholder" }).text;
  });

  describe("passes ordinary messages on unchanged", () => {
    const cases: [string, unknown, string][] = [
      [
        "vLLM context length (object: error)",
        {
          object: "error",
          message:
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
          type: "BadRequestError",
          param: null,
          code: 400,
        },
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
      ],
      [
        "Ollama model not found",
        { error: 'model "llama3:70b" not found, try pulling it first' },
        'model "llama3:70b" not found, try pulling it first',
      ],
      [
        "llama.cpp context size",
        {
          error: {
            code: 400,
            message: "the request exceeds the available context size, try increasing it",
            type: "exceed_context_size_error",
            n_prompt_tokens: 5000,
            n_ctx: 4096,
          },
        },
        "the request exceeds the available context size, try increasing it",
      ],
      [
        "TGI validation",
        {
          error:
            "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 1000 `max_new_tokens`",
          error_type: "validation",
        },
        "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 1000 `max_new_tokens`",
      ],
      [
        "FastAPI validation list",
        {
          detail: [
            { type: "missing", loc: ["body", "messages"], msg: "Field required", input: { prompt: CARD } },
            { type: "float_type", loc: ["body", "temperature"], msg: "Input should be a valid number" },
          ],
        },
        "messages: Field required; temperature: Input should be a valid number",
      ],
      [
        "OpenAI shape, times and versions kept",
        { error: { message: "rate window resets at 12:30; vLLM 0.6.3 and Basic authentication are not supported" } },
        "rate window resets at 12:30; vLLM 0.6.3 and Basic authentication are not supported",
      ],
    ];
    for (const [name, body, expected] of cases)
      it(name, () => {
        assert.equal(sanitise(body), expected);
      });
  });

  it("strips the upstream's own API key, plain and URL-encoded, from an OpenAI-shaped error", () => {
    const out = sanitise({
      error: {
        message: `Invalid API key ${UPSTREAM_KEY} (sent as ?key=${encodeURIComponent(`${UPSTREAM_KEY}/`)})`,
        type: "invalid_request_error",
      },
    });
    assertClean(out, [UPSTREAM_KEY, "Zx81kQp0"]);
    assert.match(out, /^Invalid API key <credential>/);
  });

  it("strips keys that look like credentials: Bearer, sk- (also masked), key=value", () => {
    const out = sanitise({
      error: {
        message:
          "litellm.AuthenticationError: OpenAIException - Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-proj-abc***************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.'}} header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl api_key='hf_AbCdEfGhIjKlMnOpQr'",
        type: "auth_error",
        param: "None",
        code: "401",
      },
    });
    assertClean(out, ["sk-proj", "wxyz", "eyJ", "hf_AbCd", "platform.openai.com"]);
    assert.match(out, /Error code: 401/);
  });

  it("replaces internal addresses: URLs, IPv4 and IPv6 literals, private hosts, host:port", () => {
    const out = sanitise({
      error:
        'Post "http://127.0.0.1:39261/completion": dial tcp 10.0.3.7:8000: connect: connection refused; ' +
        "also tried [fd00:10::5]:8000, ::1, fe80::1%eth0, vllm-b.internal, gpu-7.ns.svc.cluster.local, localhost:11434 and vllm:8000",
    });
    assertClean(out, [
      "127.0.0.1",
      "39261",
      "10.0.3.7",
      "fd00",
      "::1",
      "fe80",
      "vllm-b",
      "gpu-7",
      "localhost",
      "vllm:",
    ]);
    assert.match(out, /connection refused/);
    assert.match(out, /<address>/);
  });

  it("removes server file paths and Python and JS stack traces", () => {
    const python = sanitise({
      object: "error",
      message:
        'Traceback (most recent call last):\n  File "/opt/venv/lib/python3.11/site-packages/vllm/entrypoints/openai/serving_chat.py", line 162, in create_chat_completion\n    raise ValueError(prompt)\nValueError: cannot load /home/svc/models/llama-3-8b/tokenizer.json or C:\\Users\\svc\\models\\llama.gguf',
    });
    assertClean(python, ["Traceback", "/opt/venv", "serving_chat", "raise ValueError", "/home/svc", "C:\\Users"]);
    assert.equal(python, "ValueError: cannot load <path> or <path>");
    const js = sanitise({
      message:
        "Cannot read properties of undefined (reading 'content')\n    at handler (/app/server.js:42:13)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    });
    assert.equal(js, "Cannot read properties of undefined (reading 'content')");
    const ollama = sanitise({ error: "open /root/.ollama/models/blobs/sha256-4a1b: no such file or directory" });
    assert.equal(ollama, "open <path>: no such file or directory");
  });

  it("applies the gateway's redaction to PII the upstream echoes from the prompt", () => {
    const out = sanitise({
      object: "error",
      message: `[{'type': 'string_too_long', 'msg': 'String should have at most 10 characters', 'input': 'my card is ${CARD}, mail ${EMAIL}'}]`,
    });
    assertClean(out, [CARD, "4111", EMAIL]);
    assert.match(out, /String should have at most 10 characters/);
  });

  it("gives the fallback for a body that is not JSON or has no message, never its text", () => {
    const html =
      "<html><head><title>413 Request Entity Too Large</title></head><body>nginx/1.25.3 at 10.0.0.2</body></html>";
    assert.equal(sanitise(html), UPSTREAM_FALLBACK_MESSAGE);
    assert.equal(sanitise("Internal error: see /var/log/vllm.log"), UPSTREAM_FALLBACK_MESSAGE);
    assert.equal(sanitise({ status: "failed", trace_id: "abc" }), UPSTREAM_FALLBACK_MESSAGE);
    assert.equal(sanitise({ error: { message: "" } }), UPSTREAM_FALLBACK_MESSAGE);
    assert.equal(
      sanitise("", { fallback: "the upstream rejected the request (status 400)" }),
      "the upstream rejected the request (status 400)",
    );
  });

  it("gives the fallback when redaction fails", () => {
    const out = sanitiseUpstreamMessage(JSON.stringify({ error: "bad request" }), {
      ...plain(),
      redact: () => {
        throw new Error("detector down");
      },
    });
    assert.equal(out, UPSTREAM_FALLBACK_MESSAGE);
  });

  it("replaces the upstream's configured host names", () => {
    const out = sanitiseUpstreamMessage(JSON.stringify({ detail: "gpubox7 refused the model" }), {
      ...plain(),
      addresses: ["gpubox7"],
    });
    assert.equal(out, "<address> refused the model");
  });

  it(`caps the message at ${UPSTREAM_MESSAGE_LIMIT} characters, and a key past the cut is gone too`, () => {
    const out = sanitise({ error: { message: `${"word ".repeat(200)}${UPSTREAM_KEY}` } });
    assert.equal(out.length, UPSTREAM_MESSAGE_LIMIT);
    assert.ok(out.endsWith("…"));
    const straddling = sanitiseUpstreamMessage(
      JSON.stringify({ error: `${"x".repeat(UPSTREAM_MESSAGE_LIMIT - 5)} ${UPSTREAM_KEY}` }),
      plain(),
    );
    assertClean(straddling, [UPSTREAM_KEY.slice(0, 4)]);
  });

  it("takes linear time on a hostile megabyte", () => {
    for (const unit of ["a.", "1.", "a-", "a:1", "/home", "::", "Bearer ", "sk-", " at x\n"]) {
      const started = performance.now();
      sanitiseUpstreamMessage(JSON.stringify({ error: unit.repeat(1_000_000 / unit.length) }), plain());
      assert.ok(performance.now() - started < 500, `${JSON.stringify(unit)} took ${performance.now() - started} ms`);
    }
  });

  it("never lets a credential through, wherever the upstream puts it and whatever it is", () => {
    const shapes = [
      (m: string) => ({ error: { message: m, type: "invalid_request_error" } }),
      (m: string) => ({ error: m }),
      (m: string) => ({ object: "error", message: m }),
      (m: string) => ({ detail: m }),
      (m: string) => ({ detail: [{ loc: ["body", m], msg: m }] }),
      (m: string) => ({ error: { code: 400, message: m } }),
      (m: string) => m,
    ];
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 80 }),
        fc.string({ maxLength: 700 }),
        fc.string({ maxLength: 700 }),
        fc.integer({ min: 0, max: shapes.length - 1 }),
        (secret, before, after, shape) => {
          const body = JSON.stringify((shapes[shape] as (m: string) => unknown)(`${before}${secret}${after}`));
          const out = sanitiseUpstreamMessage(body, plain({ secrets: [secret] }));
          assert.ok(!out.includes(secret), JSON.stringify({ secret, out }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("leaves no long piece of a realistic key, even next to the length cap", () => {
    const keyChars = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    fc.assert(
      fc.property(
        fc.string({ unit: keyChars, minLength: 20, maxLength: 64 }),
        fc.string({ maxLength: 1200 }),
        fc.string({ maxLength: 200 }),
        (secret, before, after) => {
          const out = sanitiseUpstreamMessage(
            JSON.stringify({ error: `${before}${secret}${after}` }),
            plain({ secrets: [secret] }),
          );
          for (let i = 0; i + 12 <= secret.length; i++)
            assert.ok(!out.includes(secret.slice(i, i + 12)), JSON.stringify({ secret, out }));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
