import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startFakeUpstream } from "./helpers/fake-upstream.js";
import { startGatewayProcess, startupLogOf, stopGatewayProcess } from "./helpers/gateway-process.js";

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}

describe("gateway OpenTelemetry export", () => {
  it("sends a GenAI span per request to the configured OTLP endpoint, as a child of the caller's trace", async () => {
    const bodies: unknown[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url === "/v1/traces") bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
    const collectorPort = (collector.address() as { port: number }).port;
    const upstream = await startFakeUpstream();
    const dir = mkdtempSync(join(tmpdir(), "palisade-otel-"));
    const port = 20000 + Math.floor(Math.random() * 5000);
    const child = await startGatewayProcess(
      ["--upstream", upstream.url, "--listen", `127.0.0.1:${port}`, "--no-auth", "--db", join(dir, "p.db")],
      {
        PALISADE_HOME: dir,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
        OTEL_SERVICE_NAME: "gw-test",
        PALISADE_HASH_KEY: "",
      },
    );
    try {
      // No PALISADE_HASH_KEY in this environment: the gateway keys its audit hashes with a key of
      // its own, made once, readable by its owner only, and says so.
      assert.match(
        startupLogOf(child),
        /PALISADE_HASH_KEY is not set: audit prompt hashes are keyed by this installation's own key/,
      );
      const keyFile = join(dir, "hash-key");
      assert.match(readFileSync(keyFile, "utf8"), /^[0-9a-f]{64}\n$/);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: "POST",
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        body: JSON.stringify({ model: "test-model", messages: [{ role: "user", content: "say: hi" }] }),
      });
      assert.equal(response.status, 200);
      await stopGatewayProcess(child);
      const spans = bodies.flatMap((b) =>
        (
          b as {
            resourceSpans: {
              scopeSpans: { spans: { name: string; traceId: string; attributes: OtlpAttribute[] }[] }[];
            }[];
          }
        ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
      );
      const span = spans.find((s) => s.name === "chat test-model");
      assert.ok(span, `spans seen: ${spans.map((s) => s.name).join(", ")}`);
      assert.equal(span.traceId, traceId);
      const attr = (key: string) => span.attributes.find((a) => a.key === key)?.value;
      assert.equal(attr("gen_ai.operation.name")?.stringValue, "chat");
      assert.equal(attr("gen_ai.request.model")?.stringValue, "test-model");
      assert.equal(Number(attr("gen_ai.usage.input_tokens")?.intValue), 11);
    } finally {
      await stopGatewayProcess(child);
      await upstream.close();
      await new Promise((r) => collector.close(r));
    }
  });
});
