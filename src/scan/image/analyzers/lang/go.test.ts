import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { FoundPackage } from "../../types.js";
import { goAnalyzer, toGoSemver } from "./go.js";
import { extractGoBuildInfo, MAX_WHOLE_BINARY_BYTES, toGoBuildInfo } from "./go-buildinfo.js";
import { toGoModInfo } from "./go-modinfo.js";
import { aGoElf, anInlineBuildInfo } from "./test-elf.js";
import { anImageFile } from "./test-helpers.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");
/** typescript@7 ships its compiler as a Go binary in a per-platform package. */
const TSGO_PARENT = join(REPO_ROOT, "node_modules/@typescript");
/** A Go binary of the Google Cloud SDK with a local `=>` replacement and a vendor toolchain. */
const GO_APP_STAGER = "/usr/lib/google-cloud-sdk/platform/google_appengine/go-app-stager";

const MODINFO = [
  "path\texample.com/app/cmd/app",
  "mod\texample.com/app\t(devel)\t",
  "dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=",
  "dep\tgolang.org/x/text\tv0.3.0\th1:abc=",
  "=>\tgithub.com/fork/text\tv0.3.8\th1:def=",
  "dep\texample.com/local\tv0.0.0-00010101000000-000000000000\t",
  "=>\t../local\t\t",
  "build\t-compiler=gc",
  'build\t-ldflags="-X main.token=secret"',
  "build\tGOOS=linux",
  "build\tvcs.revision=0123abcd",
  "",
].join("\n");

/** What MODINFO built with go1.17.13 must give, written down before the analyzer ran on it. */
const EXPECTED_FROM_MODINFO: [string, string, string][] = [
  ["stdlib", "v1.17.13", "pkg:golang/stdlib@v1.17.13"],
  ["example.com/app", "", "pkg:golang/example.com/app"],
  ["github.com/pkg/errors", "v0.9.1", "pkg:golang/github.com/pkg/errors@v0.9.1"],
  ["github.com/fork/text", "v0.3.8", "pkg:golang/github.com/fork/text@v0.3.8"],
  ["example.com/local", "", "pkg:golang/example.com/local"],
];

const triples = (packages: FoundPackage[]) => packages.map((p) => [p.name, p.version, p.purl]);
const binary = (path: string, content: Buffer) => anImageFile(path, content, { mode: 0o100755 });

/** Printable runs of a binary, as `strings` prints them: an independent view of the module lines. */
function printableLines(content: Buffer): string[] {
  return content.toString("latin1").split(/[^\t\x20-\x7e]+/);
}

function findTsgo(): string | undefined {
  if (!existsSync(TSGO_PARENT)) return undefined;
  for (const name of readdirSync(TSGO_PARENT)) {
    for (const exe of ["tsc", "tsc.exe"]) {
      const path = join(TSGO_PARENT, name, "lib", exe);
      if (name.startsWith("typescript-") && existsSync(path)) return path;
    }
  }
  return undefined;
}

