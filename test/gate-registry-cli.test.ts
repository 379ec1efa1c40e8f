/**
 * The chain end to end with the shipped CLI and no other signing tool: `palisade gate registry`
 * in front of a real registry denies an unsigned image, `palisade sign image` signs it with a
 * key generated here, and the same pull then goes through. Bad keys, bad policies and bad
 * attestations are exit 2 with a one-line reason.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { openStore } from "../src/store/index.js";
import { runCli } from "./helpers/cli.js";
import { buildLayer, writeOciLayout } from "./helpers/oci-image.js";
import { freePort, registrySkipReason, startRegistry, type TestRegistry } from "./helpers/registry.js";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/palisade.js", import.meta.url));
const skip = registrySkipReason();
const dir = mkdtempSync(join(tmpdir(), "palisade-gate-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const key = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyFile = join(dir, "ci.key.pem");
writeFileSync(keyFile, String(key.privateKey.export({ type: "pkcs8", format: "pem" })), { mode: 0o600 });

function policy(registry: string, publicKey: string): string {
  const file = join(dir, `policy-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: cli }
spec:
  supplyChain:
    imageVerdicts: { unscanned: wait }
    trust:
      keys:
        - name: ci
          publicKey: |
${publicKey
  .trim()
  .split("\n")
  .map((l) => `            ${l}`)
  .join("\n")}
      signatures:
        - images: ["${registry}/prod/**"]
          signers: [ci]
`,
  );
  return file;
}

async function startGate(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, "--db", join(dir, "gate.db"), "gate", "registry", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("registry gate ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`gate exited ${code}: ${err}`)));
  });
}

const pull = (source: string, to: string) =>
  run("skopeo", ["copy", "--quiet", "--src-tls-verify=false", `docker://${source}`, `dir:${to}`], { timeout: 60_000 });

describe("palisade gate registry and palisade sign image", { skip, timeout: 120_000 }, () => {
  let registry: TestRegistry;
  let gate: ChildProcess | undefined;
  let gateHost = "";
  before(async () => {
    registry = await startRegistry();
    writeOciLayout(join(dir, "layout"), {
      v1: {
        layers: [await buildLayer({ files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }] })],
        config: { User: "1000" },
      },
    });
    await registry.push(join(dir, "layout"), "v1", "prod/app:1.0");
    const port = await freePort();
    gateHost = `127.0.0.1:${port}`;
    const publicKey = String(key.publicKey.export({ type: "spki", format: "pem" }));
    gate = await startGate([
      "--upstream",
      `http://${registry.host}`,
      "--listen",
      gateHost,
      "--policy",
      policy(registry.host, publicKey),
      "--format",
      "json",
    ]);
  });
  after(async () => {
    if (gate && gate.exitCode === null) {
      gate.kill("SIGTERM");
      await new Promise((resolve) => gate?.once("exit", resolve));
    }
    await registry?.stop();
  });

  it("denies the unsigned image, then serves it once `palisade sign image` signed it", async () => {
    await assert.rejects(pull(`${gateHost}/prod/app:1.0`, join(dir, "before")), /DENIED|denied.*not signed/);
    const signed = await runCli([
      "sign",
      "image",
      `${registry.host}/prod/app:1.0`,
      "--key",
      keyFile,
      "--insecure",
      "--format",
      "json",
    ]);
    assert.equal(signed.code, 0, signed.stderr);
    const result = JSON.parse(signed.stdout) as { image: string; pushed: { kind: string; tag: string }[] };
    assert.match(result.image, /@sha256:[a-f0-9]{64}$/);
    assert.match(result.pushed[0]?.tag ?? "", /^sha256-[a-f0-9]{64}\.sig$/);
    await pull(`${gateHost}/prod/app:1.0`, join(dir, "after"));
  });

  it("stops on SIGTERM with exit 0, its decisions recorded in the store's audit trail", async () => {
    const child = gate as ChildProcess;
    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    assert.equal(code, 0);
    const store = openStore({ location: join(dir, "gate.db") });
    try {
      const events = await store.db
        .selectFrom("events")
        .select(["kind", "verdict", "payload"])
        .where("kind", "=", "gate.registry")
        .orderBy("time")
        .execute();
      const decisions = events.map((e) => {
        const p = JSON.parse(e.payload) as { target: string; decision: string; digest?: string };
        return [p.target.replace(registry.host, "REG"), p.decision, e.verdict, /^sha256:/.test(p.digest ?? "")];
      });
      // The denied pull (its HEAD and GET once), then the signed image served; images by the upstream's name.
      assert.deepEqual(decisions.at(0), ["REG/prod/app:1.0", "deny", "blocked", true]);
      assert.deepEqual(decisions.at(-1), ["REG/prod/app:1.0", "allow", "allowed", true]);
      assert.equal(decisions.filter((d) => d[1] === "deny").length, 1, JSON.stringify(decisions));
    } finally {
      await store.close();
    }
  });

  it("a bad PEM key in the policy stops the gate at start with exit 2 naming the policy line", async () => {
    const file = policy("127.0.0.1:1", "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n");
    const result = await runCli(["gate", "registry", "--upstream", "http://127.0.0.1:1", "--policy", file]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /policy-[a-z0-9]+\.yaml:\d+: key ci: not a PEM public key/);
  });

  it("bad keys and attestations for `sign image` are exit 2 with one line", async () => {
    const rsa = join(dir, "rsa.pem");
    writeFileSync(
      rsa,
      String(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" })),
    );
    const garbage = join(dir, "garbage.pem");
    writeFileSync(garbage, "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n");
    const notJson = join(dir, "provenance.json");
    writeFileSync(notJson, "{ nope");
    for (const [args, pattern] of [
      [["--key", rsa], /a rsa key; expected ECDSA P-256 or Ed25519/],
      [["--key", garbage], /not an unencrypted PEM private key/],
      [["--key", join(dir, "missing.pem")], /cannot read key/],
      [["--key", keyFile, "--attest", notJson], /provenance.json: not JSON/],
    ] as const) {
      const result = await runCli(["sign", "image", `${registry.host}/prod/app:1.0`, ...args, "--insecure"]);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    }
  });
});
