import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isPalisadeError } from "../core/index.js";
import {
  attestationTag,
  isCosignTag,
  pae,
  parseDsseEnvelope,
  parseInTotoStatement,
  parsePrivateKey,
  parsePublicKey,
  parseSignatureManifest,
  parseSimpleSigningPayload,
  signatureTag,
  signWith,
  toDsseEnvelope,
  toProvenanceFacts,
  toSimpleSigningPayload,
  verifyWith,
} from "./cosign.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

/** A parser either returns or throws a PalisadeError: nothing else escapes. */
function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    assert.ok(isPalisadeError(error), `unexpected ${String(error)}`);
  }
}

describe("cosign formats", () => {
  it("names signature and attestation tags after the digest, as cosign does", () => {
    assert.equal(signatureTag(DIGEST), `sha256-${"ab".repeat(32)}.sig`);
    assert.equal(attestationTag(DIGEST), `sha256-${"ab".repeat(32)}.att`);
    assert.ok(isCosignTag(signatureTag(DIGEST)));
    assert.ok(!isCosignTag("latest"));
  });

  it("round-trips the simple signing payload", () => {
    const payload = toSimpleSigningPayload({ reference: "127.0.0.1:5000/app", digest: DIGEST });
    assert.deepEqual(parseSimpleSigningPayload(payload), { digest: DIGEST, reference: "127.0.0.1:5000/app" });
  });

  it("refuses payloads that are not simple signing documents", () => {
    for (const text of ["", "null", "[]", '{"critical":{}}', '{"critical":{"type":"x"}}', "{".repeat(10_000)])
      assert.throws(
        () => parseSimpleSigningPayload(Buffer.from(text)),
        (e) => isPalisadeError(e) && e.code === "bad-input",
      );
    const huge = Buffer.alloc(200_000, 0x20);
    assert.throws(() => parseSimpleSigningPayload(huge), /more than/);
  });

  it("signs and verifies with ECDSA P-256 and Ed25519, and a flipped byte fails", () => {
    for (const type of ["ec", "ed25519"] as const) {
      const pair = type === "ec" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
      const data = Buffer.from("payload");
      const sig = signWith(pair.privateKey, data);
      assert.ok(verifyWith(pair.publicKey, data, sig));
      const bad = Buffer.from(sig);
      bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
      assert.ok(!verifyWith(pair.publicKey, data, bad));
      assert.ok(!verifyWith(pair.publicKey, data, Buffer.alloc(0)));
    }
  });

  it("rejects bad PEM, RSA keys and other curves with a clear error", () => {
    assert.throws(
      () => parsePublicKey("not a key", "policy.yaml:3: key ci"),
      (e) => isPalisadeError(e) && e.code === "bad-config" && /policy.yaml:3/.test(e.message),
    );
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" });
    assert.throws(() => parsePublicKey(String(rsa), "k"), /expected ECDSA P-256 or Ed25519/);
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ type: "pkcs8", format: "pem" });
    assert.throws(() => parsePrivateKey(String(p384), "k.pem"), /secp384r1.*expected ECDSA P-256/);
    assert.throws(
      () => parsePrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "k.pem"),
      (e) => isPalisadeError(e) && e.code === "bad-input",
    );
  });

  it("round-trips a DSSE envelope and verifies over the pre-authentication encoding", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const statement = Buffer.from(
      JSON.stringify({
        _type: "https://in-toto.io/Statement/v1",
        subject: [{ name: "app", digest: { sha256: "ab".repeat(32) } }],
        predicateType: "https://slsa.dev/provenance/v1",
        predicate: { runDetails: { builder: { id: "https://ci.acme/builder" } } },
      }),
    );
    const envelope = parseDsseEnvelope(toDsseEnvelope("application/vnd.in-toto+json", statement, privateKey));
    assert.ok(
      verifyWith(
        publicKey,
        pae(envelope.payloadType, envelope.payload),
        envelope.signatures[0]?.sig ?? Buffer.alloc(0),
      ),
    );
    assert.ok(!verifyWith(publicKey, envelope.payload, envelope.signatures[0]?.sig ?? Buffer.alloc(0)));
    const parsed = parseInTotoStatement(envelope.payload);
    assert.equal(parsed.subjects[0]?.sha256, "ab".repeat(32));
    assert.deepEqual(toProvenanceFacts(parsed.predicateType, parsed.predicate), {
      builderId: "https://ci.acme/builder",
      sources: [],
    });
  });

  it("reads builder and sources from SLSA v0.2 and v1 provenance", () => {
    assert.deepEqual(
      toProvenanceFacts("https://slsa.dev/provenance/v0.2", {
        builder: { id: "https://github.com/actions/runner" },
        invocation: { configSource: { uri: "git+https://github.com/acme/app@refs/heads/main" } },
        materials: [{ uri: "git+https://github.com/acme/app" }, { nope: 1 }],
      }),
      {
        builderId: "https://github.com/actions/runner",
        sources: ["git+https://github.com/acme/app@refs/heads/main", "git+https://github.com/acme/app"],
      },
    );
    assert.deepEqual(
      toProvenanceFacts("https://slsa.dev/provenance/v1", {
        buildDefinition: {
          externalParameters: { workflow: { repository: "https://github.com/acme/app" } },
          resolvedDependencies: [{ uri: "git+https://github.com/acme/app@refs/heads/main" }],
        },
        runDetails: { builder: { id: "https://github.com/slsa-framework/slsa-github-generator" } },
      }),
      {
        builderId: "https://github.com/slsa-framework/slsa-github-generator",
        sources: ["https://github.com/acme/app", "git+https://github.com/acme/app@refs/heads/main"],
      },
    );
    assert.deepEqual(toProvenanceFacts("https://slsa.dev/provenance/v1", "not an object"), { sources: [] });
  });

  it("caps signature manifests: too many layers, oversized annotations", () => {
    const layer = { mediaType: "x", digest: DIGEST, size: 1 };
    assert.throws(
      () => parseSignatureManifest(Buffer.from(JSON.stringify({ layers: Array(65).fill(layer) }))),
      /more than 64/,
    );
    assert.throws(
      () =>
        parseSignatureManifest(
          Buffer.from(
            JSON.stringify({
              layers: [{ ...layer, annotations: { "dev.cosignproject.cosign/signature": "A".repeat(5000) } }],
            }),
          ),
        ),
      /not a base64 signature/,
    );
    assert.throws(
      () =>
        parseDsseEnvelope(
          Buffer.from(JSON.stringify({ payloadType: "x", payload: "", signatures: Array(100).fill({ sig: "" }) })),
        ),
      /more than/,
    );
  });

  it("parsers never throw anything but a typed error on arbitrary JSON and bytes (property)", () => {
    const parsers = [
      (b: Buffer) => parseSimpleSigningPayload(b),
      (b: Buffer) => parseSignatureManifest(b),
      (b: Buffer) => parseDsseEnvelope(b),
      (b: Buffer) => parseInTotoStatement(b),
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json().map((j) => Buffer.from(j)),
          fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
        ),
        (bytes) => {
          for (const parse of parsers) onlyTypedErrors(() => parse(bytes));
        },
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom("https://slsa.dev/provenance/v0.2", "https://slsa.dev/provenance/v1"),
        (predicate, type) => {
          const facts = toProvenanceFacts(type, predicate);
          assert.ok(Array.isArray(facts.sources));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads well-shaped documents with arbitrary field values (property)", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(
          fc.record({ name: fc.string(), digest: fc.record({ sha256: fc.stringMatching(/^[0-9a-f]{0,64}$/) }) }),
          { maxLength: 5 },
        ),
        fc.jsonValue(),
        (predicateType, subject, predicate) => {
          const parsed = parseInTotoStatement(
            Buffer.from(
              JSON.stringify({ _type: "https://in-toto.io/Statement/v1", predicateType, subject, predicate }),
            ),
          );
          assert.equal(parsed.subjects.length, subject.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
