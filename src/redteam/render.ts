/**
 * The report as SARIF 2.1.0 (one result per probe that got through, for code-scanning views)
 * and as a self-contained HTML page. The table is the CLI's, with the other tables.
 */
import { CATEGORIES, CATEGORY_IDS, type CategoryId } from "./categories.js";
import type { RedteamReport } from "./report.js";

/** SARIF rule id of a category. */
export const sarifRuleId = (category: CategoryId) => `redteam/${category}`;

/** SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). */
export function toRedteamSarif(report: RedteamReport, options: { version: string }): Record<string, unknown> {
  const rules = CATEGORY_IDS.map((id) => ({
    id: sarifRuleId(id),
    name: CATEGORIES[id].title,
    shortDescription: { text: CATEGORIES[id].title },
    fullDescription: { text: `Red-team probe category: ${CATEGORIES[id].description}.` },
    defaultConfiguration: { level: "error" },
    properties: { tags: ["security", "ai-redteam", CATEGORIES[id].owasp] },
  }));
  const results = report.probes
    .filter((p) => p.succeeded)
    .map((p) => ({
      ruleId: sarifRuleId(p.category),
      ruleIndex: CATEGORY_IDS.indexOf(p.category),
      level: "error",
      message: {
        text: `Probe ${p.id} got through ${report.target} (${p.detector}). ${p.fix ? `Fix: ${p.fix.summary}.` : ""}`.trim(),
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: `rules/redteam/${p.pack}.yaml` } } }],
      partialFingerprints: { redteamProbe: p.id },
      properties: {
        probe: p.id,
        technique: p.technique,
        detector: p.detector,
        prompt: p.prompt,
        answerExcerpt: p.answerExcerpt,
        ...(p.fix ? { policyFix: p.fix.yaml } : {}),
      },
    }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "palisade-redteam",
            version: options.version,
            informationUri: "https://github.com/palisade-ai/palisade",
            rules,
          },
        },
        results,
        properties: { target: report.target, model: report.model, seed: report.seed, totals: report.totals },
      },
    ],
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** Invisible and control characters shown as `\u{…}` so a reader sees that they are there. */
export function showInvisible(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    const invisible =
      (code < 0x20 && c !== "\n" && c !== "\t") ||
      code === 0x7f ||
      (code >= 0x200b && code <= 0x200f) ||
      (code >= 0x2060 && code <= 0x2064) ||
      code === 0xfeff ||
      (code >= 0xe0000 && code <= 0xe007f);
    out += invisible ? `\\u{${code.toString(16)}}` : c;
  }
  return out;
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** A self-contained HTML page: totals per category, then each probe that got through with its fix. */
export function toRedteamHtml(report: RedteamReport): string {
  const rows = Object.entries(report.totals.byCategory)
    .map(
      ([id, t]) =>
        `<tr><td>${escapeHtml(t.title)} <small>${escapeHtml(id)}</small></td><td>${escapeHtml(t.owasp)}</td><td>${t.probes}</td><td>${t.succeeded}</td><td>${t.blocked}</td><td>${t.errors}</td><td>${percent(t.successRate)}</td></tr>`,
    )
    .join("\n");
  const successes = report.probes
    .filter((p) => p.succeeded)
    .map(
      (p) => `<section class="probe">
<h3>${escapeHtml(p.id)} <small>${escapeHtml(p.detector ?? "")}</small></h3>
<p><b>Prompt</b></p><pre>${escapeHtml(showInvisible(p.prompt))}</pre>
${p.document ? `<p><b>Document</b></p><pre>${escapeHtml(showInvisible(p.document))}</pre>` : ""}
<p><b>Answer</b></p><pre>${escapeHtml(p.answerExcerpt)}</pre>
${p.fix ? `<p><b>Fix</b>: ${escapeHtml(p.fix.summary)}</p><pre>${escapeHtml(p.fix.yaml)}</pre>` : ""}
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Palisade red-team report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap;word-break:break-word}.probe{border-top:1px solid #ddd;margin-top:1rem}</style>
</head><body>
<h1>Palisade red-team report</h1>
<p>Target <code>${escapeHtml(report.target)}</code>, model <code>${escapeHtml(report.model)}</code>, seed ${report.seed}, packs ${escapeHtml(report.packs.join(", "))}.
${report.totals.succeeded} of ${report.totals.probes} probes got through (${percent(report.totals.successRate)}); ${report.run.requests} requests in ${(report.run.durationMs / 1000).toFixed(1)} s.</p>
<table><thead><tr><th>Category</th><th>OWASP</th><th>Probes</th><th>Got through</th><th>Refused</th><th>Errors</th><th>Success rate</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Probes that got through</h2>
${successes || "<p>None.</p>"}
${report.suggestedPolicy ? `<h2>Suggested policy</h2><pre>${escapeHtml(report.suggestedPolicy)}</pre>` : ""}
</body></html>
`;
}
