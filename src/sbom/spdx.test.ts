import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { z } from "zod";
import {
  defaultScanOptions,
  type FoundPackage,
  type ImageScanReport,
  imagePurl,
  scanImage,
} from "../scan/image/index.js";
import { loadOsvDirectory } from "../vuln/index.js";
import { type SpdxOptions, toSpdx } from "./index.js";
import { SPDX_LICENSE_LIST, toSpdxExpression } from "./spdx.js";

/*
 * No SPDX 2.3 JSON Schema ships in node_modules (@cyclonedx/cyclonedx-library only has the
 * licence-id list), so this zod schema restates what the 2.3 schema and spec require of what we
 * write: required fields, closed enumerations, no unknown keys, SPDXID and date syntax.
 */
const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
const ChecksumSchema = z.strictObject({
  algorithm: z.enum(["SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3-256", "SHA3-384", "SHA3-512"]),
  checksumValue: z.string().regex(/^[0-9a-f]+$/),
});
const PackageSchema = z.strictObject({
  SPDXID: z.string().regex(SPDX_ID),
  name: z.string().min(1),
  versionInfo: z.string().min(1).optional(),
  packageFileName: z.string().min(1).optional(),
  supplier: z.union([z.literal("NOASSERTION"), z.string().regex(/^(Person|Organization): .+/)]).optional(),
  downloadLocation: z.string().min(1),
  filesAnalyzed: z.boolean().optional(),
  checksums: z.array(ChecksumSchema).optional(),
  sourceInfo: z.string().optional(),
  licenseConcluded: z.string().optional(),
  licenseDeclared: z.string().optional(),
  licenseComments: z.string().optional(),
  copyrightText: z.string().optional(),
  externalRefs: z
    .array(
      z.strictObject({
        referenceCategory: z.enum(["SECURITY", "PACKAGE-MANAGER", "PERSISTENT-ID", "OTHER"]),
        referenceType: z.string().min(1),
        referenceLocator: z.string().regex(/^\S+$/),
        comment: z.string().optional(),
      }),
    )
    .optional(),
  primaryPackagePurpose: z
    .enum([
      "APPLICATION",
      "FRAMEWORK",
      "LIBRARY",
      "CONTAINER",
      "OPERATING-SYSTEM",
      "DEVICE",
      "FIRMWARE",
      "SOURCE",
      "ARCHIVE",
      "FILE",
      "INSTALL",
      "OTHER",
    ])
    .optional(),
  comment: z.string().optional(),
});
const SpdxDocumentSchema = z.strictObject({
  spdxVersion: z.literal("SPDX-2.3"),
  dataLicense: z.literal("CC0-1.0"),
  SPDXID: z.literal("SPDXRef-DOCUMENT"),
  name: z.string().min(1),
  documentNamespace: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]*:[^#\s]+$/i)
    .refine((uri) => URL.canParse(uri)),
  comment: z.string().optional(),
  creationInfo: z.strictObject({
    created: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    creators: z.array(z.string().regex(/^(Tool|Organization|Person): .+/)).min(1),
    licenseListVersion: z
      .string()
      .regex(/^\d+\.\d+$/)
      .optional(),
    comment: z.string().optional(),
  }),
  documentDescribes: z.array(z.string().regex(SPDX_ID)).optional(),
  packages: z.array(PackageSchema),
  relationships: z.array(
    z.strictObject({
      spdxElementId: z.string().regex(/^SPDXRef-[A-Za-z0-9.-]+$/),
      relationshipType: z.enum(["DESCRIBES", "DESCRIBED_BY", "CONTAINS", "CONTAINED_BY", "DEPENDS_ON", "OTHER"]),
      relatedSpdxElement: z.string().regex(/^(SPDXRef-[A-Za-z0-9.-]+|NONE|NOASSERTION)$/),
      comment: z.string().optional(),
    }),
  ),
});
type SpdxDocument = z.infer<typeof SpdxDocumentSchema>;

const FIXED = { toolVersion: "0.1.0", created: "2025-01-02T03:04:05Z", namespace: "https://example.test/spdx/app-1" };
const LAYOUT = fileURLToPath(new URL("../../examples/image/layout", import.meta.url));
const ADVISORIES = fileURLToPath(new URL("../../examples/advisories", import.meta.url));

