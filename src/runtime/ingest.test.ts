import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isPalisadeError } from "../core/index.js";
import { RuntimePayloadSchema } from "./event.js";
import { canonicalJson, parseSensorBatch, type SensorSource, sensorEventId } from "./ingest.js";

/** A minimal valid event of each source, with a distinguishing marker. */
function anEvent(source: SensorSource, marker: string | number): Record<string, unknown> {
  return source === "falco"
    ? {
        rule: "palisade_ai_server_spawned_shell",
        priority: "Critical",
        time: "2024-05-01T10:20:05.408091526Z",
        output: `shell ${marker}`,
        output_fields: { "container.id": "3ad7b26ded6d", "proc.exepath": "/bin/sh", "proc.pid": 42 },
      }
    : {
        process_exec: { process: { pid: 42, binary: "/bin/sh", arguments: `-c ${marker}` } },
        node_name: "n",
        time: "2024-05-01T10:20:05.408Z",
      };
}

const ndjson = (items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join("\n")}\n`;

describe("parseSensorBatch framing", () => {
  it("reads one object, newline-delimited objects, CRLF lines and a pretty-printed object", () => {
    const one = anEvent("falco", 1);
    assert.equal(parseSensorBatch("falco", JSON.stringify(one)).events.length, 1);
    assert.equal(parseSensorBatch("falco", ndjson([one, anEvent("falco", 2)])).events.length, 2);
    assert.equal(
      parseSensorBatch("falco", `${JSON.stringify(one)}\r\n\r\n${JSON.stringify(anEvent("falco", 2))}\r\n`).events
        .length,
      2,
    );
    const pretty = parseSensorBatch("falco", JSON.stringify(one, null, 2));
    assert.deepEqual(pretty.rejected, []);
    assert.equal(pretty.events[0]?.id, parseSensorBatch("falco", JSON.stringify(one)).events[0]?.id);
  });

  it("reads lines one by one when what looks like one multi-line object is not valid JSON", () => {
    const batch = parseSensorBatch("falco", `{\n${JSON.stringify(anEvent("falco", 1))}\n}\n`);
    assert.equal(batch.events.length, 1);
    assert.deepEqual(
      batch.rejected.map((r) => r.index),
      [1, 3],
    );
  });

  it("numbers rejections by line, counting blank lines", () => {
    const batch = parseSensorBatch("tetragon", `\n${JSON.stringify(anEvent("tetragon", 1))}\n\nnot json\n`);
    assert.equal(batch.events.length, 1);
    assert.deepEqual(batch.rejected, [{ index: 4, reason: "not valid JSON" }]);
  });

  it("never quotes the rejected text in a reason", () => {
    const secret = "sk-live-4111111111111111";
    const batch = parseSensorBatch("falco", `{"rule": "${secret}", "time": bad}\n{"x":"${secret}"\n["${secret}"]\n`);
    assert.equal(batch.rejected.length, 3);
    for (const r of batch.rejected) assert.doesNotMatch(r.reason, /sk-live|4111/);
  });

  it("rejects an event over maxEventBytes and keeps its neighbours", () => {
    const big = { ...anEvent("falco", 1), output: "x".repeat(2048) };
    const batch = parseSensorBatch("falco", ndjson([anEvent("falco", 0), big, anEvent("falco", 2)]), {
      maxEventBytes: 1024,
    });
    assert.equal(batch.events.length, 2);
    assert.equal(batch.rejected[0]?.index, 2);
    assert.match(batch.rejected[0]?.reason ?? "", /over the 1024-byte limit/);
  });

  it("refuses a whole batch over maxBatchBytes or maxEvents with a 413 bad-input error", () => {
    const text = ndjson([anEvent("falco", 1), anEvent("falco", 2), anEvent("falco", 3)]);
    for (const limits of [{ maxBatchBytes: 100 }, { maxEvents: 2 }]) {
      assert.throws(
        () => parseSensorBatch("falco", text, limits),
        (e) => isPalisadeError(e) && e.code === "bad-input" && e.status === 413,
      );
    }
    assert.throws(
      () => parseSensorBatch("falco", text, { maxDepth: 0 }),
      (e) => isPalisadeError(e) && e.code === "bad-usage",
    );
  });

  it("rejects nesting past maxDepth before parsing, for objects and arrays alike", () => {
    const deep = `{"rule":"r","time":"2024-05-01T00:00:00Z","output_fields":{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const batch = parseSensorBatch("falco", `${deep}\n${JSON.stringify(anEvent("falco", 1))}\n`);
    assert.equal(batch.events.length, 1);
    assert.deepEqual(batch.rejected, [{ index: 1, reason: "nested deeper than 32 levels" }]);
    const shallow = parseSensorBatch("falco", JSON.stringify({ ...anEvent("falco", 1), extra: [[[[1]]]] }), {
      maxDepth: 4,
    });
    assert.equal(shallow.rejected[0]?.reason, "nested deeper than 4 levels");
  });

  it("reports strings cut to the schema, keeps the event and stores no NUL", () => {
    const event = {
      ...anEvent("falco", 1),
      output: `a\u0000b${"y".repeat(5000)}`,
      output_fields: {
        "proc.exepath": "/bin/sh",
        "proc.args": Array.from({ length: 300 }, (_, i) => `a${i}`).join(" "),
      },
    };
    const batch = parseSensorBatch("falco", JSON.stringify(event));
    assert.deepEqual(batch.truncated, [{ index: 1, id: batch.events[0]?.id, fields: ["message", "process.args"] }]);
    const payload = RuntimePayloadSchema.parse(batch.events[0]?.payload);
    assert.equal(payload.message?.length, 4096);
    assert.ok(payload.message?.startsWith("a\uFFFDb"));
    assert.equal(payload.process?.args.length, 256);
  });
});

