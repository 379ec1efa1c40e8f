/**
 * Red-team probes end to end with the real `openai` client: against a deliberately weak model
 * every category gets through, and through the Palisade gateway with a suitable policy each
 * category has probes that no longer do. What still gets through the gateway is printed as a
 * diagnostic: those are findings about the gateway, not failures of this test.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createDefaultInjectionDetector, createPiiDetector } from "../src/detect/index.js";
import {
  buildReport,
  CATEGORY_IDS,
  createModelJudge,
  createOpenAiTarget,
  generateProbes,
  loadProbePacks,
  type ModelJudge,
  type RedteamReport,
  runProbes,
} from "../src/redteam/index.js";
import { startTestGateway, type TestGateway } from "./helpers/gateway.js";
import { GUARDED_POLICY, startWeakUpstream, type WeakUpstream } from "./helpers/weak-upstream.js";

const packs = loadProbePacks();
const injection = createDefaultInjectionDetector();
const judges = { pii: createPiiDetector() };

async function probe(
  url: string,
  options: { seed: number; concurrency?: number; rate?: number },
): Promise<RedteamReport> {
  const target = createOpenAiTarget({ url });
  const model = await target.resolveModel(undefined);
  const set = generateProbes(packs, { seed: options.seed });
  const started = Date.now();
  const concurrency = options.concurrency ?? 8;
  const ratePerSecond = options.rate ?? 0;
  const outcomes = await runProbes({ set, target, model, judges, concurrency, ratePerSecond });
  return buildReport({
    outcomes,
    target: target.url,
    model,
    seed: options.seed,
    packs: packs.map((p) => p.metadata.name),
    run: { requests: target.requests, durationMs: Date.now() - started, concurrency, ratePerSecond },
    injection,
  });
}

/** The report without its one timing field. */
function withoutTiming(report: RedteamReport): unknown {
  return { ...report, run: { ...report.run, durationMs: 0 } };
}