function parseDocument(document: Record<string, unknown>): SpdxDocument {
  const result = SpdxDocumentSchema.safeParse(document);
  assert.ok(result.success, result.error ? z.prettifyError(result.error) : "");
  return result.data;
}

function aReport(overrides: Partial<ImageScanReport> = {}): ImageScanReport {
  return {
    reference: "oci:app.tar:1",
    source: "oci",
    digest: `sha256:${"ab".repeat(32)}`,
    tags: ["app:1"],
    config: { entrypoint: [], cmd: [], exposedPorts: [] },
    layers: [],
    packages: [],
    ai: [],
    models: [],
    findings: [],
    warnings: [],
    totals: { files: 0, bytes: 0 },
    ...overrides,
  };
}

function anNpmPackage(name: string, overrides: Partial<FoundPackage> = {}): FoundPackage {
  return {
    name,
    version: "1.0.0",
    ecosystem: "npm",
    purl: `pkg:npm/${encodeURIComponent(name).replace(/^%40/, "@")}@1.0.0`,
    kind: "library",
    path: `app/node_modules/${name}/package.json`,
    layer: 1,
    ...overrides,
  };
}

/** Every SPDXID in the document, the document's own first. */
const idsOf = (doc: SpdxDocument) => [doc.SPDXID, ...doc.packages.map((p) => p.SPDXID)];
const packageNamed = (doc: SpdxDocument, name: string) => doc.packages.find((p) => p.name === name);
const declaredLicense = (licenses: string[]) =>
  parseDocument(toSpdx(aReport({ packages: [anNpmPackage("x", { licenses })] }), FIXED)).packages[1];

