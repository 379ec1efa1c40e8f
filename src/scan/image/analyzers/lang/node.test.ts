import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { isInstalledPackageJson, nodeAnalyzer, toNpmPurl } from "./node.js";
import { anImageFile, imageFilesFrom } from "./test-helpers.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");
const NODE_MODULES = join(REPO_ROOT, "node_modules");
/** npm's hidden lockfile: npm's own record of the tree it wrote into node_modules. */
const HIDDEN_LOCKFILE = join(NODE_MODULES, ".package-lock.json");

interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
}

const manifest = (fields: Record<string, unknown>) => JSON.stringify(fields);

describe("node analyzer", () => {
  it("wants package.json directly inside a package folder, at any depth", () => {
    const cases: [string, boolean][] = [
      ["app/node_modules/express/package.json", true],
      ["app/node_modules/@types/node/package.json", true],
      ["app/node_modules/a/node_modules/@s/b/package.json", true],
      ["usr/local/lib/node_modules/npm/package.json", true],
      ["usr/local/lib/node_modules/npm/node_modules/semver/package.json", true],
      ["app/node_modules/.pnpm/left-pad@1.3.0/node_modules/left-pad/package.json", true],
      ["app/node_modules/express/lib/package.json", false],
      ["app/node_modules/@types/package.json", false],
      ["app/node_modules/.bin/package.json", false],
      ["app/package.json", false],
    ];
    for (const [path, expected] of cases) assert.equal(isInstalledPackageJson(path), expected, path);
    assert.equal(nodeAnalyzer.wants("app/node_modules/a/package.json", 100, 0o120777), false);
  });

  const lockSkip = existsSync(HIDDEN_LOCKFILE) ? false : `needs ${HIDDEN_LOCKFILE} (run npm install)`;
  it("finds every package npm's hidden lockfile lists in this repository's node_modules", { skip: lockSkip }, () => {
    // The independent reading first: install path → name@version from the lockfile.
    const lock = JSON.parse(readFileSync(HIDDEN_LOCKFILE, "utf8")) as { packages: Record<string, LockEntry> };
    const expected = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && !entry.link && entry.version)
      .map(
        ([path, entry]) =>
          `${path} ${entry.name ?? path.slice(path.lastIndexOf("node_modules/") + 13)}@${entry.version}`,
      )
      .sort();
    const files = imageFilesFrom({ root: NODE_MODULES, imageRoot: REPO_ROOT, wants: nodeAnalyzer.wants });
    const { packages, warnings } = nodeAnalyzer.analyze(files, {});
    assert.deepEqual(warnings, []);
    const found = packages.map((p) => `${p.path.slice(0, -"/package.json".length)} ${p.name}@${p.version}`).sort();
    assert.deepEqual(found, expected);
    assert.ok(expected.length > 50, `only ${expected.length} packages in the lockfile`);
  });

  it("reads name, version and the licence forms, and builds scoped purls", () => {
    const files = [
      anImageFile(
        "usr/local/lib/node_modules/npm/package.json",
        manifest({ name: "npm", version: "10.2.4", license: "Artistic-2.0" }),
      ),
      anImageFile(
        "app/node_modules/@babel/core/package.json",
        manifest({ name: "@babel/core", version: "7.23.0", license: { type: "MIT", url: "x" } }),
        { layer: 2 },
      ),
      anImageFile("app/node_modules/bom/package.json", `\uFEFF${manifest({ name: "bom", version: "1.0.0" })}`),
      anImageFile(
        "app/node_modules/old/package.json",
        manifest({ name: "old", version: "0.1.0", licenses: [{ type: "MIT" }, { type: "GPL-2.0" }] }),
      ),
    ];
    const { packages, warnings } = nodeAnalyzer.analyze(files, {});
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      packages.map((p) => [p.name, p.version, p.purl, p.licenses, p.layer]),
      [
        ["npm", "10.2.4", "pkg:npm/npm@10.2.4", ["Artistic-2.0"], 0],
        ["@babel/core", "7.23.0", "pkg:npm/%40babel/core@7.23.0", ["MIT"], 2],
        ["bom", "1.0.0", "pkg:npm/bom@1.0.0", undefined, 0],
        ["old", "0.1.0", "pkg:npm/old@0.1.0", ["MIT", "GPL-2.0"], 0],
      ],
    );
    assert.equal(packages[0]?.ecosystem, "npm");
    assert.equal(packages[0]?.kind, "library");
  });

  it("skips manifests without name or version and warns about broken JSON", () => {
    const { packages, warnings } = nodeAnalyzer.analyze(
      [
        anImageFile("a/node_modules/stub/package.json", manifest({ name: "stub" })),
        anImageFile("a/node_modules/typed/package.json", manifest({ name: 3, version: "1.0.0" })),
        anImageFile("a/node_modules/broken/package.json", "{ name: "),
        anImageFile("a/node_modules/array/package.json", "[1,2]"),
      ],
      {},
    );
    assert.deepEqual(packages, []);
    assert.equal(warnings.length, 2);
  });

  it("lower-cases legacy upper-case names in the purl only", () => {
    assert.equal(toNpmPurl("@Scope/JSONStream", "1.0.0"), "pkg:npm/%40scope/jsonstream@1.0.0");
  });

  it("never throws on arbitrary bytes or arbitrary JSON", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
          fc.json().map((j) => Buffer.from(j)),
        ),
        (bytes) => {
          nodeAnalyzer.analyze([anImageFile("node_modules/x/package.json", bytes)], {});
        },
      ),
    );
  });
});
