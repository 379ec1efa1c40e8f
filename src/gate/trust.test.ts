import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { isPalisadeError } from "../core/index.js";
import { mergePolicies, parsePolicyText } from "../policy/index.js";
import { signatureTag } from "./cosign.js";
import { createGatePolicy, createImageJudge, type ImageJudge } from "./image-verdict.js";
import type { ImageScanInput } from "./scan-input.js";
import { pushAttestation, pushSignature } from "./sign.js";

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** A repository in memory that reads and writes like RegistryClient: manifests by tag or digest, blobs by digest. */
function aRepository() {
  const manifests = new Map<string, Buffer>();
  const blobs = new Map<string, Buffer>();
  const repo = {
    manifests,
    blobs,
    async findManifest(reference: string) {
      const bytes = manifests.get(reference);
      return bytes ? { bytes, digest: sha(bytes), mediaType: "application/vnd.oci.image.manifest.v1+json" } : undefined;
    },
    async blob(digest: string, limit = Number.POSITIVE_INFINITY) {
      const bytes = blobs.get(digest);
      if (!bytes) throw new Error(`no blob ${digest}`);
      if (bytes.length > limit) throw new Error(`blob ${digest} is larger than ${limit} bytes`);
      return bytes;
    },
    async putBlob(bytes: Buffer) {
      blobs.set(sha(bytes), bytes);
      return { digest: sha(bytes), size: bytes.length };
    },
    async putManifest(reference: string, bytes: Buffer) {
      manifests.set(reference, bytes);
      manifests.set(sha(bytes), bytes);
      return sha(bytes);
    },
    /** An image manifest (content made unique by `seed`) under `tag`; returns its digest. */
    image(tag: string, seed: string) {
      const bytes = Buffer.from(
        JSON.stringify({ schemaVersion: 2, config: { digest: sha(Buffer.from(seed)), size: 1 }, layers: [] }),
      );
      manifests.set(tag, bytes);
      manifests.set(sha(bytes), bytes);
      return sha(bytes);
    },
  };
  return repo;
}

const pem = (key: KeyObject) => String(key.export({ type: "spki", format: "pem" }));
const indent = (text: string, n: number) =>
  text
    .trim()
    .split("\n")
    .map((l) => `${" ".repeat(n)}${l}`)
    .join("\n");

const ci = generateKeyPairSync("ec", { namedCurve: "P-256" });
const release = generateKeyPairSync("ed25519");
const intruder = generateKeyPairSync("ec", { namedCurve: "P-256" });

function policyYaml(extra = "", action = "deny"): string {
  return `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: trust }
spec:
  supplyChain:
    trust:
      keys:
        - name: ci
          publicKey: |
${indent(pem(ci.publicKey), 12)}
        - name: release
          publicKey: |
${indent(pem(release.publicKey), 12)}
      signatures:
        - images: ["registry.test/prod/**"]
          signers: [ci, release]
          action: ${action}
      provenance:
        - images: ["registry.test/prod/built/**"]
          signers: [ci]
          builders: ["https://github.com/slsa-framework/slsa-github-generator/**"]
          sources: ["git+https://github.com/acme/**"]
${extra}`;
}

const CLEAN: ImageScanInput = { target: "x", image: { reference: "x", user: "app" } };

function judgeFor(repo: ReturnType<typeof aRepository>, yaml = policyYaml()): ImageJudge {
  const policy = createGatePolicy(mergePolicies([parsePolicyText(yaml, "policy.yaml")]));
  return createImageJudge({ policy: () => policy, registry: () => repo, scan: async () => CLEAN });
}

const REF = { registry: "registry.test", repository: "prod/app" };
const PROVENANCE = {
  buildDefinition: { resolvedDependencies: [{ uri: "git+https://github.com/acme/app@refs/heads/main" }] },
  runDetails: {
    builder: {
      id: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder.yml@refs/tags/v2",
    },
  },
};