describe("event ids", () => {
  it("are the same for the same event however its keys are ordered or spaced", () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: "é" } };
    const b = JSON.parse('{ "a" : { "c":"é", "d":[1,{"x":1,"y":2}] }, "b":1 }');
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(sensorEventId("falco", a), sensorEventId("falco", b));
    assert.match(sensorEventId("tetragon", a), /^tetragon:[0-9a-f]{64}$/);
  });

  it("canonicalise any JSON value losslessly, keeping a __proto__ key as data (property)", () => {
    assert.equal(canonicalJson(JSON.parse('{"b":2,"__proto__":{"x":1}}')), '{"__proto__":{"x":1},"b":2}');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const text = canonicalJson(value);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value) ?? "null"));
        assert.equal(canonicalJson(JSON.parse(text)), text);
      }),
      { numRuns: 300 },
    );
  });

  it("use falcosidekick's uuid when there is one", () => {
    const uuid = "7C1E3E2A-4B5D-4C8E-9F0A-1B2C3D4E5F60";
    const batch = parseSensorBatch("falco", JSON.stringify({ ...anEvent("falco", 1), uuid }));
    assert.equal(batch.events[0]?.id, `falco:${uuid.toLowerCase()}`);
    const odd = parseSensorBatch("falco", JSON.stringify({ ...anEvent("falco", 1), uuid: "../../x" }));
    assert.match(odd.events[0]?.id ?? "", /^falco:[0-9a-f]{64}$/);
  });

  it("make a replayed batch produce the same events (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SensorSource>("falco", "tetragon"),
        fc.array(fc.string(), { maxLength: 8 }),
        (source, markers) => {
          const text = ndjson(markers.map((m) => anEvent(source, m)));
          assert.deepEqual(parseSensorBatch(source, text), parseSensorBatch(source, text));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("parseSensorBatch properties", () => {
  const sources = fc.constantFrom<SensorSource>("falco", "tetragon");

  it("never throws on arbitrary bytes, and everything it returns passes the schema", () => {
    fc.assert(
      fc.property(sources, fc.uint8Array({ maxLength: 2048 }), (source, bytes) => {
        const batch = parseSensorBatch(source, bytes);
        for (const e of batch.events) assert.ok(RuntimePayloadSchema.safeParse(e.payload).success);
        for (const r of batch.rejected) assert.ok(r.index >= 1 && r.reason.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary JSON, in any position of the event", () => {
    fc.assert(
      fc.property(sources, fc.jsonValue({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 4 }), (source, any, nested) => {
        const base = anEvent(source, 1);
        const mutated =
          source === "falco"
            ? { ...base, output_fields: { ...(base.output_fields as object), "proc.pid": any, "fd.name": nested } }
            : { ...base, process_exec: { process: any, parent: nested } };
        for (const value of [any, mutated]) {
          const batch = parseSensorBatch(source, JSON.stringify(value) ?? "null");
          for (const e of batch.events) assert.ok(RuntimePayloadSchema.safeParse(e.payload).success);
          assert.equal(batch.events.length + batch.rejected.length, 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every valid event of a batch whatever garbage lines surround it", () => {
    const garbage = fc.oneof(
      fc.string().map((s) => s.replace(/[\r\n]/g, " ")),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
      fc.constantFrom("{", "}", '{"rule":', "\u0000", "[[[[", '{"process_exec":'),
    );
    const line = fc.oneof(
      fc.nat().map((n) => ({ valid: true, n })),
      garbage.map((text) => ({ valid: false, text })),
    );
    fc.assert(
      fc.property(sources, fc.array(line, { maxLength: 20 }), (source, lines) => {
        const text = lines.map((l) => ("text" in l ? l.text : JSON.stringify(anEvent(source, `v${l.n}`)))).join("\n");
        const batch = parseSensorBatch(source, text);
        // Lines that together spell one JSON object (`{"rule":`, an event, `}`) are one pretty-printed
        // document, read as such: the line framing below does not apply to them.
        const oneDocument = (() => {
          try {
            const value: unknown = JSON.parse(text);
            return text.includes("\n") && value !== null && typeof value === "object" && !Array.isArray(value);
          } catch {
            return false;
          }
        })();
        if (oneDocument) {
          assert.equal(batch.events.length + batch.rejected.length, 1);
          return;
        }
        const wanted = lines.flatMap((l, i) => ("n" in l ? [{ line: i + 1, marker: `v${l.n}` }] : []));
        const got = batch.events.map((e) =>
          source === "falco"
            ? String(e.payload.message).slice("shell ".length)
            : (e.payload.process as { args: string[] }).args[1],
        );
        // Garbage may itself be a valid event; what is certain is that no valid line went missing.
        for (const w of wanted) assert.ok(got.includes(w.marker), `line ${w.line} lost`);
        assert.equal(
          batch.events.length + batch.rejected.length,
          lines.filter((l) => !("text" in l) || l.text.trim() !== "").length,
        );
        for (const r of batch.rejected) assert.ok(!wanted.some((w) => w.line === r.index));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same ids however the batch is split into requests (property)", () => {
    fc.assert(
      fc.property(sources, fc.array(fc.string(), { minLength: 1, maxLength: 10 }), fc.nat(), (source, markers, cut) => {
        const events = markers.map((m) => anEvent(source, m));
        const at = cut % (events.length + 1);
        const whole = parseSensorBatch(source, ndjson(events)).events.map((e) => e.id);
        const parts = [
          ...parseSensorBatch(source, ndjson(events.slice(0, at))).events,
          ...parseSensorBatch(source, ndjson(events.slice(at))).events,
        ].map((e) => e.id);
        assert.deepEqual(parts, whole);
      }),
      { numRuns: 200 },
    );
  });
});
