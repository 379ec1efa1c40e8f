/**
 * Attacks on the AI gateway's edges, each sent as an attacker sends it: forged or never-expiring
 * tokens, bodies that trickle in after a refusal (slow-loris), JSON built to be echoed back, and
 * an upstream whose error messages carry what must not leave the network. The gateway is the
 * shipped composition root (`startGateway` of `palisade gateway`, configured by a palisade.yaml),
 * reached over real sockets.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startGateway } from "../../src/cli/commands/gateway.js";
import { createContext } from "../../src/cli/context.js";
import { OPEN_POLICY } from "../helpers/gateway.js";
import { nowSeconds, startOidcProvider, type TestOidcProvider } from "../helpers/oidc.js";
import { sendSlowly } from "../helpers/slow-client.js";

const BODY_TIMEOUT_MS = 1200;
const IDLE_TIMEOUT_MS = 400;
const LEEWAY_SECONDS = 30;
const UPSTREAM_KEY_ENV = "PALISADE_ATTACK_TEST_UPSTREAM_KEY";
const UPSTREAM_KEY = "vllm-Q3k9Zr7TbW1xLp5Nc8Hd2Fm";
const CARD = "4111 1111 1111 1111";
const EMAIL = "jane.doe@example.com";
const INTERNAL_URL = "http://vllm-gpu-3.ml.svc.cluster.local:8000/v1/chat/completions";

/**
 * An inference server that answers a chat completion, except for a prompt containing "leak",
 * answered with a 400 in vLLM's shape that carries a stack trace, its own API key, an internal
 * URL and the PII of some earlier request.
 */
async function startLeakyUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    if (text.includes("leak")) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "error",
          message:
            `Traceback (most recent call last):\n  File "/opt/vllm/vllm/entrypoints/openai/serving_chat.py", line 182, in create_chat_completion\n    raise ValueError(msg)\n` +
            `ValueError: forwarding to ${INTERNAL_URL} with Authorization: Bearer ${UPSTREAM_KEY} failed for cached request ` +
            `'please charge ${CARD} and mail ${EMAIL}'`,
          type: "BadRequestError",
          param: null,
          code: 400,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1_700_000_000,
        model: "m",
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface OpenAiError {
  error: { message: string; type: string; param: string | null; code: string };
}

