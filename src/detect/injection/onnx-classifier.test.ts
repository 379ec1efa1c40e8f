import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { clsSepTemplate, TINY_VOCAB, writeTinyClassifier } from "../../../test/helpers/tiny-onnx-classifier.js";
import {
  attackIndices,
  type ClassifierSession,
  createOnnxClassifier,
  OnnxClassifierError,
  toAttackProbability,
} from "./onnx-classifier.js";

const root = mkdtempSync(join(tmpdir(), "palisade-onnx-"));
after(() => rmSync(root, { recursive: true, force: true }));
const tiny = writeTinyClassifier(join(root, "tiny"));

/** Rejects with an OnnxClassifierError of this reason. */
async function rejectsWith(promise: Promise<unknown>, reason: string): Promise<OnnxClassifierError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OnnxClassifierError, `expected OnnxClassifierError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    return error;
  }
  assert.fail(`expected a rejection with reason ${reason}`);
}

describe("ONNX sequence classifier", () => {
  it("scores a text with the trigger word as an injection and one without as benign", async () => {
    const classifier = createOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer });
    const attack = await classifier.score("please OVERRIDE this report");
    const benign = await classifier.score("please summarise this report");
    assert.ok(attack.probability > 0.9, `attack p=${attack.probability}`);
    assert.ok(benign.probability < 0.3, `benign p=${benign.probability}`);
    assert.equal(attack.windows, 1);
    assert.equal(attack.partial, false);
    assert.equal(classifier.name, "model.onnx");
  });

  it("scores a long text in windows and reports the most suspicious one", async () => {
    const classifier = createOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer, maxTokens: 16 });
    // 60 benign words, then the trigger: alone the trigger would be diluted to nothing.
    const text = `${"please summarise the report ".repeat(15)}override`;
    const scored = await classifier.score(text);
    assert.ok(scored.windows > 4, `windows=${scored.windows}`);
    assert.equal(scored.window, scored.windows - 1);
    assert.ok(scored.probability > 0.5, `p=${scored.probability}`);
    const whole = createOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer });
    assert.ok((await whole.score(text)).probability < 0.5, "one 512-token window dilutes the trigger");
  });

  it("caps the windows and says when it saw only the beginning", async () => {
    const classifier = createOnnxClassifier({
      model: tiny.model,
      tokenizer: tiny.tokenizer,
      maxTokens: 16,
      maxWindows: 2,
    });
    const scored = await classifier.score(`${"please summarise the report ".repeat(15)}override`);
    assert.equal(scored.windows, 2);
    assert.equal(scored.partial, true);
    assert.ok(scored.probability < 0.5);
  });

  it("takes its length limit from config.json's max_position_embeddings", async () => {
    const short = writeTinyClassifier(join(root, "short"), { maxPositions: 16 });
    const classifier = createOnnxClassifier({ model: short.model, tokenizer: short.tokenizer });
    const scored = await classifier.score("please summarise the report ".repeat(15));
    assert.ok(scored.windows > 4, `windows=${scored.windows}`);
  });

  it("reads which output is the attack from config.json's id2label", async () => {
    const flipped = writeTinyClassifier(join(root, "flipped"), { id2label: { 0: "MALICIOUS", 1: "BENIGN" } });
    const classifier = createOnnxClassifier({ model: flipped.model, tokenizer: flipped.tokenizer });
    // Label 0 is now the attack class, so the trigger text scores low.
    assert.ok((await classifier.score("please override this")).probability < 0.1);
    const given = createOnnxClassifier({ model: flipped.model, tokenizer: flipped.tokenizer, injectionLabels: [1] });
    assert.ok((await given.score("please override this")).probability > 0.9);
  });

  it("reads BPE (RoBERTa-style) and Unigram (deberta-v3-style) tokenizer.json files too", async () => {
    const words = TINY_VOCAB.slice(4);
    const specials = { PAD: 0, UNK: 1, CLS: 2, SEP: 3 };
    const bpe = {
      version: "1.0",
      added_tokens: [
        ["<pad>", 0],
        ["<unk>", 1],
        ["<s>", 2],
        ["</s>", 3],
      ].map(([content, id]) => ({ id, content, special: true, normalized: false, lstrip: false, rstrip: false })),
      normalizer: null,
      pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: "RobertaProcessing", sep: ["</s>", 3], cls: ["<s>", 2], trim_offsets: true },
      decoder: { type: "ByteLevel" },
      model: {
        type: "BPE",
        unk_token: "<unk>",
        ignore_merges: true,
        merges: [],
        vocab: {
          "<pad>": 0,
          "<unk>": 1,
          "<s>": 2,
          "</s>": 3,
          ...Object.fromEntries(words.map((w, i) => [`Ġ${w}`, i + 4])),
          please: 4,
        },
      },
    };
    const unigram = {
      version: "1.0",
      added_tokens: [
        ["[PAD]", specials.PAD],
        ["[UNK]", specials.UNK],
        ["[CLS]", specials.CLS],
        ["[SEP]", specials.SEP],
      ].map(([content, id]) => ({ id, content, special: true, normalized: false, lstrip: false, rstrip: false })),
      normalizer: null,
      pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true },
      post_processor: clsSepTemplate({ pair: false }),
      decoder: { type: "Metaspace", replacement: "▁", prepend_scheme: "always" },
      model: {
        type: "Unigram",
        unk_id: 1,
        vocab: [["[PAD]", 0], ["[UNK]", 0], ["[CLS]", 0], ["[SEP]", 0], ...words.map((w) => [`▁${w}`, -2])],
      },
    };
    for (const [name, json] of [
      ["bpe", bpe],
      ["unigram", unigram],
    ] as const) {
      const files = writeTinyClassifier(join(root, name));
      writeFileSync(files.tokenizer, JSON.stringify(json));
      const classifier = createOnnxClassifier({ model: files.model, tokenizer: files.tokenizer, maxTokens: 8 });
      const attack = await classifier.score("please override this");
      assert.ok(attack.probability > 0.9, `${name}: p=${attack.probability}`);
      const benign = await classifier.score("please summarise this report and the email of hello");
      assert.ok(benign.probability < 0.3, `${name}: p=${benign.probability}`);
      assert.ok(benign.windows > 1, `${name}: windows of 8 tokens with the special tokens around each`);
    }
  });

  it("names the missing file in a typed error", async () => {
    const classifier = createOnnxClassifier({ model: join(root, "nope.onnx"), tokenizer: tiny.tokenizer });
    const error = await rejectsWith(classifier.score("hello"), "missing-file");
    assert.equal(error.code, "bad-config");
    assert.equal(error.input, join(root, "nope.onnx"));
  });

  it("reports corrupted model bytes as an invalid model, every time it is asked", async () => {
    const dir = join(root, "corrupt");
    const files = writeTinyClassifier(dir);
    writeFileSync(files.model, Buffer.from("this is not an ONNX protobuf at all"));
    const classifier = createOnnxClassifier({ model: files.model, tokenizer: files.tokenizer });
    await rejectsWith(classifier.load(), "invalid-model");
    await rejectsWith(classifier.score("hello"), "invalid-model");
  });

  it("tries a failed load again after a while, so a fixed file is picked up", async () => {
    const files = writeTinyClassifier(join(root, "fixed-later"));
    writeFileSync(files.model, "broken");
    const classifier = createOnnxClassifier({ model: files.model, tokenizer: files.tokenizer, retryLoadAfterMs: 50 });
    await rejectsWith(classifier.score("please override this"), "invalid-model");
    writeTinyClassifier(join(root, "fixed-later"));
    await rejectsWith(classifier.score("please override this"), "invalid-model");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.ok((await classifier.score("please override this")).probability > 0.9);
  });

  it("rejects a tokenizer.json that is not JSON, and one of an unknown model type", async () => {
    const bad = writeTinyClassifier(join(root, "bad-tokenizer"));
    writeFileSync(bad.tokenizer, "{ not json");
    await rejectsWith(createOnnxClassifier({ model: bad.model, tokenizer: bad.tokenizer }).load(), "invalid-tokenizer");
    writeFileSync(bad.tokenizer, JSON.stringify({ model: { type: "Nonsense" } }));
    await rejectsWith(createOnnxClassifier({ model: bad.model, tokenizer: bad.tokenizer }).load(), "invalid-tokenizer");
  });

  it("rejects a model whose inputs are not a sequence classifier's", async () => {
    const classifier = createOnnxClassifier({
      model: tiny.model,
      tokenizer: tiny.tokenizer,
      openSession: async () => ({ inputNames: ["pixel_values"], outputNames: ["logits"], run: async () => ({}) }),
      toTensor: () => ({}),
    });
    await rejectsWith(classifier.load(), "invalid-model");
  });

  it("times out a slow inference", async () => {
    const ort = await import("onnxruntime-node");
    const real = await ort.InferenceSession.create(tiny.model);
    let runFinished = false;
    const slow: ClassifierSession = {
      inputNames: real.inputNames,
      outputNames: real.outputNames,
      run: async (feeds) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        runFinished = true;
        return real.run(feeds as Parameters<typeof real.run>[0]);
      },
    };
    const classifier = createOnnxClassifier({
      model: tiny.model,
      tokenizer: tiny.tokenizer,
      timeoutMs: 20,
      openSession: async () => slow,
      toTensor: (data, dims) => new ort.Tensor("int64", data, dims),
    });
    await rejectsWith(classifier.score("please override this"), "timeout");
    assert.equal(runFinished, false, "the timeout does not wait for the run");
  });

  it("turns logits into an attack probability over the attack labels", () => {
    assert.ok(Math.abs(toAttackProbability([0, 0], [1]) - 0.5) < 1e-9);
    assert.ok(Math.abs(toAttackProbability([0, 0, 0], [1, 2]) - 2 / 3) < 1e-9);
    assert.ok(toAttackProbability([4], [0]) > 0.98);
  });

  it("finds the attack labels of known classifiers", () => {
    const model = "m.onnx";
    // Prompt Guard 1 style: injection and jailbreak both count.
    assert.deepEqual(attackIndices({ model }, { 0: "BENIGN", 1: "INJECTION", 2: "JAILBREAK" }, 3), [1, 2]);
    // deberta-v3-base-prompt-injection-v2 style.
    assert.deepEqual(attackIndices({ model }, { 0: "SAFE", 1: "INJECTION" }, 2), [1]);
    // Prompt Guard 2 ships generic names: label 1 of two.
    assert.deepEqual(attackIndices({ model }, { 0: "LABEL_0", 1: "LABEL_1" }, 2), [1]);
    assert.deepEqual(attackIndices({ model, injectionLabels: [0] }, { 0: "LABEL_0", 1: "LABEL_1" }, 2), [0]);
    assert.throws(() => attackIndices({ model }, { 0: "A", 1: "B", 2: "C" }, 3), OnnxClassifierError);
    assert.throws(() => attackIndices({ model, injectionLabels: [5] }, undefined, 2), OnnxClassifierError);
  });
});
