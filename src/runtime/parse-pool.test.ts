import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { PalisadeError } from "../core/index.js";
import { DEFAULT_SENSOR_BATCH_LIMITS, parseSensorBatch } from "./index.js";
import { createSensorParser } from "./parse-pool.js";
import { createSensorRedactor } from "./redact.js";

const alert = (n: number, cmdline = "python3 serve.py") =>
  JSON.stringify({
    time: new Date(Date.UTC(2026, 11, 7, 9, 0, n)).toISOString(),
    rule: "Terminal shell in container",
    priority: "Warning",
    output: `shell ${n}`,
    output_fields: { "container.id": "0123456789ab", "proc.name": "sh", "proc.cmdline": cmdline },
  });

describe("sensor parser thread", () => {
  const parser = createSensorParser();
  after(() => parser.close());

  it("gives what parsing and redacting on this thread give, rejected events and all", async () => {
    const body = Buffer.from(
      [alert(1), "{not json", alert(2, "curl -H 'Authorization: token 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'")].join(
        "\n",
      ),
    );
    const here = parseSensorBatch("falco", body);
    const redact = createSensorRedactor();
    const there = await parser.parse("falco", body);
    assert.deepEqual(there, { ...here, events: here.events.map(redact) });
    assert.equal(there.rejected.length, 1);
    assert.ok(!JSON.stringify(there.events).includes("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"));
  });

  it("answers many batches in flight, each with its own result", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => parser.parse("falco", Buffer.from(alert(i)))),
    );
    assert.deepEqual(
      results.map((r) => r.events[0]?.time),
      Array.from({ length: 20 }, (_, i) => Date.UTC(2026, 11, 7, 9, 0, i)),
    );
  });

  it("keeps a whole-batch refusal a 413 PalisadeError", async () => {
    const lines = Array.from({ length: DEFAULT_SENSOR_BATCH_LIMITS.maxEvents + 1 }, () => "{}").join("\n");
    await assert.rejects(parser.parse("falco", Buffer.from(lines)), (error: unknown) => {
      assert.ok(error instanceof PalisadeError);
      assert.equal(error.status, 413);
      return true;
    });
  });

  it("refuses work once closed", async () => {
    const closing = createSensorParser();
    await closing.close();
    await assert.rejects(closing.parse("falco", Buffer.from(alert(1))), /closed/);
  });
});
