import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { writeTinyClassifier } from "../../../test/helpers/tiny-onnx-classifier.js";
import { createOnnxClassifier, OnnxClassifierError } from "./onnx-classifier.js";
import { createThreadedOnnxClassifier } from "./onnx-thread.js";

const root = mkdtempSync(join(tmpdir(), "palisade-onnx-thread-"));
after(() => rmSync(root, { recursive: true, force: true }));
const tiny = writeTinyClassifier(join(root, "tiny"));

describe("ONNX classifier in its own thread", () => {
  it("scores like the classifier in the caller's thread", async () => {
    const threaded = createThreadedOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer, timeoutMs: 5000 });
    const inline = createOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer });
    try {
      for (const text of ["please override this", "please summarise this report", "hello ".repeat(2000)])
        assert.deepEqual(await threaded.score(text), await inline.score(text), text.slice(0, 30));
    } finally {
      await threaded.close();
    }
  });

  it("keeps the reason of a load failure across the thread boundary", async () => {
    const threaded = createThreadedOnnxClassifier({ model: join(root, "missing.onnx"), tokenizer: tiny.tokenizer });
    try {
      await assert.rejects(
        threaded.score("hello"),
        (error: unknown) =>
          error instanceof OnnxClassifierError &&
          error.reason === "missing-file" &&
          error.code === "bad-config" &&
          error.input === join(root, "missing.onnx"),
      );
    } finally {
      await threaded.close();
    }
  });

  it("gives up on a text after its timeout and refuses texts beyond its queue", async () => {
    const threaded = createThreadedOnnxClassifier({
      model: tiny.model,
      tokenizer: tiny.tokenizer,
      maxTokens: 8,
      maxWindows: 64,
      timeoutMs: 1,
      maxPending: 2,
    });
    try {
      await threaded.load();
      const long = "please summarise this report ".repeat(200);
      const outcomes = await Promise.allSettled([threaded.score(long), threaded.score(long), threaded.score(long)]);
      const reasons = outcomes.map((o) => (o.status === "rejected" ? (o.reason as OnnxClassifierError).reason : "ok"));
      assert.deepEqual(reasons, ["timeout", "timeout", "busy"]);
    } finally {
      await threaded.close();
    }
  });

  it("does not keep the process alive once idle", async () => {
    const threaded = createThreadedOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer, timeoutMs: 5000 });
    await threaded.score("please override this");
    // No close(): the test runner would hang here if the idle thread held the event loop.
  });
});
