/** Per-record cost of the PII detector on Presidio's synthetic records (short, name-heavy texts). */
import { readFileSync } from "node:fs";
import { createPiiDetector, parseEvalRecords } from "../src/detect/index.js";

const file = "../shared/datasets/pii/presidio-research/synth_dataset_v2.json";
const records = parseEvalRecords(readFileSync(file, "utf8"), file);
const detector = createPiiDetector();
for (const r of records.slice(0, 200)) detector.detect(r.text);
const started = process.hrtime.bigint();
for (let round = 0; round < 3; round++) for (const r of records) detector.detect(r.text);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const bytes = records.reduce((n, r) => n + Buffer.byteLength(r.text), 0) * 3;
console.log(
  JSON.stringify({
    records: records.length * 3,
    us_per_record: Math.round((ms * 1000) / (records.length * 3)),
    mb_s: Math.round((bytes / 1e6 / (ms / 1000)) * 100) / 100,
  }),
);
