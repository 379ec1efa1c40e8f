import { readFileSync } from "node:fs";
import { parseEvalRecords, scoreSpans } from "../src/detect/evaluate.js";
import { createPiiDetector } from "../src/detect/pii/detector.js";

const file = process.argv[2] ?? "../shared/datasets/pii/presidio-research/synth_dataset_v2.json";
const records = parseEvalRecords(readFileSync(file, "utf8"), file);
const det = createPiiDetector();
const items = records.map((r) => ({ gold: r.spans, predicted: det.detect(r.text), text: r.text }));
const ents = new Set(
  (process.argv[3] ?? "CREDIT_CARD,IBAN_CODE,EMAIL_ADDRESS,US_SSN,IP_ADDRESS,PHONE_NUMBER,US_DRIVER_LICENSE").split(
    ",",
  ),
);
console.log(JSON.stringify(scoreSpans(items, ents), null, 1));
const want = process.argv[4];
if (want)
  for (const it of items) {
    const g = it.gold.filter((s) => s.type === want);
    const p = it.predicted.filter((d) => d.entity === want);
    const gs = g.map((s) => `${s.start}-${s.end}:${it.text.slice(s.start, s.end)}`).join(" | ");
    const ps = p.map((s) => `${s.start}-${s.end}:${it.text.slice(s.start, s.end)}(${s.score})`).join(" | ");
    if (gs !== p.map((s) => `${s.start}-${s.end}:${it.text.slice(s.start, s.end)}`).join(" | "))
      console.log("GOLD", gs, "\nPRED", ps, "\n  ", JSON.stringify(it.text.slice(0, 200)));
  }