describe("SPDX 2.3 for an image scan", () => {
  let report: ImageScanReport;
  let doc: SpdxDocument;
  before(async () => {
    report = await scanImage(`oci:${LAYOUT}:v1`, defaultScanOptions());
    doc = parseDocument(toSpdx(report, FIXED));
  });

  it("fills the document's required fields and matches the zod schema of SPDX 2.3", () => {
    assert.equal(doc.spdxVersion, "SPDX-2.3");
    assert.equal(doc.dataLicense, "CC0-1.0");
    assert.equal(doc.SPDXID, "SPDXRef-DOCUMENT");
    assert.equal(doc.name, report.reference);
    assert.equal(doc.documentNamespace, FIXED.namespace);
    assert.deepEqual(doc.creationInfo.creators, ["Tool: palisade-0.1.0"]);
    assert.equal(doc.creationInfo.created, FIXED.created);
    for (const p of doc.packages) {
      assert.equal(p.downloadLocation, "NOASSERTION");
      assert.equal(p.filesAnalyzed, false);
      assert.equal(p.licenseConcluded, "NOASSERTION");
      assert.equal(p.supplier, "NOASSERTION");
    }
  });

  it("describes the image as a CONTAINER with its digest as SHA256 checksum and its purl", () => {
    const image = doc.packages.find((p) => p.primaryPackagePurpose === "CONTAINER");
    assert.ok(image);
    assert.deepEqual(doc.documentDescribes, [image.SPDXID]);
    assert.ok(
      doc.relationships.some(
        (r) =>
          r.spdxElementId === "SPDXRef-DOCUMENT" &&
          r.relationshipType === "DESCRIBES" &&
          r.relatedSpdxElement === image.SPDXID,
      ),
    );
    assert.deepEqual(image.checksums, [{ algorithm: "SHA256", checksumValue: report.digest?.slice("sha256:".length) }]);
    assert.deepEqual(
      image.externalRefs?.map((r) => r.referenceLocator),
      [imagePurl(report)],
    );
    assert.match(image.comment ?? "", /serves the model Qwen\/Qwen2\.5-7B-Instruct/);
  });

  it("gives every element a unique SPDXID of letters, digits, dots and dashes", () => {
    const ids = idsOf(doc);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, SPDX_ID);
  });

  it("lets the image CONTAIN every other package, and points every reference at an element", () => {
    const ids = new Set(idsOf(doc));
    for (const r of doc.relationships) {
      assert.ok(ids.has(r.spdxElementId), r.spdxElementId);
      assert.ok(ids.has(r.relatedSpdxElement), r.relatedSpdxElement);
    }
    for (const id of doc.documentDescribes ?? []) assert.ok(ids.has(id), id);
    const [image, ...contained] = doc.packages;
    const targets = doc.relationships
      .filter((r) => r.relationshipType === "CONTAINS" && r.spdxElementId === image?.SPDXID)
      .map((r) => r.relatedSpdxElement);
    assert.deepEqual(
      targets,
      contained.map((p) => p.SPDXID),
    );
  });

  it("lists every package's purl as a PACKAGE-MANAGER purl reference", () => {
    assert.ok(report.packages.length > 0);
    const refs = doc.packages.flatMap((p) => p.externalRefs ?? []);
    for (const ref of refs) assert.deepEqual([ref.referenceCategory, ref.referenceType], ["PACKAGE-MANAGER", "purl"]);
    const locators = new Set(refs.map((r) => r.referenceLocator));
    for (const p of report.packages) assert.ok(locators.has(p.purl), p.purl);
    const torch = packageNamed(doc, "torch");
    assert.equal(torch?.versionInfo, "2.3.1");
    assert.equal(torch?.primaryPackagePurpose, "LIBRARY");
    assert.match(torch?.comment ?? "", /AI component: ai-sdk \(ml-framework\)/);
  });

  it("adds the CUDA runtime, found as a file, as a LIBRARY package with a comment and no purl", () => {
    const gpu = report.ai.find((a) => a.kind === "gpu-library");
    assert.ok(gpu);
    const cuda = packageNamed(doc, gpu.name);
    assert.equal(cuda?.primaryPackagePurpose, "LIBRARY");
    assert.equal(cuda?.versionInfo, gpu.version);
    assert.equal(cuda?.externalRefs, undefined);
    assert.match(cuda?.comment ?? "", /gpu-library/);
    assert.match(cuda?.sourceInfo ?? "", /libcudart\.so/);
  });

  it("adds each model file as a FILE package with its SHA256", () => {
    assert.ok(report.models.length > 0);
    for (const model of report.models) {
      const pkg = doc.packages.find((p) => p.sourceInfo?.includes(model.path));
      assert.equal(pkg?.primaryPackagePurpose, "FILE");
      assert.deepEqual(pkg?.checksums, [{ algorithm: "SHA256", checksumValue: model.result.sha256 }]);
      assert.match(pkg?.comment ?? "", new RegExp(`verdict ${model.result.verdict}`));
    }
  });

  it("writes the same document for the same scan and options, down to the derived namespace", async () => {
    const again = await scanImage(`oci:${LAYOUT}:v1`, defaultScanOptions());
    assert.deepEqual(toSpdx(again, FIXED), toSpdx(report, FIXED));
    const derived = { toolVersion: FIXED.toolVersion, created: FIXED.created };
    assert.deepEqual(toSpdx(again, derived), toSpdx(report, derived));
    assert.deepEqual(JSON.parse(JSON.stringify(toSpdx(report, FIXED))), toSpdx(report, FIXED));
  });

  it("drops milliseconds from the creation time", () => {
    const created = parseDocument(toSpdx(report, { toolVersion: "0.1.0" })).creationInfo.created;
    assert.match(created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const given = toSpdx(report, { ...FIXED, created: "2025-01-02T03:04:05.678Z" });
    assert.equal(parseDocument(given).creationInfo.created, "2025-01-02T03:04:05Z");
  });
});

