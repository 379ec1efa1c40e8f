/** Whether an event is what a rule step asks for: its kind, the guards that fired, the program it ran... */
import { type Event, isAtLeast, SEVERITIES, type Severity } from "../core/index.js";
import type { Db } from "./events.js";
import type { Match, RuleSet } from "./rules.js";

/** The worst vulnerability severity among an image's components (by digest), if it was scanned. */
export type ImageSeverityLookup = (db: Db, imageDigest: string) => Promise<Severity | undefined>;

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The program an event ran: a sandbox exec's path, a sensor's process binary. */
export function programOf(event: Event): string | undefined {
  const p = event.payload;
  const path = event.kind === "mcp.exec" ? p.path : obj(p.process).binary;
  if (typeof path !== "string" || path === "") return undefined;
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Severity an event carries (sensor events); gateway and MCP events have none. */
export function severityOf(event: Event): Severity | undefined {
  const s = event.payload.severity;
  return typeof s === "string" && (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : undefined;
}

/** Guards of a gateway or MCP event that fired (an outcome other than pass). */
export function firedGuards(event: Event): { guard: string; direction?: string; outcome: string; signals: string[] }[] {
  const guards = event.payload.guards;
  if (!Array.isArray(guards)) return [];
  return guards.flatMap((g) => {
    const v = obj(g);
    if (typeof v.guard !== "string" || typeof v.outcome !== "string" || v.outcome === "pass") return [];
    return [
      {
        guard: v.guard,
        outcome: v.outcome,
        ...(typeof v.direction === "string" ? { direction: v.direction } : {}),
        signals: Array.isArray(v.signals) ? v.signals.filter((s): s is string => typeof s === "string") : [],
      },
    ];
  });
}

const globCache = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
    globCache.set(pattern, re);
  }
  return re;
}

/** The checks that need nothing but the event (all but `imageVulnerability`). */
export function matchesEvent(match: Match, event: Event, lists: RuleSet["lists"]): boolean {
  if (!match.kinds.includes(event.kind)) return false;
  if (match.guards || match.outcomes || match.direction) {
    const fired = firedGuards(event).filter(
      (g) =>
        (!match.guards || match.guards.includes(g.guard)) &&
        (!match.outcomes || match.outcomes.includes(g.outcome)) &&
        (!match.direction || g.direction === match.direction),
    );
    if (fired.length === 0) return false;
  }
  if (match.decisions && !match.decisions.includes(String(event.payload.decision))) return false;
  if (match.process) {
    const program = programOf(event);
    if (!program || !match.process.some((name) => lists.get(name)?.has(program) ?? name === program)) return false;
  }
  if (match.sensorRules) {
    const rule = event.payload.rule;
    if (typeof rule !== "string" || !match.sensorRules.some((p) => glob(p).test(rule))) return false;
  }
  if (match.minSeverity) {
    const severity = severityOf(event);
    if (!severity || !isAtLeast(severity, match.minSeverity)) return false;
  }
  return true;
}

/** The full check: the event's own fields, then the images among its subjects. */
export async function matches(
  db: Db,
  match: Match,
  event: Event,
  subjects: ReadonlySet<string>,
  lists: RuleSet["lists"],
  imageSeverity: ImageSeverityLookup,
): Promise<boolean> {
  if (!matchesEvent(match, event, lists)) return false;
  if (match.imageVulnerability) {
    const wanted = match.imageVulnerability.minSeverity;
    for (const s of subjects) {
      if (!s.startsWith("image:")) continue;
      const worst = await imageSeverity(db, s.slice(6));
      if (worst && isAtLeast(worst, wanted)) return true;
    }
    return false;
  }
  return true;
}
