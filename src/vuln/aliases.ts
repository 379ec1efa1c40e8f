/**
 * One finding per vulnerability: advisories from several databases (PYSEC, GHSA, GO, CVE) that
 * describe the same vulnerability name each other in `aliases`; they are merged into one group.
 *
 * Advisories join when they share an id or alias, except when both already carry CVE ids and
 * none in common: those are different vulnerabilities even if a database wrongly lists the same
 * GHSA under both (the PyPA database does, for CVE-2021-32807 and CVE-2021-32811). The group is
 * shown under its CVE id (the one most members name), else a GHSA id, else its first advisory id.
 */

/** What the grouping needs of each matched advisory. */
export interface AliasMember {
  id: string;
  aliases: readonly string[];
}

/** A group of advisories about one vulnerability. */
export interface AliasGroup<T extends AliasMember> {
  /** The id to show: a CVE when there is one. */
  id: string;
  /** Every other id the members carry, sorted. */
  aliases: string[];
  members: T[];
}

const isCve = (id: string) => id.startsWith("CVE-");
const isGhsa = (id: string) => id.startsWith("GHSA-");

function idsOf(member: AliasMember): Set<string> {
  return new Set([member.id, ...member.aliases]);
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** The id most members name among `candidates`, ties broken by sort order. */
function mostNamed(candidates: string[], members: readonly AliasMember[]): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  for (const id of [...new Set(candidates)].sort()) {
    const count = members.filter((m) => idsOf(m).has(id)).length;
    if (count > bestCount) {
      best = id;
      bestCount = count;
    }
  }
  return best;
}

/** Groups matched advisories by vulnerability; deterministic for any input order. */
export function groupByAlias<T extends AliasMember>(members: readonly T[]): AliasGroup<T>[] {
  const groups: { ids: Set<string>; cves: Set<string>; members: T[] }[] = [];
  for (const member of [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const ids = idsOf(member);
    const cves = new Set([...ids].filter(isCve));
    let home: (typeof groups)[number] | undefined;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g] as (typeof groups)[number];
      const ownCves = home?.cves ?? cves;
      const shareIds = intersects(group.ids, home?.ids ?? ids);
      const compatible = group.cves.size === 0 || ownCves.size === 0 || intersects(group.cves, ownCves);
      if (!shareIds || !compatible) continue;
      if (!home) {
        home = group;
        for (const id of ids) group.ids.add(id);
        for (const id of cves) group.cves.add(id);
        group.members.push(member);
      } else {
        // The member bridges two groups: fold the later one into the first.
        for (const id of group.ids) home.ids.add(id);
        for (const id of group.cves) home.cves.add(id);
        home.members.push(...group.members);
        groups.splice(g, 1);
        g--;
      }
    }
    if (!home) groups.push({ ids, cves, members: [member] });
  }
  return groups.map((group) => {
    const all = [...group.ids];
    const id =
      mostNamed(all.filter(isCve), group.members) ??
      mostNamed(all.filter(isGhsa), group.members) ??
      (group.members.map((m) => m.id).sort()[0] as string);
    return { id, aliases: all.filter((x) => x !== id).sort(), members: group.members };
  });
}
