import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Severity } from "../../core/index.js";
import { AlertsPolicySchema } from "../../policy/index.js";
import { anAlert, type DecodedAlert, runAlertSinkContract, startHttpReceiver } from "./alert-sink.contract.js";
import { createAlertSink } from "./sinks.js";
import { AlertDeliveryError } from "./types.js";
import { createWebhookSink, type WebhookPayloadFormat } from "./webhook.js";

type Json = Record<string, unknown>;

/** The policy's `${env:NAME}` reference syntax. */
const env = (name: string) => `\${env:${name}}`;

/** "HIGH: title" → { severity, title }. */
function fromLabel(text: string): DecodedAlert {
  const at = text.indexOf(": ");
  return { severity: text.slice(0, at).toLowerCase() as Severity, title: text.slice(at + 2) };
}

const DECODE: Record<WebhookPayloadFormat, (body: Json) => DecodedAlert> = {
  json: (body) => ({ title: body.title as string, severity: body.severity as Severity }),
  slack: (body) => fromLabel(((body.blocks as Json[])[0]?.text as Json | undefined)?.text as string),
  teams: (body) => {
    const card = ((body.attachments as Json[])[0] as Json).content as Json;
    return fromLabel((card.body as Json[])[0]?.text as string);
  },
};

for (const format of ["json", "slack", "teams"] as const) {
  runAlertSinkContract(`webhook (${format})`, async () => {
    const receiver = await startHttpReceiver();
    return {
      sink: createWebhookSink({ name: `hook-${format}`, url: `${receiver.url}/hook`, format }),
      received: async (count) => (await receiver.waitFor(count)).map((r) => DECODE[format](JSON.parse(r.body) as Json)),
      done: receiver.close,
    };
  });
}

