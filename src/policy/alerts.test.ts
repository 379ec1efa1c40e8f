import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";
import { ValidationError } from "../core/index.js";
import {
  loadPolicyFiles,
  PolicyDocumentSchema,
  parseDuration,
  parsePolicyText,
  resolveEnvReferences,
} from "./index.js";

const header = "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: t }\nspec:\n";

const EXAMPLE = `${header}  alerts:
    sinks:
      - name: secops-slack
        type: webhook
        url: https://hooks.slack.com/services/\${env:SLACK_HOOK_PATH}
        format: slack
        minSeverity: high
      - name: siem
        type: syslog
        address: udp://127.0.0.1:514
        format: cef
        minSeverity: medium
      - name: otel
        type: otlp
        endpoint: http://127.0.0.1:4318
        headers: { Authorization: "Bearer \${env:OTEL_TOKEN}" }
    dedupWindow: 10m
    rateLimit: { perMinute: 20 }
`;

/** The ValidationError issues of a policy text, as `path: message`. */
function issuesOf(text: string): string[] {
  try {
    parsePolicyText(text, "p.yaml");
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

function withSink(sink: string): string {
  return `${header}  alerts:\n    sinks:\n      - ${sink}\n`;
}

describe("policy alerts section", () => {
  it("reads the documented example with defaults filled in", () => {
    const alerts = parsePolicyText(EXAMPLE, "p.yaml").document.spec.alerts;
    assert.equal(alerts?.dedupWindow, "10m");
    assert.equal(alerts?.rateLimit.perMinute, 20);
    assert.equal(alerts?.queueSize, 1000);
    assert.deepEqual(
      alerts?.sinks.map((s) => [s.name, s.type, s.minSeverity]),
      [
        ["secops-slack", "webhook", "high"],
        ["siem", "syslog", "medium"],
        ["otel", "otlp", undefined],
      ],
    );
    const [slack, siem, otel] = alerts?.sinks ?? [];
    assert.equal(slack?.type === "webhook" && slack.timeout, "5s");
    assert.equal(slack?.type === "webhook" && slack.retries, 3);
    assert.equal(siem?.type === "syslog" && siem.facility, "local0");
    assert.equal(otel?.type === "otlp" && otel.serviceName, "palisade");
  });

  it("is optional: a policy without it has no alerts section", () => {
    assert.equal(parsePolicyText(`${header}  rules: []\n`, "p.yaml").document.spec.alerts, undefined);
    assert.equal(
      PolicyDocumentSchema.parse({ apiVersion: "palisade.dev/v1", kind: "Policy", metadata: { name: "x" } }).spec
        .alerts,
      undefined,
    );
  });

  it("names the field in each validation error", () => {
    const cases: [string, RegExp][] = [
      ["{ name: a, type: webhook, url: ftp://hooks.example/x }", /^spec\.alerts\.sinks\.0\.url: expected an http/],
      ["{ name: a, type: webhook, url: https://h.example, format: discord }", /^spec\.alerts\.sinks\.0\.format: /],
      ["{ name: a, type: pager, url: https://h.example }", /^spec\.alerts\.sinks\.0(\.type)?: .*webhook, syslog, otlp/],
      ["{ name: a, type: syslog, address: http://siem:514 }", /^spec\.alerts\.sinks\.0\.address: expected udp:/],
      ["{ name: a, type: syslog, address: udp://siem:514, format: leef }", /^spec\.alerts\.sinks\.0\.format: /],
      ["{ name: a, type: otlp, endpoint: grpc://c:4317 }", /^spec\.alerts\.sinks\.0\.endpoint: expected an http/],
      [
        "{ name: a, type: otlp, endpoint: http://c:4318, minSeverity: severe }",
        /^spec\.alerts\.sinks\.0\.minSeverity: /,
      ],
      [
        "{ name: a, type: otlp, endpoint: http://c:4318, timeout: 5 minutes }",
        /^spec\.alerts\.sinks\.0\.timeout: expected a duration/,
      ],
      ["{ name: a, type: otlp, endpoint: http://c:4318, urll: x }", /^spec\.alerts\.sinks\.0\.urll: unknown key/],
      ["{ name: Bad Name, type: otlp, endpoint: http://c:4318 }", /^spec\.alerts\.sinks\.0\.name: sink names/],
      [
        "{ name: a, type: otlp, endpoint: http://c:4318, minSeverity: high, severities: [low] }",
        /^spec\.alerts\.sinks\.0\.severities: give minSeverity or severities, not both/,
      ],
      [
        "{ name: a, type: syslog, address: udp://siem:514, tls: { insecure: true } }",
        /^spec\.alerts\.sinks\.0\.tls: tls settings need a tls:\/\/ address/,
      ],
    ];
    for (const [sink, expected] of cases) {
      const issues = issuesOf(withSink(sink));
      assert.ok(
        issues.some((i) => expected.test(i)),
        `${sink}\n  got: ${issues.join(" | ")}`,
      );
    }
    assert.ok(
      issuesOf(`${header}  alerts: { dedupWindow: 10 }\n`).some((i) => i.startsWith("spec.alerts.dedupWindow: ")),
    );
    assert.ok(
      issuesOf(`${header}  alerts: { rateLimit: { perMinute: 0 } }\n`).some((i) =>
        i.startsWith("spec.alerts.rateLimit.perMinute: "),
      ),
    );
  });

  it("reports the line of a bad field", () => {
    try {
      parsePolicyText(withSink("{ name: a, type: webhook, url: ftp://x }"), "p.yaml");
      assert.fail("expected an error");
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /^p\.yaml:7:\d+: spec\.alerts\.sinks\.0\.url: /);
    }
  });

  it("merges sinks from several policy files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-alerts-"));
    const a = join(dir, "a.yaml");
    const b = join(dir, "b.yaml");
    await writeFile(a, withSink("{ name: one, type: otlp, endpoint: http://c:4318 }"));
    await writeFile(b, `${withSink("{ name: two, type: syslog, address: tcp://siem:601 }")}    dedupWindow: 5m\n`);
    const merged = loadPolicyFiles([a, b]).spec.alerts;
    assert.deepEqual(
      merged?.sinks.map((s) => s.name),
      ["one", "two"],
    );
    assert.equal(merged?.dedupWindow, "5m");
  });

  it("has a JSON Schema (palisade policy schema)", () => {
    const schema = JSON.stringify(z.toJSONSchema(PolicyDocumentSchema, { io: "input" }));
    assert.ok(schema.includes('"dedupWindow"'));
  });

  it("parses durations", () => {
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("10m"), 600_000);
    assert.equal(parseDuration("2h"), 7_200_000);
    assert.throws(() => parseDuration("10"));
  });

  it("resolves env references and names the missing ones", () => {
    const env = (name: string) => `\${env:${name}}`;
    assert.deepEqual(resolveEnvReferences(`Bearer ${env("A")}-${env("B")}`, { A: "x", B: "y" }), {
      value: "Bearer x-y",
      missing: [],
    });
    assert.deepEqual(resolveEnvReferences(`${env("A")}${env("C")}`, { A: "x", C: "" }).missing, ["C"]);
    assert.deepEqual(resolveEnvReferences("$env:A {env:A}", {}), { value: "$env:A {env:A}", missing: [] });
  });
});
