/**
 * `palisade gate admission` as shipped: a review over TLS is judged, and each decision on a
 * workload is written to the store's audit trail as a gate.admission event (a dry run is not).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { aContainer, aReview, aWorkload } from "../src/gate/fixtures/admission.js";
import { createWebhookCertificates } from "../src/gate/index.js";
import { openStore } from "../src/store/index.js";
import { freePort } from "./helpers/registry.js";

const BIN = fileURLToPath(new URL("../bin/palisade.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "palisade-admission-cli-"));
const certs = createWebhookCertificates({ names: ["127.0.0.1"] });

function post(port: number, body: unknown): Promise<{ allowed: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/validate",
        method: "POST",
        ca: certs.caCert,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () => resolve((JSON.parse(text) as { response: { allowed: boolean } }).response));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("palisade gate admission", { timeout: 60_000 }, () => {
  let child: ChildProcess;
  let port = 0;
  before(async () => {
    writeFileSync(join(dir, "cert.pem"), certs.cert);
    writeFileSync(join(dir, "key.pem"), certs.key);
    writeFileSync(
      join(dir, "policy.yaml"),
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: cluster }\nspec:\n  kubernetes:\n    runAsNonRoot: deny\n",
    );
    port = await freePort();
    child = spawn(
      process.execPath,
      [
        BIN,
        "--db",
        join(dir, "store.db"),
        "gate",
        "admission",
        "--listen",
        `127.0.0.1:${port}`,
        "--tls-cert",
        join(dir, "cert.pem"),
        "--tls-key",
        join(dir, "key.pem"),
        "--policy",
        join(dir, "policy.yaml"),
        "--no-images",
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, PALISADE_HOME: dir } },
    );
    await new Promise<void>((resolve, reject) => {
      let err = "";
      child.stderr?.on("data", (d: Buffer) => {
        err += d.toString();
        if (err.includes("admission webhook ready")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
  });
  after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("records each decision on a workload as a gate.admission event, but not a dry run's", async () => {
    const root = (name: string) =>
      aWorkload("Deployment", {
        name,
        namespace: "ml",
        podSpec: { containers: [aContainer({ securityContext: { runAsUser: 0 } })] },
      });
    assert.equal((await post(port, aReview(root("llm")))).allowed, false);
    assert.equal((await post(port, aReview(root("rehearsal"), { dryRun: true }))).allowed, false);
    assert.equal((await post(port, aReview(aWorkload("Deployment", { name: "web", namespace: "ml" })))).allowed, true);
    child.kill("SIGTERM");
    assert.equal(await new Promise((resolve) => child.once("exit", resolve)), 0);

    const store = openStore({ location: join(dir, "store.db") });
    try {
      const rows = await store.db
        .selectFrom("events")
        .select(["verdict", "reason", "payload"])
        .where("kind", "=", "gate.admission")
        .orderBy("time")
        .execute();
      assert.deepEqual(
        rows.map((r) => {
          const p = JSON.parse(r.payload) as { target: string; policy: string };
          return [p.target, p.policy, r.verdict, r.reason];
        }),
        [
          ["Deployment ml/llm", "cluster", "blocked", "kubernetes.run-as-non-root"],
          ["Deployment ml/web", "cluster", "allowed", null],
        ],
      );
    } finally {
      await store.close();
    }
  });
});
