/**
 * Span-level evaluation in the manner of presidio-research: a prediction counts when it has the
 * gold span's type and their character ranges overlap with IoU >= 0.9. Reports precision,
 * recall, F1 and F2 (recall weighted, as Presidio reports) per entity and overall.
 */
import { z } from "zod";
import { PalisadeError } from "../core/index.js";
import type { Detection } from "./detection.js";

export interface GoldSpan {
  start: number;
  end: number;
  type: string;
}

export interface EvalRecord {
  text: string;
  spans: GoldSpan[];
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  f2: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface EvalReport {
  records: number;
  overall: Scores;
  entities: Record<string, Scores>;
}

const JsonlLineSchema = z.object({
  text: z.string(),
  spans: z
    .array(z.object({ start: z.number().int().min(0), end: z.number().int().min(0), type: z.string() }))
    .default([]),
});

const PresidioRecordSchema = z.object({
  full_text: z.string(),
  spans: z.array(
    z.object({ entity_type: z.string(), start_position: z.number().int(), end_position: z.number().int() }),
  ),
});

/**
 * Parse evaluation input: JSON Lines of `{text, spans:[{start,end,type}]}`, or Presidio's
 * synthetic-data JSON array (`full_text`, `spans[].entity_type/start_position/end_position`).
 */
export function parseEvalRecords(content: string, source: string): EvalRecord[] {
  const trimmed = content.trimStart();
  if (trimmed.startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (cause) {
      throw new PalisadeError("bad-input", `${source}: not valid JSON: ${(cause as Error).message}`, {
        input: source,
        cause,
      });
    }
    const parsed = z.array(PresidioRecordSchema).safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PalisadeError("bad-input", `${source}: record ${issue?.path.join(".")}: ${issue?.message}`, {
        input: source,
      });
    }
    return parsed.data.map((r) => ({
      text: r.full_text,
      spans: r.spans.map((s) => ({ start: s.start_position, end: s.end_position, type: s.entity_type })),
    }));
  }
  const records: EvalRecord[] = [];
  for (const [index, line] of content.split("\n").entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new PalisadeError("bad-input", `${source}:${index + 1}: not valid JSON: ${(cause as Error).message}`, {
        input: source,
        cause,
      });
    }
    const parsed = JsonlLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PalisadeError("bad-input", `${source}:${index + 1}: ${issue?.path.join(".")}: ${issue?.message}`, {
        input: source,
      });
    }
    records.push(parsed.data);
  }
  return records;
}

/** Gold entity names in public datasets mapped to ours (Presidio's GPE is a LOCATION). */
export const GOLD_TYPE_ALIASES: Readonly<Record<string, string>> = {
  GPE: "LOCATION",
  ADDRESS: "STREET_ADDRESS",
  ORG: "ORGANIZATION",
  EMAIL: "EMAIL_ADDRESS",
  PHONE: "PHONE_NUMBER",
  IBAN: "IBAN_CODE",
  SSN: "US_SSN",
};

export const IOU_THRESHOLD = 0.9;

function iou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union === 0 ? 0 : inter / union;
}

/**
 * Score predictions against gold spans, counting only `entities` (the types both sides support),
 * so that a detector is not charged for types it does not claim to detect.
 */
export function scoreSpans(
  items: readonly { gold: readonly GoldSpan[]; predicted: readonly Detection[] }[],
  entities: ReadonlySet<string>,
): Omit<EvalReport, "records"> {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (type: string, key: "tp" | "fp" | "fn") => {
    const c = counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[key]++;
    counts.set(type, c);
  };
  for (const { gold, predicted } of items) {
    const golds = gold
      .map((g) => ({ ...g, type: GOLD_TYPE_ALIASES[g.type] ?? g.type }))
      .filter((g) => entities.has(g.type));
    const preds = predicted.filter((p) => entities.has(p.entity));
    const used = new Set<number>();
    for (const g of golds) {
      const hit = preds.findIndex((p, i) => !used.has(i) && p.entity === g.type && iou(p, g) >= IOU_THRESHOLD);
      if (hit >= 0) {
        used.add(hit);
        bump(g.type, "tp");
      } else bump(g.type, "fn");
    }
    preds.forEach((p, i) => {
      if (!used.has(i)) bump(p.entity, "fp");
    });
  }
  const entitiesOut: Record<string, Scores> = {};
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const [type, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    entitiesOut[type] = toScores(c);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return { overall: toScores(total), entities: entitiesOut };
}

function toScores(c: { tp: number; fp: number; fn: number }): Scores {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const fBeta = (beta: number) =>
    precision + recall === 0 ? 0 : ((1 + beta * beta) * precision * recall) / (beta * beta * precision + recall);
  const r = (n: number) => Math.round(n * 10000) / 10000;
  return { precision: r(precision), recall: r(recall), f1: r(fBeta(1)), f2: r(fBeta(2)), ...c };
}
