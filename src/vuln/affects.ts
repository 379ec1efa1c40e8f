/**
 * OSV range semantics (https://ossf.github.io/osv-schema/#evaluation): whether one installed
 * version is inside an `affected` entry, and the fix to suggest.
 *
 * - Events are sorted by version, `introduced: "0"` first; walking them, `introduced <= v` makes
 *   the version affected, `fixed <= v` (exclusive bound) and `last_affected < v` (inclusive
 *   bound) make it unaffected again. `limit` events cap the range: `v` must be below one of them.
 * - `SEMVER` ranges order by SemVer 2.0 whatever the ecosystem; `ECOSYSTEM` ranges by the
 *   ecosystem's ordering; `GIT` ranges hold commits and are skipped.
 * - The explicit `versions` list matches by equality under the ordering (`1.0` is `1.0.0` in
 *   PyPI), or by identical text for versions the ordering cannot read.
 * - A range with an event version the ordering cannot read is skipped rather than guessed at:
 *   dropping an unreadable `fixed` would mark every later release affected.
 */
import type { VersionOrdering } from "./ordering.js";
import { semverOrdering } from "./ordering-semver.js";
import type { OsvAffected, OsvEvent, OsvRange } from "./osv.js";

type EventKind = "introduced" | "last_affected" | "fixed" | "limit";

interface RangeEvent {
  kind: EventKind;
  version: string;
}

/** A range's events in evaluation order, or undefined when the ordering cannot place one. */
interface PreparedRange {
  events: RangeEvent[];
  limits: string[];
}

/** Ties put `introduced` before the bounds, so a range that opens and closes at v excludes v. */
const KIND_ORDER: Record<EventKind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

function eventOf(e: OsvEvent): RangeEvent {
  if (e.introduced !== undefined) return { kind: "introduced", version: e.introduced };
  if (e.fixed !== undefined) return { kind: "fixed", version: e.fixed };
  if (e.last_affected !== undefined) return { kind: "last_affected", version: e.last_affected };
  return { kind: "limit", version: e.limit ?? "" };
}

const isZero = (e: RangeEvent) => e.kind === "introduced" && e.version === "0";

/** Sorting once per range and ordering: advisories are matched against many packages. */
const prepared = new WeakMap<OsvRange, Map<VersionOrdering, PreparedRange | undefined>>();

function prepare(range: OsvRange, ordering: VersionOrdering): PreparedRange | undefined {
  let byOrdering = prepared.get(range);
  if (!byOrdering) {
    byOrdering = new Map();
    prepared.set(range, byOrdering);
  }
  if (byOrdering.has(ordering)) return byOrdering.get(ordering);
  const all = range.events.map(eventOf);
  const readable = all.every((e) => isZero(e) || ordering.valid(e.version));
  const result = readable
    ? {
        events: all
          .filter((e) => e.kind !== "limit")
          .sort((a, b) => {
            if (isZero(a) || isZero(b)) return Number(isZero(b)) - Number(isZero(a));
            return ordering.compare(a.version, b.version) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
          }),
        limits: all.filter((e) => e.kind === "limit").map((e) => e.version),
      }
    : undefined;
  byOrdering.set(ordering, result);
  return result;
}

/** Whether `version` is in one range, and the lowest `fixed` above it. */
function evaluateRange(range: PreparedRange, version: string, ordering: VersionOrdering) {
  let affected = false;
  let fixed: string | undefined;
  for (const event of range.events) {
    const position = isZero(event) ? -1 : ordering.compare(event.version, version);
    if (position > 0) {
      // Sorted: nothing from here on is at or below `version`; only the next fix matters.
      if (event.kind === "fixed") {
        fixed = event.version;
        break;
      }
      continue;
    }
    if (event.kind === "introduced") affected = true;
    else if (event.kind === "fixed") affected = false;
    else if (event.kind === "last_affected" && position < 0) affected = false;
  }
  if (affected && range.limits.length > 0) {
    affected = range.limits.some((limit) => ordering.compare(version, limit) < 0);
  }
  return { affected, fixed: affected ? fixed : undefined };
}

/** Outcome of matching one installed version against one `affected` entry. */
export interface AffectedResult {
  affected: boolean;
  /** The lowest `fixed` version above the installed one, when the advisory names one. */
  fixed?: string;
}

function rangeOrdering(range: OsvRange, ordering: VersionOrdering): VersionOrdering | undefined {
  if (range.type === "GIT") return undefined;
  return range.type === "SEMVER" ? semverOrdering : ordering;
}

function lowestFixAbove(affected: OsvAffected, version: string, ordering: VersionOrdering): string | undefined {
  let lowest: string | undefined;
  for (const range of affected.ranges ?? []) {
    const order = rangeOrdering(range, ordering);
    if (!order?.valid(version)) continue;
    for (const event of prepare(range, order)?.events ?? []) {
      if (event.kind !== "fixed" || order.compare(event.version, version) <= 0) continue;
      if (lowest === undefined || order.compare(event.version, lowest) < 0) lowest = event.version;
    }
  }
  return lowest;
}

function listed(affected: OsvAffected, version: string, ordering: VersionOrdering): boolean {
  const versions = affected.versions ?? [];
  if (versions.includes(version)) return true;
  if (!ordering.valid(version)) return false;
  return versions.some((v) => ordering.valid(v) && ordering.compare(v, version) === 0);
}

/** Whether `version` is affected by `affected`, with the fix to suggest (see the module comment). */
export function evaluateAffected(affected: OsvAffected, version: string, ordering: VersionOrdering): AffectedResult {
  for (const range of affected.ranges ?? []) {
    const order = rangeOrdering(range, ordering);
    if (!order?.valid(version)) continue;
    const ready = prepare(range, order);
    if (!ready) continue;
    const result = evaluateRange(ready, version, order);
    if (result.affected) return result.fixed === undefined ? { affected: true } : result;
  }
  if (listed(affected, version, ordering)) {
    const fixed = lowestFixAbove(affected, version, ordering);
    return fixed === undefined ? { affected: true } : { affected: true, fixed };
  }
  return { affected: false };
}

/** Whether `version` (as the ecosystem spells it) is affected by one OSV `affected` entry. */
export function affects(affected: OsvAffected, version: string, ordering: VersionOrdering): boolean {
  return evaluateAffected(affected, version, ordering).affected;
}