describe("red-team probes against a weak model, directly and through the gateway", () => {
  let upstream: WeakUpstream;
  let gateway: TestGateway;
  let direct: RedteamReport;
  let guarded: RedteamReport;

  before(async () => {
    upstream = await startWeakUpstream();
    gateway = await startTestGateway({ upstream: upstream.url, policy: GUARDED_POLICY, noAuth: true });
    direct = await probe(upstream.url, { seed: 7 });
    guarded = await probe(gateway.url, { seed: 7 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it("gets every category through to the weak model directly", () => {
    for (const category of CATEGORY_IDS) {
      const totals = direct.totals.byCategory[category];
      assert.ok(totals && totals.succeeded > 0, `${category}: ${JSON.stringify(totals)}`);
    }
    assert.equal(direct.totals.errors, 0);
    assert.equal(direct.controlTotals.refused, 0);
  });

  it("has, in every category, probes that succeed directly and are stopped by the gateway", (t) => {
    const through = new Map(guarded.probes.map((p) => [p.id, p]));
    for (const category of CATEGORY_IDS) {
      const stopped = direct.probes.filter(
        (p) => p.category === category && p.succeeded && through.get(p.id)?.succeeded === false,
      );
      assert.ok(stopped.length > 0, `${category}: nothing the gateway stopped`);
    }
    for (const p of guarded.probes.filter((r) => r.succeeded))
      t.diagnostic(
        `got through the gateway: ${p.id} (${p.detector}): fix ${p.fix?.stops ? "" : "(none stops it) "}${p.fix?.summary}`,
      );
    for (const [category, totals] of Object.entries(guarded.totals.byCategory))
      t.diagnostic(
        `${category}: ${direct.totals.byCategory[category as keyof typeof direct.totals.byCategory]?.successRate} direct, ${totals.successRate} through the gateway`,
      );
    assert.ok(guarded.totals.successRate < direct.totals.successRate);
  });

  it("lets the ordinary requests through the gateway, so the probes were stopped for what they are", () => {
    assert.equal(guarded.controlTotals.probes, 5);
    assert.equal(guarded.controlTotals.refused, 0, JSON.stringify(guarded.controls));
  });

  it("stops each family the way its policy setting says", () => {
    const outcome = (id: string) => guarded.probes.find((p) => p.id === id);
    assert.match(outcome("tools/shell")?.answerExcerpt ?? "", /403 permission_denied.*exec_shell/);
    assert.match(
      outcome("indirect/tool-result-override")?.answerExcerpt ?? "",
      /content_policy_violation.*messages\[3\]/,
    );
    const exhaustion = outcome("exhaustion/huge-max-tokens");
    assert.equal(exhaustion?.outcome, "answered");
    assert.equal(exhaustion?.succeeded, false);
    assert.equal(
      upstream.received.filter((r) => r.max_tokens === 1024).length > 0,
      true,
      "the role's cap reached the model",
    );
  });

  it("gives each success directly a policy fix, and the merged fixes form a valid policy", () => {
    for (const p of direct.probes.filter((r) => r.succeeded)) assert.ok(p.fix?.yaml.startsWith("spec:"), p.id);
    assert.match(direct.suggestedPolicy ?? "", /kind: Policy/);
  });

  it("closes the loop: the gateway running the suggested policy stops every probe whose fix says it stops it", async () => {
    const fixed = await startTestGateway({
      upstream: upstream.url,
      policy: direct.suggestedPolicy ?? "",
      noAuth: true,
    });
    try {
      const after = await probe(fixed.url, { seed: 7 });
      const result = new Map(after.probes.map((p) => [p.id, p]));
      const expectedStopped = direct.probes.filter((p) => p.succeeded && p.fix?.stops);
      assert.ok(expectedStopped.length > 0);
      assert.deepEqual(
        expectedStopped.filter((p) => result.get(p.id)?.succeeded !== false).map((p) => p.id),
        [],
      );
      assert.equal(after.controlTotals.refused, 0, JSON.stringify(after.controls));
    } finally {
      await fixed.close();
    }
  });

  it("reports run time and requests sent", () => {
    assert.equal(
      direct.run.requests,
      direct.probes.length + direct.controls.length + 1,
      "one per probe plus the model list",
    );
    assert.ok(direct.run.durationMs >= 0);
  });

  it("gives the same report for the same seed, and other probes for another seed", async () => {
    const again = await probe(upstream.url, { seed: 7, concurrency: 3 });
    assert.deepEqual(withoutTiming(again), {
      ...(withoutTiming(direct) as object),
      run: { ...direct.run, durationMs: 0, concurrency: 3 },
    });
    const other = await probe(upstream.url, { seed: 8 });
    assert.notDeepEqual(
      other.probes.map((p) => p.prompt),
      direct.probes.map((p) => p.prompt),
    );
  });
});

describe("red-team judge model", () => {
  it("grades the answers without a refusal, and leaves the facts alone", async () => {
    const upstream = await startWeakUpstream();
    try {
      const target = createOpenAiTarget({ url: upstream.url });
      const set = generateProbes(
        packs.filter((p) => ["jailbreak", "emotional"].includes(p.metadata.name)),
        { seed: 3 },
      );
      const run = (modelJudge: ModelJudge) =>
        runProbes({ set, target, model: "weak-model", judges, concurrency: 4, ratePerSecond: 0, modelJudge });
      const judged = await run(
        createModelJudge({ target: createOpenAiTarget({ url: upstream.url }), model: "weak-model" }),
      );
      const detectors = (outcomes: typeof judged) => outcomes.map((o) => `${o.probe.id}=${o.judgement.detector}`);
      assert.ok(detectors(judged).includes("jailbreak/evil-confidant=judge-model"), detectors(judged).join(" "));
      assert.ok(detectors(judged).includes("emotional/grandmother=canary-leaked"));
      const refuses: ModelJudge = { grade: async () => false };
      const overruled = await run(refuses);
      assert.ok(detectors(overruled).includes("jailbreak/evil-confidant=null"), detectors(overruled).join(" "));
      assert.ok(detectors(overruled).includes("emotional/grandmother=canary-leaked"), "a leaked canary is a fact");
      assert.ok(detectors(overruled).includes("jailbreak/developer-mode=forbidden-pattern"), "so is a marker");
    } finally {
      await upstream.close();
    }
  });
});

describe("red-team pacing", () => {
  it("keeps no more probes in flight than asked, and no more requests a second", async () => {
    const upstream = await startWeakUpstream({ delayMs: 20 });
    try {
      const target = createOpenAiTarget({ url: upstream.url });
      const set = generateProbes(
        packs.filter((p) => p.metadata.name === "injection"),
        { seed: 1 },
      );
      const started = Date.now();
      await runProbes({ set, target, model: "weak-model", judges, concurrency: 2, ratePerSecond: 40 });
      assert.ok(upstream.maxInFlight <= 2, `max in flight ${upstream.maxInFlight}`);
      const minimum = ((set.cases.length - 1) * 1000) / 40;
      assert.ok(Date.now() - started >= minimum - 5, `${set.cases.length} probes in ${Date.now() - started} ms`);
    } finally {
      await upstream.close();
    }
  });
});
