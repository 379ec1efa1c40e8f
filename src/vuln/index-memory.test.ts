/** The in-memory index: incremental by `modified`, filed by base ecosystem and normalised name. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryIndex } from "./index-memory.js";
import type { OsvAdvisory } from "./osv.js";

function anAdvisory(id: string, modified = "2024-01-01T00:00:00Z", name = "demo"): OsvAdvisory {
  return {
    id,
    modified,
    affected: [{ package: { ecosystem: "npm", name }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }] }],
  };
}

describe("memory index", () => {
  it("keeps the newest copy of each id whatever the order", () => {
    const index = createMemoryIndex();
    assert.equal(index.add(anAdvisory("A", "2024-02-01T00:00:00Z", "old-name")), "added");
    assert.equal(index.add(anAdvisory("A", "2024-01-01T00:00:00Z", "older-name")), "skipped");
    assert.equal(index.add(anAdvisory("A", "2024-02-01T00:00:00Z", "same-time")), "skipped");
    assert.equal(index.add(anAdvisory("A", "2024-03-01T00:00:00Z", "new-name")), "replaced");
    assert.equal(index.size, 1);
    assert.deepEqual(index.lookup("npm", "old-name"), [], "the replaced copy's package is unfiled");
    assert.equal(index.lookup("npm", "new-name")[0]?.modified, "2024-03-01T00:00:00Z");
  });

  it("files advisories by base ecosystem and normalised name", () => {
    const index = createMemoryIndex([
      {
        id: "PYSEC-1",
        modified: "2024-01-01T00:00:00Z",
        affected: [
          { package: { ecosystem: "PyPI", name: "Zope.Interface" } },
          { package: { ecosystem: "RubyGems", name: "x" } },
        ],
      },
    ]);
    assert.equal(index.lookup("PyPI", "zope-interface").length, 1);
    assert.equal(index.lookup("RubyGems", "x").length, 0);
  });
});
