/** Evaluation figures for a labelled set: precision, recall, F1, false-positive rate, ROC AUC, latency percentiles. */

/** One scored example. */
export interface ScoredExample {
  label: 0 | 1;
  score: number;
  flagged: boolean;
}

export interface EvaluationSummary {
  n: number;
  positives: number;
  negatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  fpr: number | null;
  /** Area under the ROC curve (Mann-Whitney, ties count half); null without both classes. */
  auc: number | null;
  latency_us: { p50: number; p99: number };
}

/** Summarise scored examples and per-example latencies (microseconds). */
export function summariseEvaluation(
  examples: readonly ScoredExample[],
  latenciesUs: readonly number[],
): EvaluationSummary {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const e of examples) {
    if (e.label === 1) e.flagged ? tp++ : fn++;
    else e.flagged ? fp++ : tn++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? null : round(a / b));
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? round((2 * precision * recall) / (precision + recall))
      : null;
  return {
    n: examples.length,
    positives: tp + fn,
    negatives: fp + tn,
    precision,
    recall,
    f1,
    fpr: ratio(fp, fp + tn),
    auc: rocAuc(examples),
    latency_us: { p50: percentile(latenciesUs, 0.5), p99: percentile(latenciesUs, 0.99) },
  };
}

/** ROC AUC by ranks. */
export function rocAuc(examples: readonly { label: 0 | 1; score: number }[]): number | null {
  const sorted = [...examples].sort((a, b) => a.score - b.score);
  const positives = sorted.filter((e) => e.label === 1).length;
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let rankSum = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]?.score === sorted[i]?.score) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (sorted[k]?.label === 1) rankSum += averageRank;
    i = j + 1;
  }
  return round((rankSum - (positives * (positives + 1)) / 2) / (positives * negatives));
}

/** Nearest-rank percentile (q in [0, 1]); 0 for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round(sorted[index] ?? 0, 1);
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
