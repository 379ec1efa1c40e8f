import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseAdmissionReview, ReviewError, toAdmissionReview } from "./admission-review.js";
import { aReview, aWorkload } from "./fixtures/admission.js";
import { parseImageRef } from "./k8s-objects.js";

describe("AdmissionReview parser", () => {
  it("reads a review of real shape", () => {
    const request = parseAdmissionReview(JSON.stringify(aReview(aWorkload("Deployment"), { uid: "u1", dryRun: true })));
    assert.equal(request.uid, "u1");
    assert.equal(request.kind.kind, "Deployment");
    assert.equal(request.dryRun, true);
  });

  it("never throws anything but a ReviewError on any text, and never answers an unknown status", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          try {
            parseAdmissionReview(text, { maxBytes: 4096, maxDepth: 8 });
          } catch (error) {
            assert.ok(error instanceof ReviewError);
            assert.ok([400, 413].includes(error.status));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps the uid of a readable request in every error it can", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.anything(), (uid, junk) => {
        const review = {
          apiVersion: "admission.k8s.io/v1",
          kind: "AdmissionReview",
          request: { uid, operation: junk },
        };
        try {
          parseAdmissionReview(JSON.stringify(review));
        } catch (error) {
          assert.ok(error instanceof ReviewError);
          assert.equal(error.uid, uid);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses deep nesting and oversized text before parsing further", () => {
    const deep = `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    assert.throws(
      () => parseAdmissionReview(deep),
      (e: unknown) => e instanceof ReviewError && /deeper/.test(e.message),
    );
    assert.throws(
      () => parseAdmissionReview("x".repeat(100), { maxBytes: 10, maxDepth: 8 }),
      (e: unknown) => e instanceof ReviewError && e.status === 413,
    );
  });

  it("bounds the warnings and the message it sends back", () => {
    const review = toAdmissionReview({
      uid: "u",
      allowed: false,
      message: "m".repeat(10_000),
      warnings: Array(50).fill("w".repeat(1000)),
    });
    assert.equal(review.response.warnings?.length, 20);
    assert.ok((review.response.warnings?.[0]?.length ?? 0) <= 256);
    assert.ok((review.response.status?.message.length ?? 0) <= 4096);
  });
});

describe("image references", () => {
  it("splits references the way the container runtime does", () => {
    assert.deepEqual(parseImageRef("nginx"), {
      reference: "nginx",
      registry: "docker.io",
      repository: "library/nginx",
      tag: "latest",
    });
    assert.deepEqual(parseImageRef("vllm/vllm-openai:v0.6.3"), {
      reference: "vllm/vllm-openai:v0.6.3",
      registry: "docker.io",
      repository: "vllm/vllm-openai",
      tag: "v0.6.3",
    });
    const digest = `sha256:${"a".repeat(64)}`;
    assert.deepEqual(parseImageRef(`localhost:5000/ml/app:1@${digest}`), {
      reference: `localhost:5000/ml/app:1@${digest}`,
      registry: "localhost:5000",
      repository: "ml/app",
      tag: "1",
      digest,
    });
    assert.equal(parseImageRef("UPPER/case"), undefined);
    assert.equal(parseImageRef("app@sha256:short"), undefined);
  });

  it("never throws on any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => void parseImageRef(s)),
      { numRuns: 3000 },
    );
  });
});
