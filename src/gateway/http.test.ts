import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { sendSlowly } from "../../test/helpers/slow-client.js";
import { GatewayError, sendError } from "./errors.js";
import { discardBody, readJson, sendJson } from "./http.js";

const TIMEOUTS = { totalMs: 800, idleMs: 250 };
const LIMIT = 1024;
const CARD = "4111 1111 1111 1111";

/**
 * Routes: `/json` reads a JSON body and answers through discardBody on failure, as the gateway
 * does; `/json-plain` answers failures with sendError alone; `/refuse` answers 401 before reading.
 */
function handler(): Server {
  return createServer((req, res) => {
    if (req.url === "/refuse") {
      discardBody(req, res);
      sendError(res, new GatewayError("invalid_api_key", "missing bearer credentials"), "req-1");
      return;
    }
    readJson(req, LIMIT, TIMEOUTS).then(
      (value) => sendJson(res, 200, { got: value }),
      (error: unknown) => {
        if (req.url === "/json" && !req.complete) discardBody(req, res);
        sendError(res, error, "req-1");
      },
    );
  });
}

describe("request bodies", () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = handler();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("reads a body that arrives in several chunks within the deadlines", async () => {
    const parts = ['{"model":', '"m","mess', 'ages":[]}'];
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const part = parts.shift();
        if (part === undefined) return controller.close();
        await new Promise((r) => setTimeout(r, TIMEOUTS.idleMs / 2));
        controller.enqueue(new TextEncoder().encode(part));
      },
    });
    const response = await fetch(`http://127.0.0.1:${port}/json`, { method: "POST", body, duplex: "half" });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { got: { model: "m", messages: [] } });
  });

  it("answers 408 when the body stalls longer than the idle timeout, and closes the connection", async () => {
    const result = await sendSlowly({
      port,
      path: "/json",
      headers: { "content-length": "500", "content-type": "application/json" },
      body: '{"model":"m","messages":[',
      giveUpMs: 3000,
    });
    assert.equal(result.status, 408);
    assert.equal(result.headers.connection, "close");
    const error = (JSON.parse(result.body) as { error: { code: string; type: string } }).error;
    assert.equal(error.code, "request_timeout");
    assert.equal(error.type, "invalid_request_error");
    assert.ok(result.answeredAfterMs !== undefined && result.answeredAfterMs >= TIMEOUTS.idleMs - 20);
    assert.ok(result.closedAfterMs !== undefined && result.closedAfterMs < TIMEOUTS.idleMs + 500, "closed promptly");
  });

  it("answers 408 when a trickling body misses the overall deadline though no gap reaches the idle timeout", async () => {
    const result = await sendSlowly({
      port,
      path: "/json",
      headers: { "content-length": "1000", "content-type": "application/json" },
      body: "[",
      drip: { byte: " ", everyMs: 50 },
      giveUpMs: 3000,
    });
    assert.equal(result.status, 408);
    assert.ok(result.answeredAfterMs !== undefined && result.answeredAfterMs >= TIMEOUTS.totalMs - 20);
    assert.ok(result.closedAfterMs !== undefined && result.closedAfterMs < TIMEOUTS.totalMs + 500, "closed promptly");
  });

  it("closes the connection after a 408 even when the caller answers with sendError alone", async () => {
    const result = await sendSlowly({
      port,
      path: "/json-plain",
      headers: { "content-length": "1000" },
      body: "[",
      drip: { byte: " ", everyMs: 50 },
      giveUpMs: 3000,
    });
    assert.equal(result.status, 408);
    assert.ok(result.closedAfterMs !== undefined && result.closedAfterMs < TIMEOUTS.totalMs + 500, "closed promptly");
  });

  it("gives up at once, not at the idle timeout, when the client disconnects mid-body", async () => {
    const failed = new Promise<{ error: unknown; ms: number }>((resolve) => {
      const started = Date.now();
      const one = createServer((req) => {
        readJson(req, LIMIT, { totalMs: 5000, idleMs: 5000 }).then(
          () => resolve({ error: undefined, ms: Date.now() - started }),
          (error: unknown) => resolve({ error, ms: Date.now() - started }),
        );
      });
      one.listen(0, "127.0.0.1", () => {
        const { port: p } = one.address() as AddressInfo;
        void sendSlowly({ port: p, headers: { "content-length": "100" }, body: "{", giveUpMs: 100 }).then(() =>
          one.close(),
        );
      });
    });
    const { error, ms } = await failed;
    assert.ok(error instanceof Error && !(error instanceof GatewayError), String(error));
    assert.ok(ms < 1000, `took ${ms} ms`);
  });

  it("answers 413 for a declared or a streamed body over the limit", async () => {
    const declared = await fetch(`http://127.0.0.1:${port}/json`, { method: "POST", body: "x".repeat(LIMIT + 1) });
    assert.equal(declared.status, 413);
    const streamed = await sendSlowly({
      port,
      path: "/json",
      headers: { "transfer-encoding": "chunked" },
      body: `${(LIMIT + 10).toString(16)}\r\n${"x".repeat(LIMIT + 10)}\r\n`,
      drip: { byte: "x", everyMs: 50 },
      giveUpMs: 2000,
    });
    assert.equal(streamed.status, 413);
    assert.ok(streamed.closedAfterMs !== undefined, "a half-read body does not keep the connection");
  });

  it("says where a body stops being JSON without quoting it", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/json`, {
      method: "POST",
      body: `{"model":"m",\n card: "${CARD}"}`,
    });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, "invalid_json");
    assert.match(error.message, /line 2, column 2 \(position 15\)/);
    assert.doesNotMatch(error.message, /4111|card/);
  });

  it("closes a refused request's connection once the 401 is out, however slowly its body trickles", async () => {
    const result = await sendSlowly({
      port,
      path: "/refuse",
      headers: { "content-length": "100000" },
      body: "{",
      drip: { byte: " ", everyMs: 20 },
      giveUpMs: 2000,
    });
    assert.equal(result.status, 401);
    assert.equal(result.headers.connection, "close");
    assert.equal((JSON.parse(result.body) as { error: { code: string } }).error.code, "invalid_api_key");
    assert.ok(result.closedAfterMs !== undefined && result.closedAfterMs < 500, `closed after ${result.closedAfterMs}`);
  });
});