describe("SPDX document namespace", () => {
  const options = { toolVersion: "0.1.0", created: FIXED.created };
  const namespaceOf = (report: ImageScanReport, opts: SpdxOptions = options) =>
    parseDocument(toSpdx(report, opts)).documentNamespace;

  it("is a version 5 UUID URI of the digest and content, without '#'", () => {
    const namespace = namespaceOf(aReport());
    assert.match(
      namespace,
      /^https:\/\/spdx\.org\/spdxdocs\/palisade\/app-1-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab]/,
    );
    assert.equal(namespaceOf(aReport()), namespace);
    assert.equal(namespaceOf(aReport(), { ...options, created: "2030-01-01T00:00:00Z" }), namespace);
  });

  it("changes with the digest, the content and the tool version", () => {
    const namespace = namespaceOf(aReport());
    assert.notEqual(namespaceOf(aReport({ digest: `sha256:${"cd".repeat(32)}` })), namespace);
    assert.notEqual(namespaceOf(aReport({ packages: [anNpmPackage("left-pad")] })), namespace);
    assert.notEqual(namespaceOf(aReport(), { ...options, toolVersion: "0.2.0" }), namespace);
  });

  it("is random for an image without a digest, and the option wins over both", () => {
    const undigested = aReport({ digest: undefined });
    assert.notEqual(namespaceOf(undigested), namespaceOf(undigested));
    assert.equal(namespaceOf(undigested, { ...options, namespace: "urn:x:1" }), "urn:x:1");
    const image = parseDocument(toSpdx(undigested, options)).packages[0];
    assert.equal(image?.checksums, undefined);
    assert.equal(image?.externalRefs, undefined);
  });
});

describe("SPDX ids of packages with odd names", () => {
  const odd = ["@scope/x", "a+b", "a-b", "a b", "ünïcödé", "日本語", "😀", "..", "-", "", "x".repeat(300), "a/../b"];

  it("gives valid, unique ids to odd names, and one package per purl", () => {
    const packages = [...odd.map((name) => anNpmPackage(name)), anNpmPackage("a+b", { path: "other/package.json" })];
    const doc = parseDocument(toSpdx(aReport({ packages }), FIXED));
    const ids = idsOf(doc);
    assert.equal(doc.packages.length, 1 + odd.length);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, SPDX_ID);
    for (const id of ids) assert.ok(id.length <= 100, id);
    assert.match(packageNamed(doc, "a+b")?.sourceInfo ?? "", /app\/node_modules.*, \/other\/package\.json/);
  });

  it("keeps every id valid and unique for any names (property)", () => {
    const name = fc.oneof(fc.constantFrom(...odd), fc.string({ unit: "grapheme", maxLength: 400 }));
    fc.assert(
      fc.property(fc.array(name, { maxLength: 20 }), (names) => {
        const packages = names.map((n, i) => anNpmPackage(n, { purl: `pkg:npm/p${i}@1.0.0` }));
        const doc = parseDocument(toSpdx(aReport({ packages }), FIXED));
        const ids = idsOf(doc);
        assert.equal(new Set(ids).size, ids.length);
        for (const id of ids) assert.match(id, SPDX_ID);
      }),
    );
  });

  it("keeps an id when other packages come and go", () => {
    const alone = parseDocument(toSpdx(aReport({ packages: [anNpmPackage("@scope/x")] }), FIXED));
    const crowded = parseDocument(
      toSpdx(aReport({ packages: [anNpmPackage("b"), anNpmPackage("@scope/x"), anNpmPackage("a")] }), FIXED),
    );
    assert.equal(packageNamed(crowded, "@scope/x")?.SPDXID, packageNamed(alone, "@scope/x")?.SPDXID);
  });
});

