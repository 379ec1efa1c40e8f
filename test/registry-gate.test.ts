/**
 * The registry gate against a real registry (Debian's docker-registry, started here): images
 * built by the test and pushed with skopeo, pulled through the gate with skopeo. An allowed
 * image arrives bit-identical to a direct pull; a denied one gets the OCI DENIED error naming
 * the rules; signatures written by `pushSignature` are checked on the digest served; token auth
 * passes through; push notifications leave a stored verdict for the first pull.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { recordImageReport } from "../src/cli/image-jobs.js";
import {
  createGatePolicy,
  createGateScanner,
  createImageJudge,
  createRegistryClients,
  createRegistryGate,
  createStoredScans,
  type GatePolicy,
  type ImageJudge,
  pushSignature,
  type RegistryGate,
} from "../src/gate/index.js";
import { loadPolicyFiles } from "../src/policy/index.js";
import { RegistryClient } from "../src/scan/image/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { buildLayer, writeOciLayout } from "./helpers/oci-image.js";
import { registrySkipReason, startRegistry, type TestRegistry } from "./helpers/registry.js";

const run = promisify(execFile);
const skip = registrySkipReason();
const dir = mkdtempSync(join(tmpdir(), "palisade-registry-gate-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const signer = generateKeyPairSync("ec", { namedCurve: "P-256" });
const stranger = generateKeyPairSync("ed25519");

async function layout(name: string, user: string | undefined, marker: string): Promise<string> {
  const path = join(dir, name);
  writeOciLayout(path, {
    v1: {
      layers: [
        await buildLayer({
          files: [
            { path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" },
            { path: "app/data.bin", content: Buffer.alloc(256 * 1024, marker) },
          ],
        }),
      ],
      config: user ? { User: user } : {},
    },
  });
  return path;
}

function writePolicy(registry: string, unscanned = "wait"): string {
  const file = join(dir, `policy-${unscanned}.yaml`);
  const pem = String(signer.publicKey.export({ type: "spki", format: "pem" }))
    .trim()
    .split("\n")
    .map((l) => `            ${l}`)
    .join("\n");
  writeFileSync(
    file,
    `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: gate-test }
spec:
  supplyChain:
    images: { nonRoot: true }
    imageVerdicts: { unscanned: ${unscanned}, scanBudgetSeconds: 20 }
    trust:
      keys:
        - name: ci
          publicKey: |
${pem}
      signatures:
        - images: ["${registry}/prod/**"]
          signers: [ci]
`,
  );
  return file;
}

interface Gate {
  url: string;
  host: string;
  gate: RegistryGate;
  judge: ImageJudge;
  store: Store;
  /** What the gate reported judging, in order. */
  decisions: { image: string; decision: string }[];
  close(): Promise<void>;
}

async function startGate(
  upstream: string,
  options: { policy: GatePolicy; creds?: { username: string; password: string }; notifications?: boolean },
): Promise<Gate> {
  const registryOptions = () => ({ insecure: true, ...(options.creds ?? {}) });
  const clients = createRegistryClients(registryOptions);
  const store = openStore({ location: join(mkdtempSync(join(dir, "store-")), "palisade.db") });
  await store.migrate();
  const judge = createImageJudge({
    policy: () => options.policy,
    registry: (image) => clients.client(image),
    stored: createStoredScans(store),
    scan: createGateScanner({
      registryOptions,
      record: (report, image) =>
        recordImageReport(store, report, { digest: image.digest, name: image.repository, startedAt: Date.now() }),
    }),
  });
  const decisions: Gate["decisions"] = [];
  const gate = createRegistryGate({
    upstream: `http://${upstream}`,
    judge,
    onDecision: ({ image, judgement }) => decisions.push({ image, decision: judgement.verdict.decision }),
    ...(options.notifications ? { notifications: { token: "s3cret" } } : {}),
  });
  const { port } = await gate.listen("127.0.0.1", 0);
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    gate,
    judge,
    store,
    decisions,
    async close() {
      await gate.close();
      await clients.close();
      await store.close();
    },
  };
}

async function pull(source: string, to: string, creds?: string) {
  return run(
    "skopeo",
    [
      "copy",
      "--quiet",
      "--src-tls-verify=false",
      ...(creds ? ["--src-creds", creds] : []),
      `docker://${source}`,
      `dir:${to}`,
    ],
    { timeout: 60_000 },
  );
}

