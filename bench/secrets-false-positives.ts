/**
 * False-positive probe for the secrets detector: scan a tree of ordinary code and docs that
 * should hold no live secrets (by default this repository's node_modules) and report what is
 * found, by rule, with a sample. Every finding is a candidate false positive to review.
 *
 *   node --import tsx bench/secrets-false-positives.ts [dir] [maxFiles]
 *
 * Prints JSON to stdout.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createSecretsDetector } from "../src/detect/secrets/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "../node_modules"));
const maxFiles = Number(process.argv[3] ?? 6000);
const EXTENSIONS = /\.(md|js|mjs|cjs|ts|json|ya?ml)$/;
const MAX_FILE_BYTES = 400_000;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= maxFiles) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && EXTENSIONS.test(entry.name) && statSync(path).size <= MAX_FILE_BYTES) out.push(path);
  }
}

const files: string[] = [];
walk(root, files);
const detector = createSecretsDetector();
const byRule: Record<string, number> = {};
const sample: { file: string; ruleId: string; context: string }[] = [];
let bytes = 0;
const started = performance.now();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  bytes += Buffer.byteLength(text);
  for (const d of detector.detect(text)) {
    byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
    if (sample.length < 50) {
      const context = text.slice(Math.max(0, d.start - 30), Math.min(text.length, d.end + 10));
      sample.push({ file: relative(root, file), ruleId: d.ruleId, context: context.slice(0, 140) });
    }
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify(
    {
      root,
      files: files.length,
      megabytes: Math.round(bytes / 1e4) / 100,
      seconds: Math.round(seconds * 1000) / 1000,
      detections: Object.values(byRule).reduce((a, b) => a + b, 0),
      byRule,
      sample,
    },
    null,
    2,
  ),
);
