/**
 * An in-memory advisory index: advisories filed under each package they affect (base ecosystem
 * plus the ecosystem's normalised name), one copy per id. Re-adding an id keeps whichever copy
 * has the later `modified` time, so loading a newer export over an older one is incremental and
 * the order files are read in does not matter.
 */
import { packageKey } from "./ecosystems.js";
import type { OsvAdvisory } from "./osv.js";

/** Where the matcher finds advisories; the memory index is one, a database could be another. */
export interface AdvisoryLookup {
  /**
   * Advisories with an `affected` entry for this package in this base ecosystem (any release),
   * withdrawn ones included: the matcher filters releases, versions and withdrawals.
   */
  lookup(ecosystem: string, name: string): readonly OsvAdvisory[];
}

/** What `add` did with an advisory. */
export type AddOutcome = "added" | "replaced" | "skipped";

export interface MemoryIndex extends AdvisoryLookup {
  /** Adds or replaces by id; `skipped` when the index already has a copy at least as new. */
  add(advisory: OsvAdvisory): AddOutcome;
  get(id: string): OsvAdvisory | undefined;
  /** Number of advisories (ids) held. */
  readonly size: number;
  advisories(): IterableIterator<OsvAdvisory>;
}

interface Entry {
  advisory: OsvAdvisory;
  modified: number;
  keys: string[];
}

function keysOf(advisory: OsvAdvisory): string[] {
  const keys = new Set<string>();
  for (const affected of advisory.affected ?? []) {
    if (!affected.package) continue;
    const key = packageKey(affected.package.ecosystem, affected.package.name);
    if (key) keys.add(key);
  }
  return [...keys];
}

/** A fresh, empty (or pre-filled) in-memory index. */
export function createMemoryIndex(initial: Iterable<OsvAdvisory> = []): MemoryIndex {
  const byId = new Map<string, Entry>();
  const byKey = new Map<string, Set<string>>();

  const remove = (entry: Entry) => {
    for (const key of entry.keys) byKey.get(key)?.delete(entry.advisory.id);
  };

  const index: MemoryIndex = {
    add(advisory) {
      const modified = Date.parse(advisory.modified);
      const existing = byId.get(advisory.id);
      if (existing && existing.modified >= modified) return "skipped";
      if (existing) remove(existing);
      const keys = keysOf(advisory);
      for (const key of keys) {
        let ids = byKey.get(key);
        if (!ids) {
          ids = new Set();
          byKey.set(key, ids);
        }
        ids.add(advisory.id);
      }
      byId.set(advisory.id, { advisory, modified, keys });
      return existing ? "replaced" : "added";
    },
    get: (id) => byId.get(id)?.advisory,
    get size() {
      return byId.size;
    },
    *advisories() {
      for (const entry of byId.values()) yield entry.advisory;
    },
    lookup(ecosystem, name) {
      const key = packageKey(ecosystem, name);
      const ids = key === undefined ? undefined : byKey.get(key);
      if (!ids) return [];
      return [...ids].map((id) => (byId.get(id) as Entry).advisory);
    },
  };
  for (const advisory of initial) index.add(advisory);
  return index;
}
