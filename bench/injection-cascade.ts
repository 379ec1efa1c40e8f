/**
 * Per-call overhead of the injection cascade's model stage (detect/injection/cascade.ts) with the
 * tiny ONNX classifier the tests build (test/helpers/tiny-onnx-classifier.ts); prints JSON.
 *   node --import tsx bench/injection-cascade.ts
 * What it measures is the plumbing — tokenizer, tensors, one onnxruntime-node session run,
 * softmax — around a model that costs almost nothing itself. A real classifier (Prompt Guard 2,
 * a deberta) adds its own inference time on top, which depends on the model and the machine and
 * is not measured here. Texts are ~200 B and ~2 KB prompts; `fast` is the fast detector alone,
 * `outside-band` the cascade on texts it leaves to the fast detector, `in-band` the cascade on
 * texts it sends to the classifier (band [0, 1], so every text goes) with the classifier in the
 * caller's thread (as in a guard-pool worker), `in-band-thread` the same with the classifier in
 * a thread of its own (as on the gateway's main thread: one message each way more), `windows`
 * the in-band 2 KB texts with 64-token windows (several runs per text).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  createDefaultInjectionDetector,
  createInjectionCascade,
  createOnnxClassifier,
  createThreadedOnnxClassifier,
  type InjectionDetector,
  percentile,
} from "../src/detect/injection/index.js";
import { writeTinyClassifier } from "../test/helpers/tiny-onnx-classifier.js";

const CALLS = 400;
const WORDS = ["please", "summarise", "this", "report", "and", "the", "email", "of", "a", "hello", "override"];

function aText(bytes: number, seed: number): string {
  const words: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const word = WORDS[(seed * 7 + i * 13) % WORDS.length] as string;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(" ");
}

async function time(texts: readonly string[], run: (text: string) => unknown): Promise<Record<string, number>> {
  for (const text of texts.slice(0, 50)) await run(text);
  const times: number[] = [];
  for (const text of texts) {
    const started = process.hrtime.bigint();
    await run(text);
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return {
    calls: times.length,
    p50_us: Math.round(percentile(times, 0.5)),
    p99_us: Math.round(percentile(times, 0.99)),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-bench-cascade-"));
  try {
    const tiny = writeTinyClassifier(dir);
    const detector: InjectionDetector = createDefaultInjectionDetector();
    const fast = (text: string) => detector.detect(text, { mode: "user" });
    const threads: { close(): Promise<void> }[] = [];
    const cascadeWith = (band: [number, number], maxTokens = 512, threaded = false) =>
      createInjectionCascade({
        fast,
        classifier: threaded
          ? (() => {
              const classifier = createThreadedOnnxClassifier({
                model: tiny.model,
                tokenizer: tiny.tokenizer,
                maxTokens,
              });
              threads.push(classifier);
              return classifier;
            })()
          : createOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer, maxTokens }),
        band,
        threshold: 0.5,
        thresholds: { user: 0.5 },
        failMode: "fail-closed",
      });
    const loadStarted = performance.now();
    await createOnnxClassifier({ model: tiny.model, tokenizer: tiny.tokenizer }).load();
    const loadMs = Math.round(performance.now() - loadStarted);

    const results: Record<string, unknown> = {};
    for (const size of [200, 2000]) {
      const texts = Array.from({ length: CALLS }, (_, i) => aText(size, i));
      const inBand = cascadeWith([0, 1]);
      const outside = cascadeWith([0.99, 1]);
      results[`fast:${size}B`] = await time(texts, fast);
      results[`outside-band:${size}B`] = await time(texts, (t) => outside(t, "user"));
      results[`in-band:${size}B`] = await time(texts, (t) => inBand(t, "user"));
      const inThread = cascadeWith([0, 1], 512, true);
      results[`in-band-thread:${size}B`] = await time(texts, (t) => inThread(t, "user"));
      if (size === 2000) {
        const windowed = cascadeWith([0, 1], 64);
        results[`windows-64-tokens:${size}B`] = await time(texts, (t) => windowed(t, "user"));
      }
    }
    console.log(
      JSON.stringify(
        {
          node: process.version,
          loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
          model: "tiny test classifier (16-token vocabulary, 7 nodes); not a real model",
          loadMs,
          latency: results,
        },
        null,
        2,
      ),
    );
    await Promise.all(threads.map((t) => t.close()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
