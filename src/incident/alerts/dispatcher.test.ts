import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AlertsPolicy, AlertsPolicySchema } from "../../policy/index.js";
import {
  anAlert,
  parseCef,
  parseSyslog5424,
  startHttpReceiver,
  startStreamReceiver,
  startUdpReceiver,
} from "./alert-sink.contract.js";
import { type AlertDispatcherOptions, createAlertDispatcher, SUPPRESSED_RULE } from "./dispatcher.js";
import { type Alert, AlertDeliveryError, type AlertSink } from "./types.js";

/** A sink that keeps what it is sent; optionally fails or never answers. */
function aRecordingSink(name: string, behaviour: "ok" | "fail" | "hang" = "ok") {
  const sent: Alert[] = [];
  const batches: number[] = [];
  let closed = false;
  const sink: AlertSink = {
    name,
    async send(alerts) {
      batches.push(alerts.length);
      if (behaviour === "fail") throw new AlertDeliveryError(name, "HTTP 500", { retryable: true });
      if (behaviour === "hang") return new Promise<void>(() => {});
      sent.push(...alerts);
    },
    async close() {
      closed = true;
    },
  };
  return { sink, sent, batches, isClosed: () => closed };
}

function aClock(start = Date.UTC(2026, 4, 12, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function policy(input: Record<string, unknown> = {}): AlertsPolicy {
  return AlertsPolicySchema.parse(input);
}

function dispatcherWith(config: AlertsPolicy, sinks: AlertSink[], extra: AlertDispatcherOptions = {}) {
  const clock = aClock();
  return { clock, dispatcher: createAlertDispatcher(config, { sinks, clock, tickMs: 0, ...extra }) };
}

const blocked = (i = 0): Alert =>
  anAlert({ key: "injection.blocked:api-key:ci-bot", summary: `blocked prompt #${i}`, time: Date.now() });

describe("alert dispatcher", () => {
  it("turns 1,000 identical blocked-prompt alerts into one alert per real sink, plus one repeat count", async () => {
    const hook = await startHttpReceiver();
    const udp = await startUdpReceiver();
    const tcp = await startStreamReceiver();
    const otlp = await startHttpReceiver();
    try {
      const config = policy({
        sinks: [
          { name: "slack", type: "webhook", url: hook.url, format: "slack" },
          { name: "siem-udp", type: "syslog", address: udp.address, format: "cef" },
          { name: "siem-tcp", type: "syslog", address: tcp.address, format: "text" },
          { name: "otel", type: "otlp", endpoint: otlp.url },
        ],
      });
      const dispatcher = createAlertDispatcher(config);
      const started = Date.now();
      for (let i = 0; i < 1000; i++) dispatcher.dispatch(blocked(i));
      assert.ok(Date.now() - started < 1000, "dispatch never waits for delivery");
      await dispatcher.flush();
      assert.equal(hook.requests.length, 1);
      assert.equal(udp.messages.length, 1);
      assert.equal(tcp.messages.length, 1);
      assert.equal(otlp.requests.length, 1);
      for (const stats of Object.values(dispatcher.stats()))
        assert.deepEqual(stats, { sent: 1, deduplicated: 999, suppressed: 0, failed: 0, dropped: 0, queued: 0 });

      await dispatcher.close();
      // At close the repeat count goes out: one more message per sink, and no more.
      await udp.waitFor(2);
      assert.equal(hook.requests.length, 2);
      assert.equal(udp.messages.length, 2);
      assert.equal(tcp.messages.length, 2);
      assert.equal(otlp.requests.length, 2);
      const followUp = parseCef(parseSyslog5424(udp.messages[1] ?? "").msg);
      assert.equal(followUp.name, "Prompt injection blocked (repeated 999 more times)");
      assert.equal(followUp.extension.palisadeRepeats, "999");
    } finally {
      await Promise.all([hook.close(), udp.close(), tcp.close(), otlp.close()]);
    }
  });

  it("counts repeats within the window and reports them in one follow-up when it ends", async () => {
    const rec = aRecordingSink("mem");
    const { clock, dispatcher } = dispatcherWith(policy({ dedupWindow: "10m" }), [rec.sink]);
    dispatcher.dispatch(blocked(1));
    clock.advance(60_000);
    dispatcher.dispatch(blocked(2));
    dispatcher.dispatch(blocked(3));
    await dispatcher.flush();
    assert.equal(rec.sent.length, 1);
    assert.equal(rec.sent[0]?.summary, "blocked prompt #1");

    clock.advance(9 * 60_000);
    await dispatcher.flush();
    assert.equal(rec.sent.length, 2, "window over: the follow-up goes out");
    assert.equal(rec.sent[1]?.title, "Prompt injection blocked (repeated 2 more times)");
    assert.equal(rec.sent[1]?.fields.repeats, 2);
    assert.match(rec.sent[1]?.summary ?? "", /^Seen 2 more times within 10m\. blocked prompt #3$/);

    clock.advance(10 * 60_000 + 1);
    await dispatcher.flush();
    dispatcher.dispatch(blocked(4));
    await dispatcher.flush();
    assert.equal(rec.sent.length, 3, "a quiet window forgets the key: the next one is new");
    assert.equal(rec.sent[2]?.fields.repeats, undefined);
    assert.equal(dispatcher.stats().mem?.deduplicated, 2);
    await dispatcher.close();
    assert.equal(rec.sent.length, 3);
  });

  it("sends a repeated alert when it arrives after the window without waiting for a tick", async () => {
    const rec = aRecordingSink("mem");
    const { clock, dispatcher } = dispatcherWith(policy({ dedupWindow: "1m" }), [rec.sink]);
    dispatcher.dispatch(blocked(1));
    dispatcher.dispatch(blocked(2));
    clock.advance(61_000);
    dispatcher.dispatch(blocked(3));
    await dispatcher.flush();
    assert.deepEqual(
      rec.sent.map((a) => a.fields.repeats),
      [undefined, 1],
    );
    await dispatcher.close();
    assert.equal(rec.sent.length, 3, "#3 was counted in the new window and reported at close");
  });

  it("rate-limits distinct alerts and sends one summary by rule and severity when the minute rolls", async () => {
    const rec = aRecordingSink("mem");
    const { clock, dispatcher } = dispatcherWith(policy({ rateLimit: { perMinute: 5 } }), [rec.sink]);
    for (let i = 0; i < 30; i++)
      dispatcher.dispatch(
        anAlert({
          key: `k${i}`,
          rule: i % 3 === 0 ? "pii.leak" : "injection.blocked",
          severity: i % 3 === 0 ? "critical" : "high",
        }),
      );
    await dispatcher.flush();
    assert.equal(rec.sent.length, 5);
    assert.equal(dispatcher.stats().mem?.suppressed, 25);

    clock.advance(60_000);
    await dispatcher.flush();
    assert.equal(rec.sent.length, 6);
    const summary = rec.sent[5];
    assert.equal(summary?.rule, SUPPRESSED_RULE);
    assert.equal(summary?.title, "25 more alerts suppressed");
    assert.equal(summary?.severity, "critical", "the worst severity held back");
    assert.deepEqual(summary?.fields, {
      suppressed: 25,
      "suppressed.injection.blocked.high": 17,
      "suppressed.pii.leak.critical": 8,
    });
    assert.match(summary?.summary ?? "", /17 injection\.blocked \(high\), 8 pii\.leak \(critical\)/);

    for (let i = 30; i < 35; i++) dispatcher.dispatch(anAlert({ key: `k${i}` }));
    await dispatcher.flush();
    assert.equal(rec.sent.length, 11, "a new minute has a new allowance");
    await dispatcher.close();
    assert.equal(rec.sent.length, 11, "nothing held back, no summary");
  });

  it("sends the pending summary at close", async () => {
    const rec = aRecordingSink("mem");
    const { dispatcher } = dispatcherWith(policy({ rateLimit: { perMinute: 1 } }), [rec.sink]);
    dispatcher.dispatch(anAlert({ key: "a" }));
    dispatcher.dispatch(anAlert({ key: "b", severity: "low" }));
    await dispatcher.close();
    assert.deepEqual(
      rec.sent.map((a) => a.title),
      ["Prompt injection blocked", "1 more alert suppressed"],
    );
    assert.equal(rec.sent[1]?.severity, "low");
    assert.ok(rec.isClosed());
  });

  it("routes by minimum severity or by an explicit list", async () => {
    const pager = aRecordingSink("pager");
    const siem = aRecordingSink("siem");
    const lows = aRecordingSink("lows");
    const all = aRecordingSink("all");
    const config = policy({
      sinks: [
        { name: "pager", type: "webhook", url: "https://hooks.example/x", minSeverity: "high" },
        { name: "siem", type: "syslog", address: "udp://127.0.0.1:514", minSeverity: "medium" },
        { name: "lows", type: "otlp", endpoint: "http://127.0.0.1:4318", severities: ["low", "info"] },
      ],
    });
    const { dispatcher } = dispatcherWith(config, [pager.sink, siem.sink, lows.sink, all.sink]);
    for (const severity of ["critical", "high", "medium", "low", "info"] as const)
      dispatcher.dispatch(anAlert({ key: severity, severity }));
    await dispatcher.flush();
    assert.deepEqual(
      pager.sent.map((a) => a.severity),
      ["critical", "high"],
    );
    assert.deepEqual(
      siem.sent.map((a) => a.severity),
      ["critical", "high", "medium"],
    );
    assert.deepEqual(
      lows.sent.map((a) => a.severity),
      ["low", "info"],
    );
    assert.equal(all.sent.length, 5, "a sink without a policy entry takes everything");
    await dispatcher.close();
  });

  it("deduplicates per sink: a key one sink filtered out does not silence another", async () => {
    const high = aRecordingSink("high");
    const any = aRecordingSink("any");
    const config = policy({
      sinks: [{ name: "high", type: "webhook", url: "https://hooks.example/x", minSeverity: "high" }],
    });
    const { dispatcher } = dispatcherWith(config, [high.sink, any.sink]);
    dispatcher.dispatch(anAlert({ key: "same", severity: "low" }));
    dispatcher.dispatch(anAlert({ key: "same", severity: "critical" }));
    await dispatcher.flush();
    assert.equal(high.sent.length, 1, "the first alert of this key for the high sink");
    assert.equal(any.sent.length, 1);
    assert.equal(dispatcher.stats().any?.deduplicated, 1);
    await dispatcher.close();
  });

  it("counts a failing sink's alerts and never throws to the caller", async () => {
    const broken = aRecordingSink("broken", "fail");
    const fine = aRecordingSink("fine");
    const warnings: unknown[] = [];
    const logger = { warn: (obj: unknown, msg: string) => warnings.push({ obj, msg }) } as never;
    const { dispatcher } = dispatcherWith(policy(), [broken.sink, fine.sink], { logger });
    dispatcher.dispatch(anAlert({ key: "a" }));
    dispatcher.dispatch(anAlert({ key: "b" }));
    await dispatcher.flush();
    assert.equal(dispatcher.stats().broken?.failed, 2);
    assert.equal(dispatcher.stats().broken?.sent, 0);
    assert.equal(dispatcher.stats().fine?.sent, 2);
    assert.ok(warnings.length >= 1);
    assert.deepEqual((warnings[0] as { obj: { sink: string } }).obj.sink, "broken");
    await dispatcher.close();
  });

  it("gives up on a sink that hangs after sendTimeoutMs and keeps delivering to the others", async () => {
    const stuck = aRecordingSink("stuck", "hang");
    const fine = aRecordingSink("fine");
    const { dispatcher } = dispatcherWith(policy(), [stuck.sink, fine.sink], { sendTimeoutMs: 100 });
    const started = Date.now();
    dispatcher.dispatch(anAlert());
    assert.equal(fine.sent.length + stuck.sent.length, 0, "dispatch returned before any delivery");
    await dispatcher.flush();
    assert.ok(Date.now() - started < 2000);
    assert.equal(dispatcher.stats().stuck?.failed, 1);
    assert.equal(dispatcher.stats().fine?.sent, 1);
    await dispatcher.close();
  });

  it("times out a real webhook that never answers, counting the failure", async () => {
    const receiver = await startHttpReceiver(() => "hang");
    try {
      const config = policy({
        sinks: [{ name: "slow", type: "webhook", url: receiver.url, timeout: "200ms", retries: 0 }],
      });
      const dispatcher = createAlertDispatcher(config, { tickMs: 0 });
      dispatcher.dispatch(anAlert());
      await dispatcher.flush();
      assert.deepEqual(dispatcher.stats().slow, {
        sent: 0,
        deduplicated: 0,
        suppressed: 0,
        failed: 1,
        dropped: 0,
        queued: 0,
      });
      await dispatcher.close();
    } finally {
      await receiver.close();
    }
  });

  it("retries a real webhook that answers 503 then 200", async () => {
    const receiver = await startHttpReceiver((n) => (n === 0 ? 503 : 200));
    try {
      const config = policy({ sinks: [{ name: "hook", type: "webhook", url: receiver.url }] });
      const dispatcher = createAlertDispatcher(config, { tickMs: 0, backoffMs: 10 });
      dispatcher.dispatch(anAlert());
      await dispatcher.close();
      assert.equal(receiver.requests.length, 2);
      assert.equal(dispatcher.stats().hook?.sent, 1);
      assert.equal(dispatcher.stats().hook?.failed, 0);
    } finally {
      await receiver.close();
    }
  });

  it("bounds the queue and counts what it drops", async () => {
    const stuck = aRecordingSink("stuck", "hang");
    const { dispatcher } = dispatcherWith(policy({ queueSize: 10, rateLimit: { perMinute: 1000 } }), [stuck.sink], {
      batchSize: 1,
      sendTimeoutMs: 50,
    });
    for (let i = 0; i < 100; i++) dispatcher.dispatch(anAlert({ key: `k${i}` }));
    const stats = dispatcher.stats().stuck;
    assert.equal(stats?.queued, 10, "one in flight, ten waiting");
    assert.equal(stats?.dropped, 89);
    await dispatcher.close();
  });

  it("hands a sink its alerts in batches", async () => {
    const rec = aRecordingSink("mem");
    const { dispatcher } = dispatcherWith(policy({ rateLimit: { perMinute: 1000 } }), [rec.sink], { batchSize: 50 });
    for (let i = 0; i < 120; i++) dispatcher.dispatch(anAlert({ key: `k${i}` }));
    await dispatcher.flush();
    assert.equal(rec.sent.length, 120);
    assert.deepEqual(rec.batches, [1, 50, 50, 19], "the first goes at once, the rest as they queue");
    await dispatcher.close();
  });

  it("forgets the oldest keys beyond maxKeys, reporting their repeats", async () => {
    const rec = aRecordingSink("mem");
    const { dispatcher } = dispatcherWith(policy({ rateLimit: { perMinute: 1000 } }), [rec.sink], { maxKeys: 2 });
    dispatcher.dispatch(anAlert({ key: "a" }));
    dispatcher.dispatch(anAlert({ key: "a" }));
    dispatcher.dispatch(anAlert({ key: "b" }));
    dispatcher.dispatch(anAlert({ key: "c" }));
    await dispatcher.flush();
    assert.deepEqual(
      rec.sent.map((a) => [a.key, a.fields.repeats]),
      [
        ["a", undefined],
        ["b", undefined],
        ["a", 1],
        ["c", undefined],
      ],
    );
    await dispatcher.close();
  });

  it("ignores alerts after close and fills in a missing time", async () => {
    const rec = aRecordingSink("mem");
    const { clock, dispatcher } = dispatcherWith(policy(), [rec.sink]);
    dispatcher.dispatch(anAlert({ time: Number.NaN }));
    await dispatcher.close();
    dispatcher.dispatch(anAlert({ key: "late" }));
    await dispatcher.flush();
    assert.equal(rec.sent.length, 1);
    assert.equal(rec.sent[0]?.time, clock.now());
  });

  it("refuses two sinks with one name", () => {
    assert.throws(
      () => createAlertDispatcher(policy(), { sinks: [aRecordingSink("x").sink, aRecordingSink("x").sink] }),
      (e: unknown) => e instanceof Error && "code" in e && e.code === "bad-config",
    );
  });

  it("rolls windows on its own timer", async () => {
    const rec = aRecordingSink("mem");
    const clock = aClock();
    const dispatcher = createAlertDispatcher(policy({ rateLimit: { perMinute: 1 } }), {
      sinks: [rec.sink],
      clock,
      tickMs: 10,
    });
    dispatcher.dispatch(anAlert({ key: "a" }));
    dispatcher.dispatch(anAlert({ key: "b" }));
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(rec.sent.length, 2, "the summary went out without a flush");
    await dispatcher.close();
  });
});
