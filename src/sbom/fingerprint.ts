/**
 * Line-independent finding fingerprints, so a code-scanning UI keeps tracking an alert when the
 * code around it moves. Same idea as GitHub's `primaryLocationLineHash`, without the line: a hash
 * of the rule, the relative path and what was matched, plus a counter for identical findings in
 * one file.
 */
import { createHash } from "node:crypto";
import type { Finding } from "../core/index.js";

/** Positions written into finding text (`offset 66`, `line 12`, `@66`): they move with the code. */
const POSITIONS = /\b(offset|line|column|col)\s+\d+\b|@\d+\b/gi;

function normalise(text: string): string {
  return text
    .replace(POSITIONS, (m) => m.replace(/\d+/g, ""))
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * One fingerprint per finding, in order: `<32 hex of sha256(rule, path, matched text)>:<n>`, where
 * `n` counts findings with the same hash in the same file from the top. `paths[i]` is the path of
 * `findings[i]` relative to the scanned root.
 */
export function toStableFingerprints(
  findings: readonly Pick<Finding, "ruleId" | "title" | "detail" | "location">[],
  paths: readonly string[],
): string[] {
  const hashes = findings.map((f, i) =>
    createHash("sha256")
      .update([f.ruleId, paths[i] ?? "", normalise(f.title), normalise(f.detail)].join("\u0000"))
      .digest("hex")
      .slice(0, 32),
  );
  const byHash = new Map<string, number[]>();
  hashes.forEach((hash, i) => {
    const same = byHash.get(hash);
    if (same) same.push(i);
    else byHash.set(hash, [i]);
  });
  const line = (i: number) => findings[i]?.location?.line ?? 0;
  const column = (i: number) => findings[i]?.location?.column ?? 0;
  const counters = new Array<number>(findings.length).fill(1);
  for (const indices of byHash.values()) {
    indices.sort((a, b) => line(a) - line(b) || column(a) - column(b) || a - b);
    indices.forEach((index, rank) => {
      counters[index] = rank + 1;
    });
  }
  return hashes.map((hash, i) => `${hash}:${counters[i]}`);
}
