import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Severity } from "../../core/index.js";
import { anAlert, runAlertSinkContract, startHttpReceiver } from "./alert-sink.contract.js";
import { createOtlpSink, toAnyValue } from "./otlp.js";
import { AlertDeliveryError } from "./types.js";

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}
interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: { stringValue: string };
  attributes: KeyValue[];
}
interface ExportLogsRequest {
  resourceLogs: {
    resource: { attributes: KeyValue[] };
    scopeLogs: { scope: { name: string; version?: string }; logRecords: LogRecord[] }[];
  }[];
}

function records(bodies: string[]): LogRecord[] {
  return bodies.flatMap((body) =>
    (JSON.parse(body) as ExportLogsRequest).resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords)),
  );
}

function attribute(record: LogRecord | undefined, key: string): Record<string, unknown> | undefined {
  return record?.attributes.find((a) => a.key === key)?.value;
}

runAlertSinkContract("otlp", async () => {
  const receiver = await startHttpReceiver();
  return {
    sink: createOtlpSink({ name: "otel", endpoint: receiver.url }),
    async received(count) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const got = records(receiver.requests.map((r) => r.body));
      if (got.length < count) throw new Error(`only ${got.length} records`);
      return got.map((r) => ({
        title: attribute(r, "palisade.alert.title")?.stringValue as string,
        severity: r.severityText as Severity,
      }));
    },
    done: receiver.close,
  };
});

describe("otlp sink", () => {
  it("posts an OTLP/HTTP JSON logs request to {endpoint}/v1/logs", async () => {
    const receiver = await startHttpReceiver();
    try {
      const sink = createOtlpSink({
        name: "otel",
        endpoint: `${receiver.url}/`,
        headers: { "x-scope-orgid": "bank" },
        productVersion: "0.1.0",
        now: () => Date.UTC(2026, 4, 12, 9, 30, 16),
      });
      await sink.send([anAlert(), anAlert({ severity: "critical", key: "k2", fields: { count: 3, ok: false } })]);
      const [request] = await receiver.waitFor(1);
      assert.equal(receiver.requests.length, 1, "one request per batch");
      assert.equal(request?.path, "/v1/logs");
      assert.equal(request?.headers["content-type"], "application/json");
      assert.equal(request?.headers["x-scope-orgid"], "bank");
      const body = JSON.parse(request?.body ?? "") as ExportLogsRequest;
      assert.equal(body.resourceLogs.length, 1);
      const [resource] = body.resourceLogs;
      assert.deepEqual(resource?.resource.attributes, [{ key: "service.name", value: { stringValue: "palisade" } }]);
      assert.deepEqual(resource?.scopeLogs[0]?.scope, { name: "palisade.alerts", version: "0.1.0" });
      const [first, second] = resource?.scopeLogs[0]?.logRecords ?? [];
      assert.equal(first?.timeUnixNano, "1778578215123000000");
      assert.equal(first?.observedTimeUnixNano, "1778578216000000000");
      assert.equal(first?.severityNumber, 17);
      assert.equal(first?.severityText, "high");
      assert.deepEqual(first?.body, { stringValue: `Prompt injection blocked: ${anAlert().summary}` });
      assert.deepEqual(attribute(first, "palisade.alert.key"), { stringValue: "injection.blocked:api-key:ci-bot" });
      assert.deepEqual(attribute(first, "palisade.incident.id"), { stringValue: "inc-42" });
      assert.deepEqual(attribute(first, "palisade.rule"), { stringValue: "injection.blocked" });
      assert.deepEqual(attribute(first, "palisade.identity"), { stringValue: "api-key:ci-bot" });
      assert.deepEqual(attribute(first, "palisade.score"), { doubleValue: 0.97 });
      assert.deepEqual(attribute(first, "url.full"), { stringValue: "https://palisade.example/incidents/inc-42" });
      assert.equal(second?.severityNumber, 22);
      assert.deepEqual(attribute(second, "palisade.count"), { intValue: "3" });
      assert.deepEqual(attribute(second, "palisade.ok"), { boolValue: false });
    } finally {
      await receiver.close();
    }
  });

  it("maps severities onto OpenTelemetry severity numbers", async () => {
    const receiver = await startHttpReceiver();
    try {
      const severities: Severity[] = ["critical", "high", "medium", "low", "info"];
      await createOtlpSink({ name: "otel", endpoint: receiver.url }).send(
        severities.map((severity) => anAlert({ severity })),
      );
      const got = records(receiver.requests.map((r) => r.body)).map((r) => [r.severityText, r.severityNumber]);
      assert.deepEqual(got, [
        ["critical", 22],
        ["high", 17],
        ["medium", 13],
        ["low", 10],
        ["info", 9],
      ]);
    } finally {
      await receiver.close();
    }
  });

  it("encodes integers beyond 2^53 as doubles and safe integers as int64 strings", () => {
    assert.deepEqual(toAnyValue(2 ** 53 + 2), { doubleValue: 2 ** 53 + 2 });
    assert.deepEqual(toAnyValue(-7), { intValue: "-7" });
  });

  it("retries a 503 and does not retry a 400", async () => {
    const flaky = await startHttpReceiver((n) => (n === 0 ? 503 : 200));
    const strict = await startHttpReceiver(() => 400);
    try {
      await createOtlpSink({ name: "otel", endpoint: flaky.url, backoffMs: 5 }).send([anAlert()]);
      assert.equal(flaky.requests.length, 2);
      await assert.rejects(
        createOtlpSink({ name: "otel", endpoint: strict.url, backoffMs: 5 }).send([anAlert()]),
        (e: unknown) => e instanceof AlertDeliveryError && e.status === 400,
      );
      assert.equal(strict.requests.length, 1);
    } finally {
      await flaky.close();
      await strict.close();
    }
  });
});
