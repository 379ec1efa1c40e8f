/** Query parameters several lists share, parsed once here. */
import { z } from "zod";
import { SEVERITIES, type Severity } from "../../core/index.js";

/** `a,b,c` → the values, each checked against `values`. */
export const csvOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(1000)
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

export const severityFilter = {
  severity: csvOf(SEVERITIES).optional().describe("only these severities, comma-separated"),
  min_severity: z.enum(SEVERITIES).optional().describe("this severity or worse"),
};

/** The severities a list keeps, from `severity` and `min_severity` together (both must hold). */
export function severitiesOf(query: { severity?: Severity[]; min_severity?: Severity }): Severity[] | undefined {
  let kept: Severity[] | undefined = query.severity;
  if (query.min_severity) {
    const worst = SEVERITIES.slice(0, SEVERITIES.indexOf(query.min_severity) + 1);
    kept = (kept ?? [...SEVERITIES]).filter((s) => worst.includes(s));
  }
  return kept;
}

/** Epoch milliseconds or an ISO 8601 time. */
export const TimeParam = z
  .string()
  .max(64)
  .transform((s, ctx) => {
    const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    // Within what a Date can hold (and a bigint column takes).
    if (!Number.isFinite(t) || t < 0 || t > 8.64e15) {
      ctx.addIssue({ code: "custom", message: "expected epoch milliseconds or an ISO 8601 time" });
      return z.NEVER;
    }
    return t;
  });

export const IdParam = z.object({ id: z.string().min(1).max(512) });
