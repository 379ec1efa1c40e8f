import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { mergePolicies, parsePolicyText } from "../policy/index.js";
import { createGatePolicy, createImageJudge, type ImageJudgeOptions } from "./image-verdict.js";
import type { ImageScanInput } from "./scan-input.js";

const DIGEST = `sha256:${"cd".repeat(32)}`;
const REF = { registry: "registry.test", repository: "team/app", digest: DIGEST };

function policy(unscanned: "deny" | "warn" | "wait", extra = "") {
  return createGatePolicy(
    mergePolicies([
      parsePolicyText(
        `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: verdicts }
spec:
  supplyChain:
    images: { nonRoot: true }
    imageVerdicts:
      maxAgeHours: 1
      scanBudgetSeconds: 0.2
      unscanned: ${unscanned}
      waitSeconds: 2
${extra}`,
        "policy.yaml",
      ),
    ]),
  );
}

const ROOT: ImageScanInput = { target: "t", image: { reference: "t" } };
const NON_ROOT: ImageScanInput = { target: "t", image: { reference: "t", user: "app" } };
const noRegistry = () => ({
  findManifest: async () => undefined,
  blob: async () => Buffer.alloc(0),
});

function judge(options: Partial<ImageJudgeOptions> & { unscanned?: "deny" | "warn" | "wait" }) {
  const p = policy(options.unscanned ?? "deny");
  return createImageJudge({ policy: () => p, registry: noRegistry, ...options });
}

describe("image judge", () => {
  it("uses a fresh stored scan without scanning", async () => {
    let scans = 0;
    const j = judge({
      stored: async () => ({ input: ROOT, scannedAt: Date.now() - 60_000, scannedDigest: DIGEST }),
      scan: async () => {
        scans++;
        return NON_ROOT;
      },
    });
    const result = await j.judge(REF);
    assert.equal(result.source, "stored");
    assert.equal(result.verdict.decision, "deny");
    assert.equal(result.verdict.reasons[0]?.ruleId, "image.non-root");
    assert.equal(scans, 0);
  });

  it("scans again when the stored scan is older than maxAgeHours", async () => {
    const j = judge({
      stored: async () => ({ input: ROOT, scannedAt: Date.now() - 2 * 3_600_000, scannedDigest: DIGEST }),
      scan: async () => NON_ROOT,
    });
    const result = await j.judge(REF);
    assert.equal(result.source, "scanned");
    assert.equal(result.verdict.decision, "allow");
  });

  it("unscanned: deny — a scan slower than the budget is a denial (and goes on)", async () => {
    let finished = false;
    const j = judge({
      unscanned: "deny",
      scan: async () => {
        await sleep(500);
        finished = true;
        return NON_ROOT;
      },
    });
    const result = await j.judge(REF);
    assert.equal(result.source, "unknown");
    assert.equal(result.verdict.decision, "deny");
    assert.equal(result.verdict.reasons[0]?.ruleId, "image.unscanned");
    assert.match(result.verdict.reasons[0]?.source ?? "", /^policy\.yaml:\d+$/);
    await j.idle();
    assert.ok(finished);
  });

  it("unscanned: warn — allowed with a warning while the scan finishes", async () => {
    const j = judge({
      unscanned: "warn",
      scan: async () => {
        await sleep(500);
        return ROOT;
      },
    });
    const result = await j.judge(REF);
    assert.equal(result.verdict.decision, "warn");
    assert.match(result.warnings.join(), /goes on in the background/);
    await j.idle();
  });

  it("unscanned: wait — waits past the budget for the scan's own verdict", async () => {
    const j = judge({
      unscanned: "wait",
      scan: async () => {
        await sleep(500);
        return ROOT;
      },
    });
    const result = await j.judge(REF);
    assert.equal(result.source, "scanned");
    assert.equal(result.verdict.decision, "deny");
    assert.equal(result.verdict.reasons[0]?.ruleId, "image.non-root");
  });

  it("a budget given by the caller overrides the policy's", async () => {
    const j = judge({
      scan: async () => {
        await sleep(300);
        return NON_ROOT;
      },
    });
    assert.equal((await j.judge(REF, { budgetMs: 2000 })).source, "scanned");
  });

  it("one scan per digest, however many requests wait for it", async () => {
    let scans = 0;
    const j = judge({
      unscanned: "wait",
      scan: async () => {
        scans++;
        await sleep(100);
        return NON_ROOT;
      },
    });
    const results = await Promise.all([j.judge(REF), j.judge(REF), j.judge(REF)]);
    assert.deepEqual(
      results.map((r) => r.verdict.decision),
      ["allow", "allow", "allow"],
    );
    assert.equal(scans, 1);
  });

  it("runs at most maxConcurrentScans scans at once; the others wait their turn", async () => {
    let running = 0;
    let peak = 0;
    const j = judge({
      unscanned: "wait",
      maxConcurrentScans: 2,
      scan: async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(50);
        running--;
        return NON_ROOT;
      },
    });
    const digests = Array.from({ length: 6 }, (_, i) => `sha256:${String(i).repeat(64)}`);
    for (const digest of digests) await j.prepare({ ...REF, digest });
    await j.idle();
    assert.equal(peak, 2);
  });

  it("a scan that fails, a store that fails, and no scanner: the unscanned action, never a throw", async () => {
    const failing = await judge({
      unscanned: "warn",
      scan: async () => {
        throw new Error("registry went away");
      },
    }).judge(REF);
    assert.equal(failing.verdict.decision, "warn");
    assert.match(failing.verdict.reasons[0]?.message ?? "", /could not be scanned: registry went away/);
    const storeDown = await judge({
      stored: async () => {
        throw new Error("database is locked");
      },
      scan: async () => NON_ROOT,
    }).judge(REF);
    assert.equal(storeDown.source, "scanned");
    assert.match(storeDown.warnings.join(), /database is locked/);
    const none = await judge({ unscanned: "wait" }).judge(REF);
    assert.equal(none.verdict.decision, "deny");
    assert.match(none.verdict.reasons[0]?.message ?? "", /scanning is off/);
  });

  it("resolves a tag to its digest, and denies a tag that does not exist", async () => {
    const j = judge({
      registry: () => ({
        findManifest: async (ref: string) =>
          ref === "1.0" ? { bytes: Buffer.from("{}"), digest: DIGEST, mediaType: "" } : undefined,
        blob: async () => Buffer.alloc(0),
      }),
      scan: async () => NON_ROOT,
    });
    const found = await j.judge({ registry: "registry.test", repository: "team/app", tag: "1.0" });
    assert.equal(found.digest, DIGEST);
    assert.equal(found.verdict.decision, "allow");
    const missing = await j.judge({ registry: "registry.test", repository: "team/app", tag: "2.0" });
    assert.equal(missing.verdict.decision, "deny");
    assert.match(missing.verdict.reasons[0]?.message ?? "", /does not exist/);
  });

  it("policy rules about the registry see the registry the image is judged under", async () => {
    const p = policy("deny", "    registries: { allowed: [registry.acme.internal] }");
    const j = createImageJudge({ policy: () => p, registry: noRegistry, scan: async () => NON_ROOT });
    const { verdict } = await j.judge(REF);
    assert.equal(verdict.decision, "deny");
    assert.equal(verdict.reasons[0]?.ruleId, "supply-chain.registry");
  });
});
