import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Detection } from "../detection.js";
import { createSecretsDetector } from "./detector.js";
import { compileSecretRules } from "./load-rules.js";

const detector = createSecretsDetector();

function values(text: string): { ruleId: string; value: string }[] {
  return detector.detect(text).map((d) => ({ ruleId: d.ruleId, value: text.slice(d.start, d.end) }));
}

function only(text: string): Detection {
  const found = detector.detect(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0] as Detection;
}

const GITHUB = "ghp_R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0sY2aE8u";
const OPENAI = "sk-proj-Qx7mK2vR9tL4nW8zC1fH5jB3pN6dS0yA2eG8uJ4kM7qT9wX1cV5bZ3hF6";

describe("createSecretsDetector", () => {
  it("declares its kind and truthful bounds", () => {
    assert.equal(detector.kind, "secrets");
    assert.ok(detector.maxSpanLength >= 8000 && detector.maxSpanLength <= 8192 + 256);
    assert.ok(detector.contextReach > 0);
  });

  it("reports a provider key with its rule, entity and keyword reason", () => {
    const text = `export GITHUB_TOKEN=${GITHUB}\n`;
    const d = only(text);
    assert.equal(text.slice(d.start, d.end), GITHUB);
    assert.equal(d.entity, "GITHUB_TOKEN");
    assert.equal(d.ruleId, "github-classic-pat");
    assert.equal(d.detector, "secrets");
    assert.deepEqual(d.reasons, ["keyword:ghp_"]);
  });

  it("covers the value, not the variable name, for assignments", () => {
    const text = 'db_password = "hunter2xyz"';
    const d = only(text);
    assert.equal(text.slice(d.start, d.end), "hunter2xyz");
    assert.equal(d.entity, "PASSWORD");
    assert.ok(d.reasons.some((r) => r.startsWith("entropy:")));
  });

  it("reports the provider rule, not the generic one, for a provider key in an assignment", () => {
    assert.deepEqual(values(`api_key = "${OPENAI}"`), [{ ruleId: "openai-project-key", value: OPENAI }]);
  });

  it("does not report placeholders and stopwords", () => {
    for (const text of [
      "password = changeme",
      'password = "password"',
      "api_key = xxxxxxxxxxxxxxxxxxxx",
      "token: ***************",
      "OPENAI_API_KEY=<your-key>",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the input under test
      "secret: ${SECRET_VALUE}",
      "secret: {{ vault_secret }}",
      "password = example123",
      "password = dummy-pass",
      "password: test1234",
      'password = os.environ["DB_PASSWORD"]',
      "token = process.env.GITHUB_TOKEN",
      "postgres://user:password@localhost:5432/db",
      "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ]) {
      assert.deepEqual(values(text), [], text);
    }
  });

  it("reports nothing, and runs no pattern, when no keyword occurs", () => {
    const rules = compileSecretRules([
      {
        file: "t.yaml",
        text: "version: 1\nrules:\n  - {id: any-word, entity: WORD, description: d, keywords: [zzz], regex: '[a-z]{3}', severity: low}\n",
      },
    ]);
    assert.deepEqual(createSecretsDetector({ rules }).detect("abc def"), []);
    assert.equal(createSecretsDetector({ rules }).detect("abc zzz").length, 2);
  });

  it("finds a key at the very start and the very end of the text", () => {
    assert.deepEqual(values(GITHUB), [{ ruleId: "github-classic-pat", value: GITHUB }]);
    const text = `${"lorem ipsum ".repeat(100)}${GITHUB}`;
    assert.equal(only(text).start, text.length - GITHUB.length);
  });

  it("reports a whole PEM private key", () => {
    const body = Array.from(
      { length: 20 },
      (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${i}abcdXYZ`,
    ).join("\n");
    const pem = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
    const text = `key:\n${pem}\n`;
    const d = only(text);
    assert.equal(text.slice(d.start, d.end), pem);
    assert.equal(d.entity, "PRIVATE_KEY");
  });

  it("does not report a PEM block longer than maxSpanLength", () => {
    const body = "QUJD".repeat(3000);
    assert.deepEqual(values(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`), []);
  });

  it("honours disable and minScore", () => {
    const text = `token: ${GITHUB}\npassword = hunter2xyz`;
    assert.deepEqual(
      createSecretsDetector({ disable: ["github-classic-pat"] })
        .detect(text)
        .map((d) => d.ruleId),
      ["generic-secret-assignment", "generic-password-assignment"],
    );
    assert.deepEqual(
      createSecretsDetector({ minScore: 0.8 })
        .detect(text)
        .map((d) => d.ruleId),
      ["github-classic-pat"],
    );
  });

  it("never throws and keeps spans inside the text (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        for (const d of detector.detect(text)) {
          assert.ok(d.start >= 0 && d.start < d.end && d.end <= text.length);
          assert.ok(d.end - d.start <= detector.maxSpanLength);
          assert.ok(d.score >= 0 && d.score <= 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("finds a key inserted into random text at its offsets (property)", () => {
    const filler = fc.string({ unit: fc.constantFrom("a", "b", " ", "\n", ".", ",", "é", "1"), maxLength: 3000 });
    fc.assert(
      fc.property(filler, filler, fc.constantFrom(GITHUB, OPENAI), (before, after, key) => {
        const text = `${before} ${key} ${after}`;
        const start = before.length + 1;
        const found = detector.detect(text).filter((d) => d.start === start && d.end === start + key.length);
        assert.equal(found.length, 1);
      }),
      { numRuns: 200 },
    );
  });

  it("reports tens of thousands of secrets in one input quickly, up to maxDetections", () => {
    const text = Array.from({ length: 30_000 }, (_, i) => `password=Kp9#Wv2!${i.toString(36)}`).join("\n");
    const started = performance.now();
    assert.equal(detector.detect(text).length, 30_000);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5000, `${elapsed.toFixed(0)} ms`);
    assert.equal(createSecretsDetector({ maxDetections: 100 }).detect(text).length, 100);
  });

  it("scans megabytes of prose within a generous time budget", () => {
    const prose = "The quick brown fox asks a passing task force about the key to the secret garden. ".repeat(24_000);
    const text = `${prose}${GITHUB}\n${prose}`;
    const started = performance.now();
    const found = detector.detect(text);
    const elapsed = performance.now() - started;
    assert.equal(found.filter((d) => d.ruleId === "github-classic-pat").length, 1);
    assert.ok(elapsed < 5000, `${elapsed.toFixed(0)} ms for ${text.length} chars`);
  });
});
