/**
 * A stored verdict judges the same facts as a fresh one: an image scanned and recorded as
 * `scan image` records it, read back from the store (SQLite, and PostgreSQL when configured),
 * gives the policy the same reasons as the scan report itself. An index digest is followed to
 * the platform image scanned.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { recordImageReport } from "../src/cli/image-jobs.js";
import { createStoredScans, toScanInput } from "../src/gate/index.js";
import { compilePolicy, mergePolicies, parsePolicyText, ScanInputSchema } from "../src/policy/index.js";
import { defaultScanOptions, type ImageScanReport, scanImage } from "../src/scan/image/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { buildLayer, writeOciLayout } from "./helpers/oci-image.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-stored-scans-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const POLICY = compilePolicy(
  mergePolicies([
    parsePolicyText(
      `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: stored }
spec:
  supplyChain:
    baseImages: { allowed: [{ family: alpine }] }
    bannedPackages: [{ purl: "pkg:pypi/requests*", reason: "use httpx" }]
    aiSdks: { approved: [openai] }
    images: { nonRoot: true, noSecrets: true, noShell: true }
    findings: { severity: medium }
`,
      "policy.yaml",
    ),
  ]),
);

const distInfo = (name: string, version: string) => ({
  path: `usr/local/lib/python3.11/site-packages/${name}-${version}.dist-info/METADATA`,
  content: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\n`,
});

let report: ImageScanReport;
before(async () => {
  writeOciLayout(join(dir, "layout"), {
    app: {
      layers: [
        await buildLayer({
          files: [
            { path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" },
            { path: "bin/sh", content: "ELF", mode: 0o755 },
            distInfo("torch", "2.3.1"),
            distInfo("requests", "2.32.3"),
          ],
        }),
      ],
      config: { Env: ["OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKl"] },
    },
  });
  report = await scanImage(`oci:${join(dir, "layout")}:app`, defaultScanOptions());
});

const reasons = (input: object) =>
  POLICY.evaluate(ScanInputSchema.parse({ ...input, kind: "scan", target: "t" }))
    .reasons.map((r) => `${r.ruleId} ${r.decision} ${r.message}`)
    .sort();

function contract(name: string, open: () => Promise<{ store: Store; drop?: () => Promise<void> }>, skip?: string) {
  describe(`stored scans (${name})`, { skip }, () => {
    let store: Store;
    let drop: (() => Promise<void>) | undefined;
    before(async () => {
      ({ store, drop } = await open());
      await store.migrate();
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    it("a stored scan gives the policy the same reasons as the fresh report", async () => {
      const digest = report.digest as string;
      await recordImageReport(store, report, { digest, name: "app", startedAt: Date.now() });
      const stored = await createStoredScans(store)(digest);
      assert.ok(stored, "the scan is found by its digest");
      assert.ok(Date.now() - stored.scannedAt < 60_000);
      const fresh = reasons(toScanInput(report));
      assert.ok(fresh.length >= 5, `the policy has things to say: ${fresh.join("\n")}`);
      assert.deepEqual(reasons(stored.input), fresh);
    });

    it("an index digest is followed to the platform image scanned; an unknown digest has no scan", async () => {
      const index = `sha256:${"e".repeat(64)}`;
      await recordImageReport(store, report, { digest: index, name: "app", startedAt: Date.now() });
      const stored = await createStoredScans(store)(index);
      assert.equal(stored?.scannedDigest, report.digest);
      assert.equal(await createStoredScans(store)(`sha256:${"f".repeat(64)}`), undefined);
    });
  });
}

contract("sqlite", async () => ({ store: openStore({ location: join(mkdtempSync(join(dir, "db-")), "p.db") }) }));
contract(
  "postgres",
  async () => {
    const db = await createTempDatabase();
    return { store: openStore({ location: db.url }), drop: db.drop };
  },
  postgresSkipReason(),
);