/** One request written by hand (paths fetch would normalise), the answer's head and body as text. */
function rawRequest(host: string, requestLine: string): Promise<string> {
  const [hostname, port] = host.split(":");
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname as string, () => {
      socket.write(
        `${requestLine}\r\nHost: ${host}\r\nAccept: application/vnd.oci.image.manifest.v1+json\r\nConnection: close\r\n\r\n`,
      );
    });
    let text = "";
    socket.on("data", (d: Buffer) => {
      text += d.toString();
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

function sameFiles(a: string, b: string) {
  const files = readdirSync(a).sort();
  assert.deepEqual(readdirSync(b).sort(), files);
  for (const f of files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs`);
}

describe("registry gate", { skip, timeout: 120_000 }, () => {
  let registry: TestRegistry;
  let gate: Gate;
  before(async () => {
    registry = await startRegistry();
    const good = await layout("good", "1000", "g");
    const root = await layout("root", undefined, "r");
    await Promise.all([
      registry.push(good, "v1", "team/good:1.0"),
      registry.push(root, "v1", "team/root:1.0"),
      registry.push(good, "v1", "prod/api:1.0"),
      registry.push(await layout("moved", "1000", "m"), "v1", "prod/moved:1.0"),
    ]);
    gate = await startGate(registry.host, {
      policy: createGatePolicy(loadPolicyFiles([writePolicy(registry.host)])),
      notifications: true,
    });
  });
  after(async () => {
    await gate?.close();
    await registry?.stop();
  });

  it("an allowed image pulled through the gate is bit-identical to a direct pull", async () => {
    const direct = join(dir, "direct-good");
    const through = join(dir, "gate-good");
    await pull(`${registry.host}/team/good:1.0`, direct);
    await pull(`${gate.host}/team/good:1.0`, through);
    sameFiles(direct, through);
  });

  it("pushes (blob uploads, manifests) go through the gate to the registry untouched", async () => {
    const source = await layout("via-gate", "1000", "v");
    await run(
      "skopeo",
      ["copy", "--quiet", "--dest-tls-verify=false", `oci:${source}:v1`, `docker://${gate.host}/team/via-gate:1.0`],
      { timeout: 60_000 },
    );
    const direct = join(dir, "via-gate-direct");
    const through = join(dir, "via-gate-through");
    await pull(`${registry.host}/team/via-gate:1.0`, direct);
    await pull(`${gate.host}/team/via-gate:1.0`, through);
    sameFiles(direct, through);
  });

  it("a denied image gets 403 with the OCI DENIED error naming the rule; skopeo reports it", async () => {
    const response = await fetch(`${gate.url}/v2/team/root/manifests/1.0`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    const text = await response.text();
    assert.equal(response.status, 403, text);
    const body = JSON.parse(text) as {
      errors: { code: string; message: string; detail: { reasons: { ruleId: string }[] } }[];
    };
    assert.equal(body.errors[0]?.code, "DENIED");
    assert.match(body.errors[0]?.message ?? "", /image\.non-root/);
    assert.deepEqual(
      body.errors[0]?.detail.reasons.map((r) => r.ruleId),
      ["image.non-root"],
    );
    const head = await fetch(`${gate.url}/v2/team/root/manifests/1.0`, {
      method: "HEAD",
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    assert.equal(head.status, 403);
    await assert.rejects(pull(`${gate.host}/team/root:1.0`, join(dir, "gate-root")), /denied|DENIED/);
    // Every judgement is reported for the audit trail (GET and HEAD alike; the recorder collapses repeats).
    const root = gate.decisions.filter((d) => d.image.endsWith("/team/root:1.0"));
    assert.ok(root.length >= 2, JSON.stringify(gate.decisions));
    assert.ok(root.every((d) => d.decision === "deny"));
  });

  it("blobs stream through untouched, even of a denied image (only manifests are gated)", async () => {
    const client = new RegistryClient({ registry: registry.host, repository: "team/root" }, { insecure: true });
    const manifest = JSON.parse((await client.manifest("1.0")).bytes.toString()) as { layers: { digest: string }[] };
    await client.close();
    const digest = manifest.layers[0]?.digest as string;
    const direct = Buffer.from(
      await (await fetch(`http://${registry.host}/v2/team/root/blobs/${digest}`)).arrayBuffer(),
    );
    const through = Buffer.from(await (await fetch(`${gate.url}/v2/team/root/blobs/${digest}`)).arrayBuffer());
    assert.ok(direct.length > 0 && direct.equals(through));
  });

  it("an image under a signature rule: denied unsigned, denied signed by a stranger, allowed once signed by the policy's key", async () => {
    await assert.rejects(pull(`${gate.host}/prod/api:1.0`, join(dir, "unsigned")), /not signed/);
    const client = new RegistryClient({ registry: registry.host, repository: "prod/api" }, { insecure: true });
    const digest = (await client.manifest("1.0")).digest;
    await pushSignature(client, { reference: `${registry.host}/prod/api`, digest }, stranger.privateKey);
    await assert.rejects(pull(`${gate.host}/prod/api:1.0`, join(dir, "stranger")), /none valid for a trusted key/);
    await pushSignature(client, { reference: `${registry.host}/prod/api`, digest }, signer.privateKey);
    await client.close();
    await pull(`${gate.host}/prod/api:1.0`, join(dir, "signed"));
    await pull(`${gate.host}/prod/api@${digest}`, join(dir, "signed-by-digest"));
  });

  it("a tag moved after signing is denied: the new digest has no signature", async () => {
    const client = new RegistryClient({ registry: registry.host, repository: "prod/moved" }, { insecure: true });
    const digest = (await client.manifest("1.0")).digest;
    await pushSignature(client, { reference: `${registry.host}/prod/moved`, digest }, signer.privateKey);
    await pull(`${gate.host}/prod/moved:1.0`, join(dir, "moved-before"));
    await registry.push(await layout("moved2", "1000", "n"), "v1", "prod/moved:1.0");
    const response = await fetch(`${gate.url}/v2/prod/moved/manifests/1.0`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /is not signed/);
    await client.close();
  });

  it("push notifications scan in the background so the first pull finds a stored verdict", async () => {
    await registry.push(await layout("pushed", "1000", "p"), "v1", "team/pushed:1.0");
    const client = new RegistryClient({ registry: registry.host, repository: "team/pushed" }, { insecure: true });
    const { digest } = await client.manifest("1.0");
    await client.close();
    const envelope = {
      events: [
        {
          id: "e1",
          timestamp: new Date().toISOString(),
          action: "push",
          target: {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest,
            repository: "team/pushed",
            tag: "1.0",
          },
          request: { method: "PUT" },
        },
      ],
    };
    const refused = await fetch(`${gate.url}/notifications`, { method: "POST", body: JSON.stringify(envelope) });
    assert.equal(refused.status, 401);
    const accepted = await fetch(`${gate.url}/notifications`, {
      method: "POST",
      headers: { authorization: "Bearer s3cret", "content-type": "application/vnd.docker.distribution.events.v1+json" },
      body: JSON.stringify(envelope),
    });
    assert.equal(accepted.status, 202);
    assert.deepEqual(await accepted.json(), { accepted: 1 });
    await gate.judge.idle();
    const judged = await gate.judge.judge({ registry: registry.host, repository: "team/pushed", digest });
    assert.equal(judged.source, "stored");
    assert.equal(judged.verdict.decision, "allow");
    const bad = await fetch(`${gate.url}/notifications`, {
      method: "POST",
      headers: { authorization: "Bearer s3cret" },
      body: "{not json",
    });
    assert.equal(bad.status, 400);
  });

  it("answers hostile requests with OCI errors and keeps serving", async () => {
    const upstreamDown = createRegistryGate({ upstream: "http://127.0.0.1:9", judge: gate.judge });
    const { port } = await upstreamDown.listen("127.0.0.1", 0);
    const down = await fetch(`http://127.0.0.1:${port}/v2/team/good/manifests/1.0`);
    assert.equal(down.status, 502);
    assert.equal(((await down.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAVAILABLE");
    await upstreamDown.close();
    // Paths the registry would decode or clean into the denied manifest are refused, not passed on.
    for (const path of [
      "/v2/team/root/manifests/1%2E0",
      "/v2/team%2Froot/manifests/1.0",
      "/v2/team//root/manifests/1.0",
      "/v2/team/./root/manifests/1.0",
      "/v2/team/x/../root/manifests/1.0",
      "/v2/Team/Root/manifests/1.0",
      "/v2/team/root/manifests/1.0;x",
    ]) {
      const response = await rawRequest(gate.host, `GET ${path} HTTP/1.1`);
      assert.match(response, /^HTTP\/1\.1 400 /, path);
      assert.match(response, /NAME_INVALID/, path);
    }
    const absolute = await rawRequest(gate.host, `GET http://${registry.host}/v2/team/root/manifests/1.0 HTTP/1.1`);
    assert.match(absolute, /^HTTP\/1\.1 400 /);
    const missing = await fetch(`${gate.url}/v2/team/nothing/manifests/1.0`);
    assert.equal(missing.status, 404);
    const ok = await fetch(`${gate.url}/v2/`);
    assert.equal(ok.status, 200);
  });
});

describe("registry gate with token auth", { skip, timeout: 120_000 }, () => {
  const auth = { username: "ci", password: "p4ss" };
  let registry: TestRegistry;
  let gate: Gate;
  before(async () => {
    registry = await startRegistry(auth);
    await registry.push(await layout("auth-good", "1000", "a"), "v1", "team/app:1.0", "ci:p4ss");
    gate = await startGate(registry.host, {
      policy: createGatePolicy(loadPolicyFiles([writePolicy(registry.host)])),
      creds: auth,
    });
  });
  after(async () => {
    await gate?.close();
    await registry?.stop();
  });

  it("passes the upstream's bearer challenge to clients and their token upstream", async () => {
    const challenge = await fetch(`${gate.url}/v2/`);
    assert.equal(challenge.status, 401);
    assert.match(challenge.headers.get("www-authenticate") ?? "", /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token"/);
    const direct = join(dir, "auth-direct");
    const through = join(dir, "auth-through");
    await pull(`${registry.host}/team/app:1.0`, direct, "ci:p4ss");
    await pull(`${gate.host}/team/app:1.0`, through, "ci:p4ss");
    sameFiles(direct, through);
    await assert.rejects(
      pull(`${gate.host}/team/app:1.0`, join(dir, "auth-none")),
      /unauthorized|authentication required|401/i,
    );
  });
});