describe("declared licences", () => {
  it("copies a valid SPDX expression, written with the list's spelling", () => {
    assert.equal(declaredLicense(["mit"])?.licenseDeclared, "MIT");
    assert.equal(declaredLicense(["GPL-2.0-only AND bzip2-1.0.6"])?.licenseDeclared, "GPL-2.0-only AND bzip2-1.0.6");
    assert.equal(
      declaredLicense(["(MIT OR apache-2.0) AND BSD-3-Clause"])?.licenseDeclared,
      "(MIT OR Apache-2.0) AND BSD-3-Clause",
    );
    assert.equal(
      declaredLicense(["Apache-2.0 WITH LLVM-exception"])?.licenseDeclared,
      "Apache-2.0 WITH LLVM-exception",
    );
    assert.equal(declaredLicense(["GPL-2.0+"])?.licenseDeclared, "GPL-2.0+");
    assert.equal(declaredLicense(["LGPL-2.1-or-later+"])?.licenseDeclared, "LGPL-2.1-or-later+");
    assert.equal(declaredLicense(["MIT", "mit"])?.licenseDeclared, "MIT");
  });

  it("writes NOASSERTION for anything else, and keeps what was declared in licenseComments", () => {
    for (const license of [
      "ASL 2.0",
      "GPLv3+",
      "MIT License",
      "Public Domain",
      "MIT and BSD-3-Clause",
      "(MIT OR Apache-2.0",
      "MIT OR",
      "MIT WITH Apache-2.0",
      "(MIT OR Apache-2.0) WITH LLVM-exception",
      "LicenseRef-proprietary",
      "NOASSERTION",
      "",
    ]) {
      const pkg = declaredLicense([license]);
      assert.equal(pkg?.licenseDeclared, "NOASSERTION", license);
      assert.match(pkg?.licenseComments ?? "", /not an SPDX license expression/, license);
    }
    const several = declaredLicense(["MIT", "Apache-2.0"]);
    assert.equal(several?.licenseDeclared, "NOASSERTION");
    assert.match(several?.licenseComments ?? "", /"MIT", "Apache-2.0": several declarations/);
    assert.match(declaredLicense(["MIT", "ASL 2.0"])?.licenseComments ?? "", /not all of them are SPDX/);
    assert.equal(declaredLicense([])?.licenseComments, undefined);
  });

  it("uses a model file's licence only when it is an SPDX expression", () => {
    const model = (license: string) =>
      aReport({
        models: [
          {
            path: "/models/m.gguf",
            layer: 1,
            result: {
              path: "/models/m.gguf",
              format: "gguf",
              verdict: "safe",
              findings: [],
              size: 1,
              identity: { format: "gguf", name: "tiny", license },
            },
          },
        ],
      });
    const first = (license: string) => parseDocument(toSpdx(model(license), FIXED)).packages[1];
    assert.equal(first("apache-2.0")?.licenseDeclared, "Apache-2.0");
    assert.equal(first("llama3")?.licenseDeclared, "NOASSERTION");
    assert.equal(first("llama3")?.checksums, undefined);
  });

  it("never throws and only returns expressions it can read back (property)", () => {
    const token = fc.constantFrom("MIT", "mit", "AND", "OR", "WITH", "(", ")", "+", "LLVM-exception", "GPL-2.0", "x");
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(token, { maxLength: 12 }).map((t) => t.join(" ")),
    );
    fc.assert(
      fc.property(text, (t) => {
        const expression = toSpdxExpression(t);
        if (expression !== undefined) assert.equal(toSpdxExpression(expression), expression);
      }),
    );
    assert.equal(
      toSpdxExpression(`${"(".repeat(400)}MIT${")".repeat(400)}`),
      `${"(".repeat(400)}MIT${")".repeat(400)}`,
    );
    assert.equal(toSpdxExpression(`${"MIT OR ".repeat(200)}MIT`), undefined);
  });

  it("holds the SPDX License List that @cyclonedx/cyclonedx-library ships, in the same version", () => {
    const require = createRequire(import.meta.url);
    const schemaPath = require
      .resolve("@cyclonedx/cyclonedx-library/package.json")
      .replace(/package\.json$/, "res/schema/spdx.SNAPSHOT.schema.json");
    // The file lists licence ids, then exception ids; its $comment ends with the list version.
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as { $comment: string; enum: string[] };
    assert.deepEqual([...SPDX_LICENSE_LIST.licenses, ...SPDX_LICENSE_LIST.exceptions], schema.enum);
    assert.ok(schema.$comment.endsWith(`-${SPDX_LICENSE_LIST.version}.0`), schema.$comment);
    assert.ok(SPDX_LICENSE_LIST.licenses.includes("Apache-2.0"));
    assert.ok(SPDX_LICENSE_LIST.exceptions.includes("Classpath-exception-2.0"));
  });
});

describe("vulnerabilities", () => {
  it("are left out, and the document comment says how many were matched", async () => {
    const { index } = await loadOsvDirectory(ADVISORIES);
    const report = await scanImage(`oci:${LAYOUT}:v1`, { ...defaultScanOptions(), advisories: index });
    const matched = report.vulnerabilities?.length ?? 0;
    assert.ok(matched > 0);
    const doc = parseDocument(toSpdx(report, FIXED));
    assert.match(doc.comment ?? "", new RegExp(`SPDX 2\\.3 has no vulnerability element.* matched ${matched}\\.$`));
    const text = JSON.stringify(doc.packages);
    for (const v of report.vulnerabilities ?? []) assert.ok(!text.includes(v.id), v.id);
  });
});
