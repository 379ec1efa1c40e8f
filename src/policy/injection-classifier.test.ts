import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ValidationError } from "../core/index.js";
import { compilePolicy, loadPolicyFiles, parsePolicyText } from "./index.js";

const root = mkdtempSync(join(tmpdir(), "palisade-policy-classifier-"));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "models"));
writeFileSync(join(root, "models", "model.onnx"), "onnx");
writeFileSync(join(root, "models", "tokenizer.json"), "{}");

const header = "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: t }\nspec:\n  runtime:\n";
const policyFile = join(root, "policy.yaml");

/** A policy whose runtime.injection section is `injection` (YAML, indented under it). */
function aPolicy(injection: string): string {
  return `${header}    injection:\n${injection
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n")}\n`;
}

/** The issues of a policy text that fails, as `path: message`. */
function issuesOf(text: string): string[] {
  try {
    parsePolicyText(text, policyFile);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail("expected the policy to be refused");
}

describe("policy: injection.classifier", () => {
  it("fills defaults and resolves the files against the policy file's directory", () => {
    writeFileSync(
      policyFile,
      aPolicy("classifier:\n  model: models/model.onnx\n  tokenizer: ./models/tokenizer.json\n  band: [0.3, 0.7]"),
    );
    const runtime = compilePolicy(loadPolicyFiles([policyFile])).runtime;
    assert.deepEqual(runtime.injection.classifier, {
      model: join(root, "models", "model.onnx"),
      tokenizer: join(root, "models", "tokenizer.json"),
      band: [0.3, 0.7],
      threshold: 0.5,
      maxTokens: 512,
      maxWindows: 8,
      timeoutMs: 1000,
      modes: ["user", "document"],
      threads: 1,
    });
  });

  it("is absent unless configured", () => {
    const parsed = parsePolicyText(`${header}    guards: { failMode: open }\n`, policyFile);
    assert.equal(parsed.document.spec.runtime?.injection.classifier, undefined);
  });

  it("names a model file that does not exist at its field", () => {
    const issues = issuesOf(aPolicy("classifier:\n  model: models/missing.onnx\n  tokenizer: models/tokenizer.json"));
    assert.deepEqual(issues, [
      `spec.runtime.injection.classifier.model: no such file: ${join(root, "models", "missing.onnx")}`,
    ]);
  });

  it("refuses a band that is upside down or leaves out a threshold it serves", () => {
    const files = "  model: models/model.onnx\n  tokenizer: models/tokenizer.json\n";
    assert.match(issuesOf(aPolicy(`classifier:\n${files}  band: [0.8, 0.2]`)).join("\n"), /low < high/);
    assert.match(
      issuesOf(aPolicy(`user: { threshold: 0.9 }\nclassifier:\n${files}  band: [0.2, 0.8]`)).join("\n"),
      /classifier\.band: band \[0.2, 0.8\] must contain injection\.user\.threshold \(0\.9\)/,
    );
    // A mode the classifier does not serve may keep its threshold anywhere.
    parsePolicyText(
      aPolicy(`document: { threshold: 0.95 }\nclassifier:\n${files}  band: [0.2, 0.8]\n  modes: [user]`),
      policyFile,
    );
  });

  it("refuses unknown fields, out-of-range numbers and unknown fail modes", () => {
    const files = "  model: models/model.onnx\n  tokenizer: models/tokenizer.json\n";
    for (const [extra, pattern] of [
      ["  url: http://guard", /url/],
      ["  band: [0.2, 1.5]", /band/],
      ["  timeoutMs: 0", /timeoutMs/],
      ["  maxTokens: 4", /maxTokens/],
      ["  failMode: maybe", /failMode/],
      ["  modes: [system]", /modes/],
      ["  injectionLabels: []", /injectionLabels/],
    ] as const) {
      assert.match(issuesOf(aPolicy(`classifier:\n${files}${extra}`)).join("\n"), pattern, extra);
    }
    assert.match(issuesOf(aPolicy("classifier:\n  model: models/model.onnx")).join("\n"), /tokenizer/);
  });
});
