/**
 * The recorded fixture corpus, mechanically: every file under fixtures/<source>/ is a case with
 * an expectation below, and a file without one fails the suite (no silent skips).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RuntimePayloadSchema } from "./event.js";
import { parseSensorBatch, SENSOR_SOURCES, type SensorSource } from "./ingest.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);

interface Expectation {
  events: number;
  /** Rejected line numbers, each with a word its reason must contain. */
  rejected?: [number, string][];
  /** Line number → payload paths reported as truncated. */
  truncated?: Record<number, string[]>;
}

const EXPECTED: Record<SensorSource, Record<string, Expectation>> = {
  falco: {
    "terminal-shell-in-container.ndjson": { events: 1 },
    "outbound-connection.ndjson": { events: 1 },
    "read-sensitive-file.ndjson": { events: 1 },
    "write-below-etc.ndjson": { events: 1 },
    "several-alerts.ndjson": { events: 3 },
    "falcosidekick-webhook.json": { events: 1 },
    "palisade-rules.ndjson": { events: 7 },
    "hostile-truncated.ndjson": {
      events: 2,
      rejected: [
        [2, "truncated"],
        [3, "truncated"],
      ],
    },
    "hostile-deep-nesting.ndjson": {
      events: 1,
      rejected: [
        [1, "nested deeper"],
        [3, "nested deeper"],
      ],
    },
    "hostile-huge-strings.ndjson": {
      events: 1,
      truncated: { 1: ["rule", "message", "container.name", "k8s.pod", "process.args", "process.cwd", "tags"] },
    },
    "hostile-wrong-types.ndjson": {
      events: 1,
      rejected: [
        [1, "rule"],
        [2, "time"],
        [3, "time"],
        [4, "output_fields"],
        [5, "missing time"],
        [6, "missing rule"],
        [8, "array"],
        [9, "string"],
        [10, "null"],
        [11, "number"],
        [12, "time"],
        [13, "time"],
      ],
    },
    "hostile-nul-bytes.ndjson": {
      events: 2,
      rejected: [
        [1, "JSON"],
        [3, "JSON"],
      ],
    },
    "hostile-non-utf8.ndjson": {
      events: 2,
      rejected: [
        [2, "UTF-8"],
        [3, "UTF-8"],
      ],
    },
    "hostile-garbage-around-valid.ndjson": {
      events: 1,
      rejected: [
        [1, "JSON"],
        [2, "truncated"],
        [3, "JSON"],
        [4, "array"],
        [5, "null"],
        [6, "missing rule"],
        [8, "truncated"],
        [10, "JSON"],
        [11, "JSON"],
        [12, "JSON"],
      ],
    },
  },
  tetragon: {
    "process-exec.ndjson": { events: 1 },
    "process-exit.ndjson": { events: 1 },
    "kprobe-tcp-connect.ndjson": { events: 1 },
    "kprobe-file-read.ndjson": { events: 1 },
    "kprobe-gpu-sigkill.ndjson": { events: 1 },
    "export.ndjson": { events: 5 },
    "hostile-mixed.ndjson": {
      events: 3,
      rejected: [
        [1, "binary"],
        [2, "object"],
        [3, "no supported Tetragon event"],
        [4, "process"],
        [5, "missing time"],
        [9, "truncated"],
      ],
      truncated: { 8: ["ancestors", "file.path"] },
    },
  },
};

describe("fixture corpus", () => {
  for (const source of SENSOR_SOURCES) {
    const dir = new URL(`${source}/`, FIXTURES);
    const files = readdirSync(dir).sort();

    it(`has an expectation for every ${source} fixture and a fixture for every expectation`, () => {
      assert.deepEqual(files, Object.keys(EXPECTED[source]).sort());
    });

    for (const file of files) {
      const expected = EXPECTED[source][file];
      it(`${source}/${file}: ${expected?.events} events, ${expected?.rejected?.length ?? 0} rejected`, () => {
        assert.ok(expected, `no expectation for ${file}`);
        const bytes = readFileSync(new URL(file, dir));
        const batch = parseSensorBatch(source, bytes);
        assert.equal(batch.events.length, expected.events);
        assert.deepEqual(
          batch.rejected.map((r) => r.index),
          (expected.rejected ?? []).map(([i]) => i),
        );
        for (const [i, word] of expected.rejected ?? []) {
          const reason = batch.rejected.find((r) => r.index === i)?.reason ?? "";
          assert.match(reason, new RegExp(word), `line ${i}: ${reason}`);
        }
        assert.deepEqual(Object.fromEntries(batch.truncated.map((t) => [t.index, t.fields])), expected.truncated ?? {});
        for (const event of batch.events) {
          assert.equal(RuntimePayloadSchema.safeParse(event.payload).success, true);
          assert.equal(event.kind, `runtime.${event.payload.category}`);
          assert.match(event.id, new RegExp(`^${source}:`));
        }
        // A string and the same bytes give the same result when the bytes are UTF-8.
        if (!file.includes("non-utf8"))
          assert.deepEqual(parseSensorBatch(source, bytes.toString("utf8")).events, batch.events);
      });
    }
  }
});