describe("gateway edge attacks", () => {
  let idp: TestOidcProvider;
  let upstream: Awaited<ReturnType<typeof startLeakyUpstream>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let url: string;
  let port: number;
  /** A valid token, as the attacker's stolen or own credentials. */
  let token: string;

  const chat = (body: string, authorization: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });
  const hello = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hello" }] });

  before(async () => {
    idp = await startOidcProvider();
    upstream = await startLeakyUpstream();
    const dir = mkdtempSync(join(tmpdir(), "palisade-attack-"));
    writeFileSync(join(dir, "policy.yaml"), OPEN_POLICY);
    writeFileSync(
      join(dir, "palisade.yaml"),
      `gateway:
  listen: 127.0.0.1:0
  policy: [${join(dir, "policy.yaml")}]
  upstreams:
    - { name: gpu, kind: vllm, url: "${upstream.url}", apiKeyEnv: ${UPSTREAM_KEY_ENV} }
  auth:
    apiKeys: true
    oidc: { issuer: "${idp.issuer}", jwksUrl: "${idp.jwksUrl}", audience: ${idp.audience}, leewaySeconds: ${LEEWAY_SECONDS} }
  bodyTimeoutMs: ${BODY_TIMEOUT_MS}
  idleTimeoutMs: ${IDLE_TIMEOUT_MS}
  audit: { spoolDir: "${join(dir, "spool")}" }
`,
    );
    process.env[UPSTREAM_KEY_ENV] = UPSTREAM_KEY;
    const ctx = createContext(
      { config: join(dir, "palisade.yaml"), db: join(dir, "palisade.db"), logLevel: "silent" },
      {},
    );
    gateway = await startGateway(ctx, { auth: true });
    port = gateway.address.port;
    url = `http://127.0.0.1:${port}`;
    token = await idp.token({ exp: nowSeconds() + 600 });
  });
  after(async () => {
    await gateway.close(1000);
    await upstream.close();
    await idp.close();
    delete process.env[UPSTREAM_KEY_ENV];
  });

  it("refuses a validly signed JWT without exp (a token that never expires) with 401 in OpenAI's shape", async () => {
    const forever = await idp.token({ exp: null });
    const response = await chat(hello, `Bearer ${forever}`);
    assert.equal(response.status, 401);
    const { error } = (await response.json()) as OpenAiError;
    assert.equal(error.type, "authentication_error");
    assert.equal(error.code, "invalid_api_key");
    assert.equal(error.param, null);
    assert.equal(typeof error.message, "string");
  });

  it("refuses a JWT expired beyond the configured leeway, and accepts one within it", async () => {
    const stale = await chat(hello, `Bearer ${await idp.token({ exp: nowSeconds() - LEEWAY_SECONDS - 30 })}`);
    assert.equal(stale.status, 401);
    assert.equal(((await stale.json()) as OpenAiError).error.code, "invalid_api_key");
    const skewed = await chat(hello, `Bearer ${await idp.token({ exp: nowSeconds() - 5 })}`);
    assert.equal(skewed.status, 200);
    await skewed.body?.cancel();
  });

  it("disconnects a refused caller who keeps trickling a body after the 401, within the idle timeout", async () => {
    const result = await sendSlowly({
      port,
      headers: {
        authorization: "Bearer pal_stolen-or-guessed",
        "content-type": "application/json",
        "content-length": "1000000",
      },
      body: '{"model":"m","messages":[',
      drip: { byte: " ", everyMs: 50 },
      giveUpMs: IDLE_TIMEOUT_MS * 5,
    });
    assert.equal(result.status, 401);
    assert.ok(result.answeredAfterMs !== undefined);
    assert.ok(
      result.closedAfterMs !== undefined && result.closedAfterMs <= result.answeredAfterMs + IDLE_TIMEOUT_MS,
      `still connected ${IDLE_TIMEOUT_MS * 5} ms later, having sent ${result.sent} bytes`,
    );
  });

  it("answers 408 to an authenticated caller whose body trickles past the body deadline, and disconnects it", async () => {
    const result = await sendSlowly({
      port,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": "100000" },
      body: '{"model":"m","messages":[',
      drip: { byte: " ", everyMs: IDLE_TIMEOUT_MS / 4 },
      giveUpMs: BODY_TIMEOUT_MS * 3,
    });
    assert.equal(result.status, 408, `no 408 within ${BODY_TIMEOUT_MS * 3} ms`);
    const { error } = JSON.parse(result.body) as OpenAiError;
    assert.equal(error.code, "request_timeout");
    assert.equal(error.type, "invalid_request_error");
    assert.ok(result.closedAfterMs !== undefined, "the connection was closed after the 408");
  });

  it("answers 408 to an authenticated caller who stalls half-way through its body, after the idle timeout", async () => {
    const result = await sendSlowly({
      port,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": "5000" },
      body: '{"model":"m","messages":[{"role":"user","content":"hel',
      giveUpMs: BODY_TIMEOUT_MS * 2,
    });
    assert.equal(result.status, 408, `no 408 within ${BODY_TIMEOUT_MS * 2} ms`);
    assert.ok(result.answeredAfterMs !== undefined && result.answeredAfterMs < BODY_TIMEOUT_MS);
    assert.ok(result.closedAfterMs !== undefined, "the connection was closed after the 408");
  });

  it("refuses invalid JSON holding a card number without echoing any of it", async () => {
    const response = await chat(`{"model":"m","messages":[],card: ${CARD}, "cvc": 737}`, `Bearer ${token}`);
    assert.equal(response.status, 400);
    const text = await response.text();
    const { error } = JSON.parse(text) as OpenAiError;
    assert.equal(error.code, "invalid_json");
    assert.match(error.message, /position \d+/);
    for (const leak of ["4111", "1111", "card", "737"]) assert.ok(!text.includes(leak), `${leak} in ${text}`);
  });

  it("passes on an upstream 400 without its API key, internal URL, stack trace, card number or e-mail", async () => {
    const response = await chat(
      JSON.stringify({ model: "m", messages: [{ role: "user", content: "please leak" }] }),
      `Bearer ${token}`,
    );
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.equal((JSON.parse(text) as OpenAiError).error.type, "invalid_request_error");
    for (const leak of [
      UPSTREAM_KEY,
      "vllm-Q3k9",
      "svc.cluster.local",
      "vllm-gpu-3",
      "/opt/vllm",
      "serving_chat",
      CARD,
      "4111",
      EMAIL,
    ])
      assert.ok(!text.includes(leak), `${leak} reached the client: ${text}`);
  });
});
