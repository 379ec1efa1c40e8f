/** Per-recogniser cost over the benchmark corpus, to see where PII detection time goes. */
import { PII_CONTEXT_REACH } from "../src/detect/index.js";
import { builtinRecognizers } from "../src/detect/pii/builtin.js";
import { mixedText } from "./pii-corpus.js";

const corpus = mixedText(2 * 1024 * 1024);
const rows: Record<string, number> = {};
for (const r of builtinRecognizers()) {
  r.recognize(corpus.slice(0, 50_000), PII_CONTEXT_REACH);
  const started = process.hrtime.bigint();
  const found = r.recognize(corpus, PII_CONTEXT_REACH).length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  rows[`${r.id} (${found})`] = Math.round(ms);
}
console.log(JSON.stringify({ corpus_mb: corpus.length / 1e6, ms: rows }, null, 2));
