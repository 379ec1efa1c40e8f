import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { runStreamProfileContract, secretSamples, streamedTexts } from "../stream.contract.js";
import { createSecretsDetector } from "./detector.js";
import { loadSecretRules } from "./load-rules.js";

const detector = createSecretsDetector();
const holdFrom = (text: string) => detector.stream?.holdFrom(text) ?? 0;
const [pem] = secretSamples(["private-key"]) as [string];

describe("secrets stream profile", () => {
  runStreamProfileContract(
    "secrets",
    detector,
    streamedTexts({
      secrets: secretSamples([
        "aws-access-key-id",
        "private-key",
        "jwt",
        "github-classic-pat",
        "openai-project-key",
        "generic-password-assignment",
        "connection-string-password",
        "mailchimp-api-key",
      ]),
    }),
    40,
  );

  const everyRule = loadSecretRules().rules.flatMap((r) => r.rule.examples?.match.slice(0, 1) ?? []);
  runStreamProfileContract(
    "secrets, an example of every rule",
    detector,
    fc
      .array(fc.oneof(fc.constantFrom(...everyRule), fc.string({ maxLength: 12 })), { maxLength: 4 })
      .map((parts) => parts.join(" ")),
    60,
  );

  it("holds a PEM block from its BEGIN line until its END line has arrived", () => {
    const before = "Here is the key you asked for:\n";
    const end = pem.indexOf("-----END");
    assert.equal(holdFrom(before), before.length);
    assert.equal(holdFrom(`${before}-----BEG`), before.length);
    assert.equal(holdFrom(before + pem.slice(0, end)), before.length);
    assert.equal(holdFrom(before + pem.slice(0, end + 12)), before.length);
    const done = `${before + pem}\nKeep it somewhere safe, and rotate it after use.\n`;
    assert.equal(holdFrom(done), done.length);
  });

  it("does not hold prose that mentions a PEM header without a key", () => {
    const text = `The file starts with -----BEGIN PUBLIC KEY----- and then base64 lines follow, ${"which is fine. ".repeat(8)}`;
    assert.equal(holdFrom(text), text.length);
  });

  it("holds a match without any of its rule's keywords while a keyword to come could still reveal it", () => {
    // `secret.access.key` is none of the AWS rule's keywords; the rule runs only if one (such as
    // `aws_secret`) occurs within its reach, which may be after the value.
    const value = "secret.access.key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzAMPLEKEY";
    const text = `${value} and the aws_secret it belongs to`;
    assert.ok(detector.detect(text).some((d) => d.ruleId === "aws-secret-access-key"));
    assert.equal(holdFrom(`${value} and the `), 0);
    const far = `${value}${" and then some prose".repeat(20)}`;
    assert.ok(holdFrom(far) > value.length, "released once no keyword to come could reach it");
  });

  it("holds a token while it may still grow", () => {
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    assert.equal(holdFrom(`use ${token.slice(0, 20)}`), 4);
    assert.equal(holdFrom(`use ${token}`), 4);
    assert.equal(holdFrom(`use ${token} now `), `use ${token} now `.length);
  });
});