describe("go analyzer", () => {
  it("streams executable regular files between 64 KiB and 1 GiB, not shared libraries; keeps none whole", () => {
    const size = 5_000_000;
    assert.equal(goAnalyzer.extractor?.wants("ko-app/server", size, 0o100755), true);
    assert.equal(goAnalyzer.extractor?.wants("usr/local/bin/helm", size, 0o755), true);
    assert.equal(goAnalyzer.extractor?.wants("usr/local/bin/helm", size, 0o100644), false);
    assert.equal(goAnalyzer.extractor?.wants("usr/lib/libcudnn.so.8.9.2", size, 0o100755), false);
    assert.equal(goAnalyzer.extractor?.wants("usr/bin/tool", 1025 * 1024 * 1024, 0o100755), false);
    assert.equal(goAnalyzer.extractor?.wants("usr/bin/script", 2_000, 0o100755), false);
    assert.equal(goAnalyzer.extractor?.wants("usr/bin/link", size, 0o120777), false);
    assert.equal(goAnalyzer.wants("ko-app/server", size, 0o100755), false);
  });

  const tsgo = findTsgo();
  it("reads the Go compiler typescript@7 ships (a real Go binary) like `strings` does", {
    skip: tsgo ? false : `no @typescript/typescript-<platform> package under ${TSGO_PARENT}`,
  }, () => {
    const content = readFileSync(tsgo as string);
    // The independent reading first: module lines among the printable runs.
    const lines = printableLines(content);
    const expectedDeps = [
      ...new Set(lines.filter((l) => l.startsWith("dep\t")).map((l) => l.split("\t").slice(1, 3).join("@"))),
    ].sort();
    const mainLine = lines.find((l) => l.startsWith("mod\t"))?.split("\t");
    assert.ok(expectedDeps.length > 0 && mainLine, "the binary carries module lines");

    const { packages, warnings } = goAnalyzer.analyze([binary("usr/lib/node_modules/tsc", content)], {});
    assert.deepEqual(warnings, []);
    const main = packages.filter((p) => p.properties?.["go.main"] === "true");
    assert.deepEqual(
      main.map((p) => [p.name, p.version]),
      [[mainLine[1], mainLine[2]]],
    );
    const deps = packages.filter((p) => p.name !== "stdlib" && p.properties?.["go.main"] !== "true");
    assert.deepEqual(deps.map((p) => `${p.name}@${p.version}`).sort(), expectedDeps);
    const stdlib = packages.find((p) => p.name === "stdlib");
    const toolchain = stdlib?.properties?.["go.toolchain"] ?? "";
    assert.match(toolchain, /^go1\.\d+\.\d+$/);
    assert.ok(lines.includes(toolchain), "the toolchain version is a printable run of its own");
    assert.equal(stdlib?.version, `v${toolchain.slice(2)}`);
    assert.ok(packages.every((p) => p.ecosystem === "Go" && p.kind === "library" && p.purl.startsWith("pkg:golang/")));
  });

  it("keeps a local replacement and a vendor toolchain without a version", {
    skip: existsSync(GO_APP_STAGER) ? false : `needs ${GO_APP_STAGER} (Google Cloud SDK)`,
  }, () => {
    const { packages, warnings } = goAnalyzer.analyze([binary("bin/go-app-stager", readFileSync(GO_APP_STAGER))], {});
    assert.deepEqual(triples(packages), [
      ["stdlib", "", "pkg:golang/stdlib"],
      ["go-app-stager", "", "pkg:golang/go-app-stager"],
      ["gopkg.in/yaml.v2", "", "pkg:golang/gopkg.in/yaml.v2"],
    ]);
    assert.deepEqual(packages[2]?.properties, { "go.replacedBy": "./gopkg.in/yaml", "go.requiredVersion": "v2.2.2" });
    assert.equal(warnings.length, 1);
  });

  for (const variant of [
    { label: "Go 1.18+ inline, ELF64 little-endian", layout: "inline", is64: true, littleEndian: true },
    { label: "pre-1.18 pointers, ELF64 little-endian", layout: "pointers", is64: true, littleEndian: true },
    { label: "pre-1.18 pointers, ELF32 big-endian", layout: "pointers", is64: false, littleEndian: false },
    { label: "inline without a section table", layout: "inline", is64: true, littleEndian: true, withSections: false },
  ] as const) {
    it(`decodes a hand-built binary: ${variant.label}`, () => {
      const elf = aGoElf({ goVersion: "go1.17.13", modInfo: MODINFO, ...variant });
      const { packages, warnings } = goAnalyzer.analyze([binary("app/server", elf)], {});
      assert.deepEqual(warnings, []);
      assert.deepEqual(triples(packages), EXPECTED_FROM_MODINFO);
    });
  }

  it("finds inline build info in a PE or Mach-O file by its aligned magic", () => {
    const blob = anInlineBuildInfo({ goVersion: "go1.22.3", modInfo: MODINFO });
    for (const magic of [Buffer.from("MZ"), Buffer.from([0xcf, 0xfa, 0xed, 0xfe])]) {
      const file = Buffer.concat([magic, Buffer.alloc(0x200 - magic.length), blob, Buffer.alloc(64)]);
      const { packages, warnings } = goAnalyzer.analyze([binary("app/server.exe", file)], {});
      assert.deepEqual(warnings, []);
      assert.deepEqual(triples(packages).slice(1), EXPECTED_FROM_MODINFO.slice(1));
      assert.equal(packages[0]?.version, "v1.22.3");
    }
  });

  it("puts the facts of the main module and replacements in properties, not secrets", () => {
    const elf = aGoElf({ goVersion: "go1.22.3 X:boringcrypto", modInfo: MODINFO, layout: "inline" });
    const { packages } = goAnalyzer.analyze([binary("app/server", elf)], {});
    assert.deepEqual(packages[0]?.properties, { "go.toolchain": "go1.22.3 X:boringcrypto" });
    assert.deepEqual(packages[1]?.properties, {
      "go.version": "(devel)",
      "go.main": "true",
      "go.package": "example.com/app/cmd/app",
      "go.build.GOOS": "linux",
      "go.build.vcs.revision": "0123abcd",
    });
    assert.deepEqual(packages[3]?.properties, { "go.replaces": "golang.org/x/text@v0.3.0" });
    assert.deepEqual(packages[4]?.properties, {
      "go.replacedBy": "../local",
      "go.requiredVersion": "v0.0.0-00010101000000-000000000000",
    });
  });

  it("converts toolchain versions the way the Go vulnerability database names them", () => {
    assert.equal(toGoSemver("go1.22.3"), "v1.22.3");
    assert.equal(toGoSemver("go1.20"), "v1.20.0");
    assert.equal(toGoSemver("go1.21rc2"), "v1.21.0-rc.2");
    assert.equal(toGoSemver("go1.22.3 X:nocoverageredesign"), "v1.22.3");
    assert.equal(toGoSemver("devel go1.23-e8ee1dc4f9 Sun May 5"), undefined);
    assert.equal(toGoSemver("go1.22-20231128-RC02 cl/586117301"), undefined);
  });

  it("parses quoted build settings", () => {
    const info = toGoModInfo('build\t-ldflags="-s -w"\nbuild\t"weird key"=x\n');
    assert.deepEqual(info.build, { "-ldflags": "-s -w", "weird key": "x" });
  });

  it("ignores executables that are not Go and scripts", () => {
    const { packages, warnings } = goAnalyzer.analyze(
      [binary("bin/sh", Buffer.concat([Buffer.from("#!/bin/sh\n"), Buffer.alloc(70_000)]))],
      {},
    );
    assert.deepEqual([packages, warnings], [[], []]);
  });

  for (const layout of ["inline", "pointers"] as const) {
    it(`reports every truncation of a Go ELF that cuts into its build info (${layout})`, () => {
      const elf = aGoElf({ goVersion: "go1.21.5", modInfo: MODINFO, layout });
      const kinds = Array.from({ length: elf.length }, (_, length) => toGoBuildInfo(elf.subarray(0, length)).kind);
      // Below 4 bytes there is no ELF magic, so no executable; from there on it is damage until
      // the cut passes the build info, after which only the section table (not needed) is lost.
      const intact = kinds.indexOf("found");
      assert.ok(intact > 0x100 + 32, `found already at ${intact} bytes`);
      assert.deepEqual(new Set(kinds.slice(4, intact)), new Set(["corrupt"]));
      assert.deepEqual(new Set(kinds.slice(intact)), new Set(["found"]));
    });
  }

  it("never throws on random bytes, random ELF mutations or truncations", () => {
    const seeds = [
      aGoElf({ goVersion: "go1.21.5", modInfo: MODINFO, layout: "inline" }),
      aGoElf({ goVersion: "go1.16.2", modInfo: MODINFO, layout: "pointers" }),
      aGoElf({ goVersion: "go1.16.2", modInfo: MODINFO, layout: "pointers", is64: false, littleEndian: false }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
        fc.nat(),
        (seed, edits, cut) => {
          const mutated = Buffer.from(seed);
          for (const [at, byte] of edits) mutated[at % mutated.length] = byte;
          const file = binary("app/x", mutated.subarray(0, cut % (mutated.length + 1)));
          goAnalyzer.analyze([file], {});
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const data = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from(bytes)]);
        toGoBuildInfo(data);
        toGoBuildInfo(Buffer.from(bytes));
      }),
    );
  });

  describe("streamed", () => {
    /** What the layer reader does: the extractor sees the head, then the file in chunks of the given sizes. */
    async function streamed(path: string, content: Buffer, chunkSizes: readonly number[] = [65_536]) {
      const start = goAnalyzer.extractor?.start(content.subarray(0, 512), content.length);
      if (!start) return undefined;
      const chunks: Buffer[] = [];
      for (let at = 0, i = 0; at < content.length; i++) {
        const size = Math.max(1, chunkSizes[i % chunkSizes.length] as number);
        chunks.push(content.subarray(at, at + size));
        at += size;
      }
      const kept = await start(Readable.from(chunks));
      if (!kept) return { kept, result: { packages: [], warnings: [] } };
      const file = { ...binary(path, kept), extractedBy: goAnalyzer.name };
      return { kept, result: goAnalyzer.analyze([file], {}) };
    }

    it("keeps only the build info of a real Go binary and finds what the whole file gives", {
      skip: !tsgo && "no Go binary",
    }, async () => {
      const content = readFileSync(tsgo as string);
      const whole = goAnalyzer.analyze([binary("usr/bin/tsc", content)], {});
      const out = await streamed("usr/bin/tsc", content, [1 << 20, 4096, 17]);
      assert.ok(out?.kept && out.kept.length < 64 * 1024, `kept ${out?.kept?.length} of ${content.length} bytes`);
      assert.deepEqual(out.result, whole);
    });

    for (const layout of ["inline", "pointers"] as const) {
      it(`decodes ${layout} build info whatever the chunk boundaries`, async () => {
        const elf = aGoElf({ goVersion: "go1.17.13", modInfo: MODINFO, layout });
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
            async (sizes) => {
              const out = await streamed("app/server", elf, sizes);
              assert.deepEqual(out?.result.warnings, []);
              assert.deepEqual(triples(out?.result.packages ?? []), EXPECTED_FROM_MODINFO);
            },
          ),
          { numRuns: 60 },
        );
      });
    }

    it("skips a magic that is a literal in the data, not a header, and finds the real one after it", async () => {
      // A header-shaped literal whose "version" is not a toolchain's, 48 bytes to keep the real one aligned.
      const literal = Buffer.concat([
        Buffer.from("\xff Go buildinf:", "latin1"),
        Buffer.from([8, 2]),
        Buffer.alloc(16),
        Buffer.from("\x05hello", "latin1"),
        Buffer.alloc(10),
      ]);
      const blob = anInlineBuildInfo({ goVersion: "go1.22.3", modInfo: MODINFO });
      const file = Buffer.concat([
        Buffer.from("MZ"),
        Buffer.alloc(0x1fe),
        literal,
        Buffer.alloc(0x100),
        blob,
        Buffer.alloc(64),
      ]);
      const out = await streamed("app/server.exe", file, [100]);
      assert.equal(out?.result.packages[0]?.version, "v1.22.3");
      assert.deepEqual(triples(out?.result.packages ?? []).slice(1), EXPECTED_FROM_MODINFO.slice(1));
      assert.deepEqual(goAnalyzer.analyze([binary("app/server.exe", file)], {}), out?.result, "whole file agrees");
    });

    it("reports a build info cut off by the end of the file, and says why a large old binary is not read", async () => {
      const elf = aGoElf({ goVersion: "go1.21.5", modInfo: MODINFO, layout: "inline" });
      const at = elf.indexOf(Buffer.from("\xff Go buildinf:", "latin1"));
      const cut = await streamed("app/cut", elf.subarray(0, at + 40));
      assert.equal(cut?.result.packages.length, 0);
      assert.match(cut?.result.warnings[0] ?? "", /truncated/);

      const old = aGoElf({ goVersion: "go1.16.2", modInfo: MODINFO, layout: "pointers" });
      const header = await extractGoBuildInfo(Readable.from([old]), MAX_WHOLE_BINARY_BYTES + 1);
      assert.equal(header?.length, 32);
      const result = toGoBuildInfo(header as Buffer);
      assert.equal(result.kind, "corrupt");
      assert.match(result.kind === "corrupt" ? result.reason : "", /Go < 1\.18 binary .* was not kept/);
    });

    it("follows at most a few candidates in a file made of magics, and never throws", async () => {
      const magic = Buffer.concat([
        Buffer.from("\xff Go buildinf:", "latin1"),
        Buffer.from([8, 2, 0xff, 0xff, 0xff, 0x7f]),
        Buffer.alloc(10),
      ]);
      const file = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
        Buffer.alloc(12),
        ...Array(20_000).fill(magic),
      ]);
      const out = await streamed("app/hostile", file, [4096]);
      assert.deepEqual(out?.result.packages, []);
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 300 }), async (bytes, size) => {
          const data = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), magic, Buffer.from(bytes)]);
          await streamed("app/x", data, [size]);
        }),
        { numRuns: 100 },
      );
    });
  });
});
