/**
 * Property: wherever a secret sits in a chat request (a declared field or one nobody declared,
 * a value or an object key, at any depth), the body the upstream would receive never holds it
 * raw, or the request is refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createGatewayDetectors } from "../../src/gateway/detectors.js";
import { FIELD_TABLES } from "../../src/gateway/field-tables.js";
import { createGuards } from "../../src/gateway/guards.js";
import { DEFAULT_POLICY_FILE } from "../../src/gateway/index.js";
import { compilePolicy, loadPolicyFiles } from "../../src/policy/index.js";

const SECRETS = [
  "AKIAZ3MSJV4WWEXL7HQW",
  "ghp_R8x2mP9qL4tV7wY1zB3cD5fG8hJ0kL2nQ4sV",
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98FvZ1xkXo2sJ6qC3m5pL8nK4tR7wY2zB9cD1fG3hJ6kL\n-----END RSA PRIVATE KEY-----",
];

type Json = Record<string, unknown>;

/** A chat request with `secret` put at a random place: inside a value, or as an object key. */
const requestWithSecret = fc
  .record({
    secret: fc.constantFrom(...SECRETS),
    messages: fc.array(
      fc.record({
        role: fc.constantFrom("system", "developer", "user", "assistant", "tool", "narrator"),
        content: fc.oneof(
          fc.string(),
          fc.array(fc.oneof(fc.string(), fc.record({ type: fc.string(), text: fc.string() }))),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
    seed: fc.nat(),
    asKey: fc.boolean(),
  })
  .map(({ secret, messages, extra, seed, asKey }) => {
    const body: Json = { model: "m", messages, ...extra };
    plant(body, secret, seed, asKey);
    return { body, secret };
  });

/** Put `secret` into the seed-th container of `root` (as a new value or key), deterministically. */
function plant(root: Json, secret: string, seed: number, asKey: boolean): void {
  const containers: (Json | unknown[])[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      containers.push(v);
      v.forEach(visit);
    } else if (v && typeof v === "object") {
      containers.push(v as Json);
      Object.values(v).forEach(visit);
    }
  };
  visit(root);
  const target = containers[seed % containers.length] as Json | unknown[];
  const text = `note ${secret} end`;
  if (Array.isArray(target)) target.push(text);
  else if (asKey) target[text] = 1;
  else target[`k${seed % 7}`] = text;
}

describe("property: no text-bearing field reaches the upstream unguarded", () => {
  const detectors = createGatewayDetectors();
  const policy = compilePolicy(loadPolicyFiles([DEFAULT_POLICY_FILE]));

  it("a secret anywhere in a chat request is refused or never forwarded raw", async () => {
    await fc.assert(
      fc.asyncProperty(requestWithSecret, async ({ body, secret }) => {
        const guards = createGuards(policy.runtime, detectors, { hashKey: "k" });
        const result = await guards.inspectRequest(body, FIELD_TABLES.chat.request, "/v1/chat/completions");
        if (result.block) return;
        const sent = JSON.stringify(body);
        const core = secret.includes("PRIVATE KEY") ? "MIIEowIBAAKCAQEA7bq98" : secret;
        assert.ok(!sent.includes(core), `forwarded raw: ${sent.slice(0, 300)}`);
      }),
      { numRuns: 300 },
    );
  });
});