describe("trusted sources", () => {
  it("allows an image signed by a policy key (ECDSA P-256 and Ed25519)", async () => {
    for (const key of [ci.privateKey, release.privateKey]) {
      const repo = aRepository();
      const digest = repo.image("1.0", "app");
      await pushSignature(repo, { reference: "registry.test/prod/app", digest }, key);
      const j = await judgeFor(repo).judge({ ...REF, tag: "1.0" });
      assert.equal(j.digest, digest);
      assert.equal(j.verdict.decision, "allow", JSON.stringify(j.verdict));
    }
  });

  it("denies an unsigned image, naming the rule and the policy line", async () => {
    const repo = aRepository();
    repo.image("1.0", "app");
    const { verdict } = await judgeFor(repo).judge({ ...REF, tag: "1.0" });
    assert.equal(verdict.decision, "deny");
    const reason = verdict.reasons.find((r) => r.ruleId === "trust.signature");
    assert.match(reason?.message ?? "", /is not signed/);
    assert.match(reason?.source ?? "", /^policy\.yaml:\d+$/);
  });

  it("warns instead when the rule's action is warn", async () => {
    const repo = aRepository();
    repo.image("1.0", "app");
    const { verdict } = await judgeFor(repo, policyYaml("", "warn")).judge({ ...REF, tag: "1.0" });
    assert.equal(verdict.decision, "warn");
  });

  it("denies a signature made by a key the policy does not trust", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "app");
    await pushSignature(repo, { reference: "registry.test/prod/app", digest }, intruder.privateKey);
    const { verdict } = await judgeFor(repo).judge({ ...REF, tag: "1.0" });
    assert.equal(verdict.decision, "deny");
    assert.match(verdict.reasons[0]?.message ?? "", /none valid for a trusted key/);
  });

  it("denies a valid signature of another digest copied under this image's tag", async () => {
    const repo = aRepository();
    const signed = repo.image("1.0", "app");
    const other = repo.image("2.0", "evil");
    await pushSignature(repo, { reference: "registry.test/prod/app", digest: signed }, ci.privateKey);
    repo.manifests.set(signatureTag(other), repo.manifests.get(signatureTag(signed)) as Buffer);
    const { verdict } = await judgeFor(repo).judge({ ...REF, tag: "2.0" });
    assert.equal(verdict.decision, "deny");
    assert.match(verdict.reasons[0]?.message ?? "", new RegExp(`is for ${signed}, not ${other}`));
  });

  it("denies a tag moved after signing: the signature names the old digest", async () => {
    const repo = aRepository();
    const before = repo.image("1.0", "app");
    await pushSignature(repo, { reference: "registry.test/prod/app", digest: before }, ci.privateKey);
    const judge = judgeFor(repo);
    assert.equal((await judge.judge({ ...REF, tag: "1.0" })).verdict.decision, "allow");
    const after = repo.image("1.0", "app-rebuilt");
    const moved = await judge.judge({ ...REF, tag: "1.0" });
    assert.equal(moved.digest, after);
    assert.equal(moved.verdict.decision, "deny");
    assert.match(moved.verdict.reasons[0]?.message ?? "", /is not signed/);
  });

  it("allows provenance from an allowed builder and source, signed by the required key", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "built");
    const image = { reference: "registry.test/prod/built/api", digest };
    await pushSignature(repo, image, ci.privateKey);
    await pushAttestation(repo, image, ci.privateKey, PROVENANCE);
    const { verdict } = await judgeFor(repo).judge({ registry: "registry.test", repository: "prod/built/api", digest });
    assert.equal(verdict.decision, "allow", JSON.stringify(verdict));
  });

  it("denies an attestation with the wrong builder, and one with no provenance", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "built");
    const image = { reference: "registry.test/prod/built/api", digest };
    await pushSignature(repo, image, ci.privateKey);
    const judge = judgeFor(repo);
    const none = await judge.judge({ registry: "registry.test", repository: "prod/built/api", digest });
    assert.match(
      none.verdict.reasons.find((r) => r.ruleId === "trust.provenance")?.message ?? "",
      /no provenance attestation/,
    );
    await pushAttestation(repo, image, ci.privateKey, {
      ...PROVENANCE,
      runDetails: { builder: { id: "https://laptop.example/my-build-script" } },
    });
    const { verdict } = await judge.judge({ registry: "registry.test", repository: "prod/built/api", digest });
    assert.equal(verdict.decision, "deny");
    assert.match(
      verdict.reasons.find((r) => r.ruleId === "trust.provenance")?.message ?? "",
      /builder https:\/\/laptop.example\/my-build-script is not allowed/,
    );
  });

  it("denies provenance from a foreign source repository, and provenance signed by another key", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "built");
    const image = { reference: "registry.test/prod/built/api", digest };
    await pushSignature(repo, image, ci.privateKey);
    await pushAttestation(repo, image, release.privateKey, PROVENANCE);
    const judge = judgeFor(repo);
    const wrongKey = await judge.judge({ registry: "registry.test", repository: "prod/built/api", digest });
    assert.match(
      wrongKey.verdict.reasons.find((r) => r.ruleId === "trust.provenance")?.message ?? "",
      /none valid for a trusted key \(ci\)/,
    );
    const repo2 = aRepository();
    const d2 = repo2.image("1.0", "built");
    await pushSignature(repo2, { reference: image.reference, digest: d2 }, ci.privateKey);
    await pushAttestation(repo2, { reference: image.reference, digest: d2 }, ci.privateKey, {
      ...PROVENANCE,
      buildDefinition: { resolvedDependencies: [{ uri: "git+https://github.com/mallory/fork" }] },
    });
    const foreign = await judgeFor(repo2).judge({
      registry: "registry.test",
      repository: "prod/built/api",
      digest: d2,
    });
    assert.match(
      foreign.verdict.reasons.find((r) => r.ruleId === "trust.provenance")?.message ?? "",
      /source git\+https:\/\/github.com\/mallory\/fork is not allowed/,
    );
  });

  it("leaves images outside the rules' globs alone", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "dev");
    const { verdict } = await judgeFor(repo).judge({ registry: "registry.test", repository: "dev/app", digest });
    assert.equal(verdict.decision, "allow");
  });

  it("an exception waives a trust rule for its target until it expires", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "app");
    const yaml = policyYaml().replace(
      "  supplyChain:",
      `  exceptions:
    - rule: trust.signature
      target: "registry.test/prod/app@*"
      owner: platform
      reason: signing lands next sprint
      expires: "2999-01-01"
  supplyChain:`,
    );
    const { verdict } = await judgeFor(repo, yaml).judge({ ...REF, digest });
    assert.equal(verdict.decision, "allow");
    assert.match(verdict.reasons[0]?.waivedBy ?? "", /owner platform/);
  });

  it("hostile signature material is a denial with a reason, never a crash", async () => {
    const repo = aRepository();
    const digest = repo.image("1.0", "app");
    const judge = judgeFor(repo);
    const cases: Buffer[] = [
      Buffer.from("not json"),
      Buffer.from(JSON.stringify({ layers: "nope" })),
      Buffer.from(
        JSON.stringify({
          layers: [
            {
              digest: sha(Buffer.from("x")),
              size: 10_000_000,
              annotations: { "dev.cosignproject.cosign/signature": "AAAA" },
            },
          ],
        }),
      ),
      Buffer.from(
        JSON.stringify({
          layers: [
            { digest: sha(Buffer.from("x")), size: 1, annotations: { "dev.cosignproject.cosign/signature": "AAAA" } },
          ],
        }),
      ),
    ];
    // A huge payload that claims a small size: the reader's limit stops it.
    const huge = Buffer.alloc(1_000_000, 0x7b);
    repo.blobs.set(sha(huge), huge);
    cases.push(
      Buffer.from(
        JSON.stringify({
          layers: [{ digest: sha(huge), size: 10, annotations: { "dev.cosignproject.cosign/signature": "AAAA" } }],
        }),
      ),
    );
    for (const manifest of cases) {
      repo.manifests.set(signatureTag(digest), manifest);
      const { verdict } = await judge.judge({ ...REF, digest });
      assert.equal(verdict.decision, "deny");
      assert.equal(verdict.reasons[0]?.ruleId, "trust.signature");
    }
  });

  it("a bad PEM or an unknown signer in the policy is a configuration error naming the line", () => {
    const badPem = policyYaml().replace(
      /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/,
      "-----BEGIN PUBLIC KEY-----\n            AAAA\n            -----END PUBLIC KEY-----",
    );
    assert.throws(
      () => createGatePolicy(mergePolicies([parsePolicyText(badPem, "policy.yaml")])),
      (e) => isPalisadeError(e) && e.code === "bad-config" && /policy\.yaml:\d+: key ci/.test(e.message),
    );
    const unknown = policyYaml().replace("signers: [ci, release]", "signers: [ci, nobody]");
    assert.throws(
      () => createGatePolicy(mergePolicies([parsePolicyText(unknown, "policy.yaml")])),
      /signer nobody is not in supplyChain.trust.keys/,
    );
  });
});
