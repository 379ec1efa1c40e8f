import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileModelPins } from "./model-pins.js";

const HASH = "a".repeat(64);
const COMMIT = "0e9e39f249a16976918f6564b8830bc894c89659";

describe("model pins", () => {
  const check = compileModelPins([
    { id: "meta-llama/Llama-3.1-8B-Instruct", revision: COMMIT },
    { id: "acme/classifier.gguf", sha256: HASH },
    { id: "mistralai/*" },
  ]);

  it("a Hugging Face repo at its pinned commit, and a file with its pinned hash, are pinned", () => {
    assert.equal(check({ id: "meta-llama/Llama-3.1-8B-Instruct", pin: COMMIT }).status, "pinned");
    assert.equal(check({ id: "acme/classifier.gguf", sha256: HASH }).status, "pinned");
    assert.equal(check({ id: "acme/classifier.gguf", pin: `sha256:${HASH}` }).status, "pinned");
  });

  it("another commit or hash is a mismatch naming the pin", () => {
    const other = check({ id: "meta-llama/Llama-3.1-8B-Instruct", pin: "1".repeat(40) });
    assert.equal(other.status, "pin-mismatch");
    assert.match(other.message, new RegExp(COMMIT));
    assert.equal(check({ id: "acme/classifier.gguf", sha256: "b".repeat(64) }).status, "pin-mismatch");
    // A short commit is not the pinned commit: a prefix could name another commit.
    assert.equal(check({ id: "meta-llama/Llama-3.1-8B-Instruct", pin: COMMIT.slice(0, 7) }).status, "pin-mismatch");
  });

  it("an approved name without a pin is unpinned; an entry that pins nothing cannot pin", () => {
    assert.equal(check({ id: "meta-llama/Llama-3.1-8B-Instruct" }).status, "unpinned");
    assert.equal(check({ id: "mistralai/Mistral-7B-v0.3", pin: COMMIT }).status, "unpinned");
  });

  it("a name no entry matches is not approved", () => {
    assert.equal(check({ id: "evil/model", pin: COMMIT }).status, "not-approved");
  });
});