describe("webhook sink", () => {
  it("posts Palisade's JSON alert document", async () => {
    const receiver = await startHttpReceiver();
    try {
      await createWebhookSink({ name: "j", url: `${receiver.url}/alerts`, headers: { "x-team": "secops" } }).send([
        anAlert(),
      ]);
      const [request] = await receiver.waitFor(1);
      assert.equal(request?.method, "POST");
      assert.equal(request?.path, "/alerts");
      assert.equal(request?.headers["content-type"], "application/json");
      assert.equal(request?.headers["x-team"], "secops");
      assert.deepEqual(JSON.parse(request?.body ?? ""), {
        apiVersion: "palisade.dev/v1",
        kind: "Alert",
        key: "injection.blocked:api-key:ci-bot",
        severity: "high",
        title: "Prompt injection blocked",
        summary: "A prompt from api-key:ci-bot carried a hidden instruction and was blocked.",
        time: "2026-05-12T09:30:15.123Z",
        timeMs: Date.UTC(2026, 4, 12, 9, 30, 15, 123),
        incidentId: "inc-42",
        rule: "injection.blocked",
        fields: { identity: "api-key:ci-bot", model: "llama3.1", workload: "bank/assistant", score: 0.97 },
        link: "https://palisade.example/incidents/inc-42",
      });
    } finally {
      await receiver.close();
    }
  });

  it("posts a Slack incoming-webhook message with escaped text and fields", async () => {
    const receiver = await startHttpReceiver();
    try {
      const alert = anAlert({
        summary: "<!channel> see <https://evil.example|your bank> & pay",
        fields: { identity: "<@U123>" },
      });
      await createWebhookSink({ name: "s", url: receiver.url, format: "slack" }).send([alert]);
      const body = JSON.parse((await receiver.waitFor(1))[0]?.body ?? "") as {
        text: string;
        blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[] }[];
      };
      assert.equal(body.text, "[HIGH] Prompt injection blocked");
      assert.deepEqual(
        body.blocks.map((b) => b.type),
        ["header", "section", "section", "section"],
      );
      assert.equal(body.blocks[0]?.text?.type, "plain_text");
      assert.equal(
        body.blocks[1]?.text?.text,
        "&lt;!channel&gt; see &lt;https://evil.example|your bank&gt; &amp; pay",
        "no mention, no disguised link",
      );
      const fields = body.blocks[2]?.fields?.map((f) => f.text) ?? [];
      assert.ok(fields.includes("*severity*\nhigh"));
      assert.ok(fields.includes("*incident*\ninc-42"));
      assert.ok(fields.includes("*identity*\n&lt;@U123&gt;"));
      assert.ok(fields.length <= 10, "Slack allows 10 fields");
      assert.equal(body.blocks[3]?.text?.text, "<https://palisade.example/incidents/inc-42|Open in Palisade>");
    } finally {
      await receiver.close();
    }
  });

  it("posts a Teams message holding an Adaptive Card", async () => {
    const receiver = await startHttpReceiver();
    try {
      await createWebhookSink({ name: "t", url: receiver.url, format: "teams" }).send([
        anAlert({ severity: "critical" }),
      ]);
      const body = JSON.parse((await receiver.waitFor(1))[0]?.body ?? "") as Json;
      assert.equal(body.type, "message");
      const [attachment] = body.attachments as Json[];
      assert.equal(attachment?.contentType, "application/vnd.microsoft.card.adaptive");
      const card = attachment?.content as Json;
      assert.equal(card.type, "AdaptiveCard");
      assert.equal(card.version, "1.4");
      const [title, summary, factSet] = card.body as Json[];
      assert.equal(title?.text, "CRITICAL: Prompt injection blocked");
      assert.equal(title?.color, "attention");
      assert.equal(summary?.text, anAlert().summary);
      assert.equal(factSet?.type, "FactSet");
      assert.deepEqual((factSet?.facts as Json[] | undefined)?.[0], { title: "severity", value: "critical" });
      assert.deepEqual(card.actions, [
        { type: "Action.OpenUrl", title: "Open in Palisade", url: "https://palisade.example/incidents/inc-42" },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it("shows no link that is not http(s)", async () => {
    const receiver = await startHttpReceiver();
    try {
      const sink = createWebhookSink({ name: "t", url: receiver.url, format: "teams" });
      await sink.send([anAlert({ link: "javascript:alert(1)" })]);
      const card = ((JSON.parse((await receiver.waitFor(1))[0]?.body ?? "") as Json).attachments as Json[])[0]
        ?.content as Json;
      assert.equal(card.actions, undefined);
    } finally {
      await receiver.close();
    }
  });

  it("retries a 503 with backoff and succeeds on the next answer", async () => {
    const receiver = await startHttpReceiver((n) => (n === 0 ? 503 : 200));
    try {
      const started = Date.now();
      await createWebhookSink({ name: "r", url: receiver.url, retries: 2, backoffMs: 50 }).send([anAlert()]);
      assert.equal(receiver.requests.length, 2);
      assert.ok(Date.now() - started >= 45, "waited before retrying");
    } finally {
      await receiver.close();
    }
  });

  it("gives up after its retries with the last status", async () => {
    const receiver = await startHttpReceiver(() => 502);
    try {
      const sink = createWebhookSink({ name: "down", url: receiver.url, retries: 2, backoffMs: 5 });
      await assert.rejects(sink.send([anAlert()]), (error: unknown) => {
        assert.ok(error instanceof AlertDeliveryError);
        assert.equal(error.code, "upstream-unavailable");
        assert.equal(error.status, 502);
        assert.equal(error.sink, "down");
        return true;
      });
      assert.equal(receiver.requests.length, 3);
    } finally {
      await receiver.close();
    }
  });

  it("does not retry a 4xx answer", async () => {
    const receiver = await startHttpReceiver(() => 400);
    try {
      const sink = createWebhookSink({ name: "bad", url: receiver.url, retries: 3, backoffMs: 5 });
      await assert.rejects(sink.send([anAlert()]), (e: unknown) => e instanceof AlertDeliveryError && !e.retryable);
      assert.equal(receiver.requests.length, 1);
    } finally {
      await receiver.close();
    }
  });

  it("times out a receiver that never answers", async () => {
    const receiver = await startHttpReceiver(() => "hang");
    try {
      const sink = createWebhookSink({ name: "slow", url: receiver.url, timeoutMs: 150, retries: 1, backoffMs: 10 });
      const started = Date.now();
      await assert.rejects(sink.send([anAlert()]), (e: unknown) => {
        assert.ok(e instanceof AlertDeliveryError);
        assert.match(e.reason, /no answer within 150 ms/);
        return true;
      });
      assert.equal(receiver.requests.length, 2, "a timeout is retried");
      assert.ok(Date.now() - started < 2000);
    } finally {
      await receiver.close();
    }
  });

  it("reports a refused connection without the URL", async () => {
    const receiver = await startHttpReceiver();
    const url = `${receiver.url}/services/T000/B000/SECRET`;
    await receiver.close();
    const sink = createWebhookSink({ name: "gone", url, retries: 0 });
    await assert.rejects(sink.send([anAlert()]), (e: unknown) => {
      assert.ok(e instanceof AlertDeliveryError);
      assert.match(e.message, /network error \(ECONNREFUSED\)/);
      assert.ok(!e.message.includes("SECRET"));
      return true;
    });
  });

  it("counts the alerts of a batch that did not arrive", async () => {
    const receiver = await startHttpReceiver((n) => (n === 1 ? 400 : 200));
    try {
      const sink = createWebhookSink({ name: "partial", url: receiver.url, retries: 0 });
      await assert.rejects(
        sink.send([anAlert(), anAlert(), anAlert()]),
        (e: unknown) => e instanceof AlertDeliveryError && e.undelivered === 1,
      );
      assert.equal(receiver.requests.length, 3);
    } finally {
      await receiver.close();
    }
  });

  it("takes the URL and headers from env references when built from the policy", async () => {
    const receiver = await startHttpReceiver();
    try {
      const policy = AlertsPolicySchema.parse({
        sinks: [
          {
            name: "secops",
            type: "webhook",
            url: env("HOOK_URL"),
            format: "json",
            headers: { Authorization: `Bearer ${env("HOOK_TOKEN")}` },
          },
        ],
      });
      const [config] = policy.sinks;
      assert.ok(config);
      const vars = { HOOK_URL: `${receiver.url}/in`, HOOK_TOKEN: "s3cret" };
      await createAlertSink(config, { env: vars }).send([anAlert()]);
      const [request] = await receiver.waitFor(1);
      assert.equal(request?.path, "/in");
      assert.equal(request?.headers.authorization, "Bearer s3cret");
      assert.throws(
        () => createAlertSink(config, { env: { HOOK_URL: receiver.url } }),
        (e: unknown) =>
          e instanceof Error && /alerts.sinks secops: headers.Authorization: .*HOOK_TOKEN is not set/.test(e.message),
      );
      assert.throws(
        () => createAlertSink(config, { env: { ...vars, HOOK_URL: "file:///etc/passwd" } }),
        /alerts.sinks secops: url: expected an http/,
      );
    } finally {
      await receiver.close();
    }
  });
});
