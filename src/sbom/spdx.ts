/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/) for an image scan: the document
 * DESCRIBES the image, a CONTAINER package (§7.24), which CONTAINS every package found in it,
 * every AI component that is not a package (GPU libraries, inference-server executables) and
 * every model file. Licences are copied only when they already are SPDX licence expressions
 * (Annex D); anything else is NOASSERTION, never a guess.
 *
 * Vulnerabilities are not written: SPDX 2.3 has no vulnerability element (its SECURITY
 * `advisory` references, Annex F.2.3, are bare links without severity or fix; vulnerabilities
 * came with SPDX 3.0's security profile). The document says so in its comment; the CycloneDX
 * and JSON outputs carry them.
 */
import { createHash, randomUUID } from "node:crypto";
import { posix } from "node:path";
import {
  type AiComponent,
  type FoundModel,
  type FoundPackage,
  type ImageScanReport,
  imagePurl,
} from "../scan/image/index.js";

export interface SpdxOptions {
  toolVersion: string;
  /** `creationInfo.created`, ISO 8601 UTC (default now); milliseconds are dropped, as §6.9 has none. */
  created?: string;
  /** `documentNamespace`; by default derived from the image digest and the content (§6.5), else random. */
  namespace?: string;
}

type Purpose = "APPLICATION" | "LIBRARY" | "CONTAINER" | "FILE";

interface Checksum {
  algorithm: "SHA256" | "SHA512";
  checksumValue: string;
}

interface ExternalRef {
  referenceCategory: "PACKAGE-MANAGER";
  referenceType: "purl";
  referenceLocator: string;
}

type SpdxPackage = {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  packageFileName?: string;
  supplier: "NOASSERTION";
  downloadLocation: "NOASSERTION";
  filesAnalyzed: false;
  checksums?: Checksum[];
  sourceInfo?: string;
  licenseConcluded: "NOASSERTION";
  licenseDeclared: string;
  licenseComments?: string;
  copyrightText: "NOASSERTION";
  externalRefs?: ExternalRef[];
  primaryPackagePurpose?: Purpose;
  comment?: string;
};

interface Relationship {
  spdxElementId: string;
  relationshipType: "DESCRIBES" | "CONTAINS";
  relatedSpdxElement: string;
}

const NOASSERTION = "NOASSERTION";
const DOCUMENT_ID = "SPDXRef-DOCUMENT";
const IMAGE_ID = "SPDXRef-Image";
/** Where documents without a website of their own put their namespace (§6.5.2). */
const NAMESPACE_BASE = "https://spdx.org/spdxdocs/palisade";
/** RFC 4122's URL namespace, for the version 5 UUID §6.5.2 suggests. */
const UUID_NAMESPACE = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");

/** An image scan as an SPDX 2.3 JSON document. Pure: the same report and options give the same document. */
export function toSpdx(report: ImageScanReport, options: SpdxOptions): Record<string, unknown> {
  const nextId = createIdAllocator();
  const image = toImagePackage(report);
  const contained = [
    ...toPackages(report, nextId),
    ...toAiPackages(report.ai, nextId),
    ...report.models.map((m) => toModelPackage(m, nextId)),
  ];
  const relationships: Relationship[] = [
    { spdxElementId: DOCUMENT_ID, relationshipType: "DESCRIBES", relatedSpdxElement: IMAGE_ID },
    ...contained.map((p) => ({
      spdxElementId: IMAGE_ID,
      relationshipType: "CONTAINS" as const,
      relatedSpdxElement: p.SPDXID,
    })),
  ];
  const vulnerabilities = report.vulnerabilities?.length;
  const content = {
    name: report.reference,
    comment:
      "Vulnerabilities are left out: SPDX 2.3 has no vulnerability element (the CycloneDX and JSON outputs carry them)." +
      (vulnerabilities === undefined ? "" : ` This scan matched ${vulnerabilities}.`),
    creators: [`Tool: palisade-${options.toolVersion}`],
    documentDescribes: [IMAGE_ID],
    packages: [image, ...contained],
    relationships,
  };
  return {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: DOCUMENT_ID,
    name: content.name,
    documentNamespace: options.namespace ?? toNamespace(report, content),
    comment: content.comment,
    creationInfo: {
      created: withoutMilliseconds(options.created ?? new Date().toISOString()),
      creators: content.creators,
      licenseListVersion: SPDX_LICENSE_LIST.version,
    },
    documentDescribes: content.documentDescribes,
    packages: content.packages,
    relationships: content.relationships,
  };
}

/**
 * §6.5 wants one URI per document version. With a digest, a version 5 UUID of the digest and the
 * document's content (creation time aside) names it: the same scan gives the same URI, a
 * different scan of the same image (another tool version, models skipped) a new one.
 * Without a digest nothing stable identifies the image, so the UUID is random.
 */
function toNamespace(report: ImageScanReport, content: object): string {
  const name = toIdString(report.tags[0] ?? report.reference) || "image";
  if (!report.digest) return `${NAMESPACE_BASE}/${name}-${randomUUID()}`;
  const hash = createHash("sha1")
    .update(UUID_NAMESPACE)
    .update(`${report.digest}\n${JSON.stringify(content)}`)
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return `${NAMESPACE_BASE}/${name}-${uuid}`;
}

function withoutMilliseconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, "Z");
}

/**
 * SPDXIDs are `SPDXRef-` and letters, digits, `.` and `-` only (§3.2, §7.2). Each is a readable
 * slug of the label plus a hash of a stable key (the purl, the path), so ids survive rescans and
 * two keys whose slugs clash still get two ids; a counter settles the (theoretical) hash clash.
 */
function createIdAllocator(): (kind: "Package" | "AI" | "Model", label: string, key: string) => string {
  const used = new Set([DOCUMENT_ID, IMAGE_ID]);
  return (kind, label, key) => {
    const hash = createHash("sha256").update(key).digest("hex").slice(0, 12);
    const base = `SPDXRef-${kind}-${[toIdString(label), hash].filter(Boolean).join("-")}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
}

/** Letters, digits, `.` and `-`, at most 64 of them: accents dropped, anything else a dash. */
function toIdString(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/^[-.]+/, "")
    .slice(0, 64)
    .replace(/[-.]+$/, "");
}

function toImagePackage(report: ImageScanReport): SpdxPackage {
  const purl = imagePurl(report);
  const checksum = report.digest ? toChecksum(report.digest) : undefined;
  const os = report.os ? (report.os.prettyName ?? `${report.os.id} ${report.os.versionId ?? ""}`.trim()) : undefined;
  const facts = [
    `Container image ${report.reference}`,
    report.platform ? `platform ${report.platform}` : undefined,
    os ? `operating system ${os}` : undefined,
    report.servedModel ? `serves the model ${report.servedModel.model} (${report.servedModel.from})` : undefined,
  ];
  return {
    SPDXID: IMAGE_ID,
    name: report.tags[0] ?? report.reference,
    ...(report.digest ? { versionInfo: report.digest } : {}),
    supplier: NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    // The manifest digest: it names the image's exact content, layers and config included.
    ...(checksum ? { checksums: [checksum] } : {}),
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    ...(purl ? { externalRefs: [toPurlRef(purl)] } : {}),
    primaryPackagePurpose: "CONTAINER",
    comment: `${facts.filter(Boolean).join("; ")}.`,
  };
}

/** An OCI digest (`sha256:<hex>`) as an SPDX checksum; other algorithms have no SPDX name we use. */
function toChecksum(digest: string): Checksum | undefined {
  const match = /^(sha256|sha512):([0-9a-f]+)$/.exec(digest);
  if (!match?.[2]) return undefined;
  const algorithm = match[1] === "sha256" ? "SHA256" : "SHA512";
  if (match[2].length !== (algorithm === "SHA256" ? 64 : 128)) return undefined;
  return { algorithm, checksumValue: match[2] };
}

function toPurlRef(purl: string): ExternalRef {
  return { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: purl };
}

/** A purl as Appendix F's locator wants it: one token, no spaces. */
const isPurl = (purl: string) => /^pkg:[a-z][a-z0-9.+-]*\/\S+$/i.test(purl);

/** Packages by purl (one package installed twice is one SPDX package seen in two places). */
function toPackages(report: ImageScanReport, nextId: ReturnType<typeof createIdAllocator>): SpdxPackage[] {
  const aiByPurl = new Map<string, string[]>();
  for (const a of report.ai)
    if (a.evidence.startsWith("pkg:"))
      aiByPurl.set(a.evidence, [
        ...(aiByPurl.get(a.evidence) ?? []),
        a.kind === "ai-sdk" ? `ai-sdk (${a.category ?? "uncategorised"})` : `${a.kind} ${a.name}`,
      ]);
  const byKey = new Map<string, { pkg: FoundPackage; seen: string[] }>();
  for (const pkg of report.packages) {
    const key = pkg.purl || `${pkg.ecosystem}:${pkg.name}@${pkg.version}`;
    const where = `/${pkg.path} (layer ${pkg.layer})`;
    const entry = byKey.get(key);
    if (!entry) byKey.set(key, { pkg, seen: [where] });
    else if (!entry.seen.includes(where)) entry.seen.push(where);
  }
  return [...byKey].map(([key, { pkg, seen }]) => {
    const ai = aiByPurl.get(pkg.purl);
    return {
      SPDXID: nextId("Package", pkg.version ? `${pkg.name}-${pkg.version}` : pkg.name, key),
      // §7.1 requires a name; an analyzer that found none still found the package.
      name: pkg.name || pkg.purl || "unnamed",
      ...(pkg.version ? { versionInfo: pkg.version } : {}),
      supplier: NOASSERTION,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      sourceInfo: `${pkg.kind === "os-package" ? "OS package database" : "package metadata"} ${listOf(seen)}`,
      licenseConcluded: NOASSERTION,
      ...toDeclaredLicense(pkg.licenses),
      copyrightText: NOASSERTION,
      ...(isPurl(pkg.purl) ? { externalRefs: [toPurlRef(pkg.purl)] } : {}),
      // dpkg, apk and rpm do not say whether a package is a program or a library.
      ...(pkg.kind === "library" ? { primaryPackagePurpose: "LIBRARY" as const } : {}),
      ...(ai ? { comment: `AI component: ${[...new Set(ai)].join("; ")}.` } : {}),
    };
  });
}

const AI_PURPOSE: Record<AiComponent["kind"], Purpose> = {
  "ai-sdk": "LIBRARY",
  "gpu-library": "LIBRARY",
  "inference-server": "APPLICATION",
  "mcp-server": "APPLICATION",
};

/** AI components found as files (a CUDA runtime, a server binary): no package manager, no purl. */
function toAiPackages(ai: readonly AiComponent[], nextId: ReturnType<typeof createIdAllocator>): SpdxPackage[] {
  const seen = new Set<string>();
  const out: SpdxPackage[] = [];
  for (const a of ai) {
    const key = `${a.kind}:${a.evidence}`;
    if (a.evidence.startsWith("pkg:") || seen.has(key)) continue;
    seen.add(key);
    out.push({
      SPDXID: nextId("AI", `${a.kind}-${a.name}`, key),
      name: a.name,
      ...(a.version ? { versionInfo: a.version } : {}),
      supplier: NOASSERTION,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      sourceInfo: `file /${a.evidence} (layer ${a.layer})`,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      primaryPackagePurpose: AI_PURPOSE[a.kind],
      comment: `AI component: ${a.kind}, recognised by its file; not installed by a package manager, so no purl.`,
    });
  }
  return out;
}

/** A model file is a FILE package (§7.24: "a single file which can be independently distributed"). */
function toModelPackage(model: FoundModel, nextId: ReturnType<typeof createIdAllocator>): SpdxPackage {
  const { identity, sha256, format, verdict } = model.result;
  const fileName = posix.basename(model.path);
  const facts = [
    `format ${format}`,
    identity.architecture ? `architecture ${identity.architecture}` : undefined,
    identity.parameters !== undefined ? `${identity.parameters} parameters` : undefined,
    identity.quantisation ? `quantisation ${identity.quantisation}` : undefined,
    identity.contextLength !== undefined ? `context length ${identity.contextLength}` : undefined,
    `model scan verdict ${verdict}`,
  ];
  return {
    SPDXID: nextId("Model", identity.name ?? fileName, `model:${model.path}`),
    name: identity.name ?? fileName,
    packageFileName: fileName,
    supplier: NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    ...(sha256 && /^[0-9a-f]{64}$/.test(sha256) ? { checksums: [{ algorithm: "SHA256", checksumValue: sha256 }] } : {}),
    sourceInfo: `file ${model.path} (layer ${model.layer})`,
    licenseConcluded: NOASSERTION,
    ...toDeclaredLicense(identity.license ? [identity.license] : undefined),
    copyrightText: NOASSERTION,
    primaryPackagePurpose: "FILE",
    comment: `Model file: ${facts.filter(Boolean).join("; ")}.`,
  };
}

function listOf(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * `licenseDeclared`: the package's licence when it is one valid SPDX expression. Several
 * declarations are NOASSERTION unless they agree: whether they mean AND or OR is not ours to
 * say. What was declared is kept, verbatim and bounded, in `licenseComments`.
 */
function toDeclaredLicense(licenses: readonly string[] | undefined): {
  licenseDeclared: string;
  licenseComments?: string;
} {
  if (!licenses || licenses.length === 0) return { licenseDeclared: NOASSERTION };
  const expressions = new Set(licenses.map(toSpdxExpression));
  const [only] = expressions;
  if (expressions.size === 1 && only) return { licenseDeclared: only };
  const quoted = listOf(licenses.map((l) => JSON.stringify(l.length > 200 ? `${l.slice(0, 200)}…` : l)));
  const why = !expressions.has(undefined)
    ? "several declarations, and the metadata does not say how they combine"
    : licenses.length === 1
      ? "not an SPDX license expression"
      : "not all of them are SPDX license expressions";
  return { licenseDeclared: NOASSERTION, licenseComments: `Declared as ${quoted}: ${why}.` };
}

const MAX_EXPRESSION = 1000;

/**
 * An SPDX license expression (Annex D) in canonical form, or undefined when the text is not one.
 * Identifiers must be on the SPDX License List (matched case-insensitively, written as listed);
 * operators are case-sensitive; `WITH` takes an exception from the exceptions list and applies
 * to a single licence. `LicenseRef-` is refused too: it would need the licence text in the document.
 */
export function toSpdxExpression(text: string): string | undefined {
  if (text.length > MAX_EXPRESSION) return undefined;
  const tokens = text.match(/[()]|[^\s()]+/g) ?? [];
  const out: string[] = [];
  let at = 0;
  const take = () => tokens[at++];
  const operand = (): boolean => {
    const token = take();
    if (token === "(") {
      out.push("(");
      if (!expression() || take() !== ")") return false;
      out.push(")");
      return true;
    }
    const license = token === undefined ? undefined : toListed(LICENSES, token);
    if (!license) return false;
    out.push(license);
    if (tokens[at] !== "WITH") return true;
    at++;
    const exception = EXCEPTIONS.get(take()?.toLowerCase() ?? "");
    if (!exception) return false;
    out.push("WITH", exception);
    return true;
  };
  const chain = (operator: "AND" | "OR", next: () => boolean) => (): boolean => {
    if (!next()) return false;
    while (tokens[at] === operator) {
      out.push(take() as string);
      if (!next()) return false;
    }
    return true;
  };
  const conjunction = chain("AND", operand);
  const expression = chain("OR", conjunction);
  if (!expression() || at !== tokens.length) return undefined;
  return out.join(" ").replace(/\( /g, "(").replace(/ \)/g, ")");
}

/** A licence id as listed; `id+` ("or later") when the id without the `+` is listed. */
function toListed(list: ReadonlyMap<string, string>, token: string): string | undefined {
  const exact = list.get(token.toLowerCase());
  if (exact) return exact;
  if (!token.endsWith("+")) return undefined;
  const base = list.get(token.slice(0, -1).toLowerCase());
  return base ? `${base}+` : undefined;
}

/**
 * The SPDX License List (https://spdx.org/licenses/, deprecated ids included, as documents
 * written with them stay valid): licence ids, then exception ids. Data copied from the list
 * that @cyclonedx/cyclonedx-library ships; spdx.test.ts checks it against that file.
 */
export const SPDX_LICENSE_LIST = {
  version: "3.29",
  licenses: `
0BSD 3D-Slicer-1.0 AAL Abstyles AdaCore-doc Adobe-2006 Adobe-Display-PostScript Adobe-Glyph Adobe-Utopia ADSL
Advanced-Cryptics-Dictionary AFL-1.1 AFL-1.2 AFL-2.0 AFL-2.1 AFL-3.0 Afmparse AGPL-1.0 AGPL-1.0-only
AGPL-1.0-or-later AGPL-3.0 AGPL-3.0-only AGPL-3.0-or-later Aladdin ALGLIB-Documentation AMD-newlib AMDPLPA AML
AML-glslang AMPAS ANTLR-PD ANTLR-PD-fallback any-OSI any-OSI-perl-modules Apache-1.0 Apache-1.1 Apache-2.0
APAFML APL-1.0 App-s2p APSL-1.0 APSL-1.1 APSL-1.2 APSL-2.0 Arphic-1999 Artistic-1.0 Artistic-1.0-cl8
Artistic-1.0-Perl Artistic-2.0 Artistic-dist Aspell-RU ASWF-Digital-Assets-1.0 ASWF-Digital-Assets-1.1
atc-game Baekmuk Bahyph Barr bcrypt-Solar-Designer Beerware Bitstream-Charter Bitstream-Vera BitTorrent-1.0
BitTorrent-1.1 blessing BlueOak-1.0.0 Boehm-GC Boehm-GC-without-fee BOLA-1.1 Borceux Brian-Gladman-2-Clause
Brian-Gladman-3-Clause Brian-Gladman-3-Clause-no-conversion BSD-1-Clause BSD-2-Clause BSD-2-Clause-Darwin
BSD-2-Clause-first-lines BSD-2-Clause-FreeBSD BSD-2-Clause-NetBSD BSD-2-Clause-Patent
BSD-2-Clause-pkgconf-disclaimer BSD-2-Clause-pos-unchanged BSD-2-Clause-Views BSD-3-Clause BSD-3-Clause-acpica
BSD-3-Clause-Attribution BSD-3-Clause-Clear BSD-3-Clause-flex BSD-3-Clause-HP BSD-3-Clause-LBNL
BSD-3-Clause-Modification BSD-3-Clause-No-Military-License BSD-3-Clause-No-Nuclear-License
BSD-3-Clause-No-Nuclear-License-2014 BSD-3-Clause-No-Nuclear-Warranty BSD-3-Clause-Open-MPI
BSD-3-Clause-OpenWebUI BSD-3-Clause-Sun BSD-3-Clause-Tso BSD-4-Clause BSD-4-Clause-Shortened BSD-4-Clause-UC
BSD-4.3RENO BSD-4.3TAHOE BSD-Advertising-Acknowledgement BSD-ask-to-endorse BSD-Attribution-HPND-disclaimer
BSD-Inferno-Nettverk BSD-Mark-Modifications BSD-Protection BSD-Source-alt-GPL BSD-Source-beginning-file
BSD-Source-Code BSD-Source-Code-no-disclaimer BSD-Systemics BSD-Systemics-W3Works BSL-1.0 Buddy Bugroff
BUSL-1.1 bzip2-1.0.5 bzip2-1.0.6 C-UDA-1.0 CAL-1.0 CAL-1.0-Combined-Work-Exception Caldera Caldera-no-preamble
CAPEC-tou Catharon CATOSL-1.1 CC-BY-1.0 CC-BY-2.0 CC-BY-2.5 CC-BY-2.5-AU CC-BY-3.0 CC-BY-3.0-AT CC-BY-3.0-AU
CC-BY-3.0-DE CC-BY-3.0-IGO CC-BY-3.0-NL CC-BY-3.0-US CC-BY-4.0 CC-BY-NC-1.0 CC-BY-NC-2.0 CC-BY-NC-2.5
CC-BY-NC-3.0 CC-BY-NC-3.0-DE CC-BY-NC-3.0-IGO CC-BY-NC-4.0 CC-BY-NC-ND-1.0 CC-BY-NC-ND-2.0 CC-BY-NC-ND-2.5
CC-BY-NC-ND-3.0 CC-BY-NC-ND-3.0-DE CC-BY-NC-ND-3.0-IGO CC-BY-NC-ND-4.0 CC-BY-NC-SA-1.0 CC-BY-NC-SA-2.0
CC-BY-NC-SA-2.0-DE CC-BY-NC-SA-2.0-FR CC-BY-NC-SA-2.0-UK CC-BY-NC-SA-2.5 CC-BY-NC-SA-3.0 CC-BY-NC-SA-3.0-DE
CC-BY-NC-SA-3.0-IGO CC-BY-NC-SA-4.0 CC-BY-ND-1.0 CC-BY-ND-2.0 CC-BY-ND-2.5 CC-BY-ND-3.0 CC-BY-ND-3.0-DE
CC-BY-ND-4.0 CC-BY-SA-1.0 CC-BY-SA-2.0 CC-BY-SA-2.0-UK CC-BY-SA-2.1-JP CC-BY-SA-2.5 CC-BY-SA-3.0
CC-BY-SA-3.0-AT CC-BY-SA-3.0-DE CC-BY-SA-3.0-IGO CC-BY-SA-4.0 CC-PDDC CC-PDM-1.0 CC-SA-1.0 CC0-1.0 CDDL-1.0
CDDL-1.1 CDL-1.0 CDLA-Permissive-1.0 CDLA-Permissive-2.0 CDLA-Sharing-1.0 CECILL-1.0 CECILL-1.1 CECILL-2.0
CECILL-2.1 CECILL-B CECILL-C CERN-OHL-1.1 CERN-OHL-1.2 CERN-OHL-P-2.0 CERN-OHL-S-2.0 CERN-OHL-W-2.0 CFITSIO
check-cvs checkmk ClArtistic Clips CMU-Mach CMU-Mach-nodoc CNRI-Jython CNRI-Python CNRI-Python-GPL-Compatible
COIL-1.0 Community-Spec-1.0 Condor-1.1 copyleft-next-0.3.0 copyleft-next-0.3.1 Cornell-Lossless-JPEG CPAL-1.0
CPL-1.0 CPOL-1.02 Cronyx Crossword CryptoSwift CrystalStacker CUA-OPL-1.0 Cube curl cve-tou D-FSL-1.0
DEC-3-Clause diffmark DL-DE-BY-2.0 DL-DE-ZERO-2.0 DOC DocBook-DTD DocBook-Schema DocBook-Stylesheet
DocBook-XML Dotseqn DRL-1.0 DRL-1.1 DSDP dtoa dvipdfm ECL-1.0 ECL-2.0 eCos-2.0 EFL-1.0 EFL-2.0 eGenix
Elastic-2.0 Entessa EPICS EPL-1.0 EPL-2.0 ErlPL-1.1 ESA-PL-permissive-2.4 ESA-PL-strong-copyleft-2.4
ESA-PL-weak-copyleft-2.4 etalab-2.0 EUDatagrid EUPL-1.0 EUPL-1.1 EUPL-1.2 Eurosym Fair FBM FDK-AAC FDK-MPEG-H
Ferguson-Twofish Frameworx-1.0 FreeBSD-DOC FreeImage FSFAP FSFAP-no-warranty-disclaimer FSFUL FSFULLR
FSFULLRSD FSFULLRWD FSL-1.1-ALv2 FSL-1.1-MIT FTL Furuseth fwlw Game-Programming-Gems GCR-docs GD generic-xts
GFDL-1.1 GFDL-1.1-invariants-only GFDL-1.1-invariants-or-later GFDL-1.1-no-invariants-only
GFDL-1.1-no-invariants-or-later GFDL-1.1-only GFDL-1.1-or-later GFDL-1.2 GFDL-1.2-invariants-only
GFDL-1.2-invariants-or-later GFDL-1.2-no-invariants-only GFDL-1.2-no-invariants-or-later GFDL-1.2-only
GFDL-1.2-or-later GFDL-1.3 GFDL-1.3-invariants-only GFDL-1.3-invariants-or-later GFDL-1.3-no-invariants-only
GFDL-1.3-no-invariants-or-later GFDL-1.3-only GFDL-1.3-or-later Giftware GL2PS Glide Glulxe GLWTPL gnuplot
GPL-1.0 GPL-1.0+ GPL-1.0-only GPL-1.0-or-later GPL-2.0 GPL-2.0+ GPL-2.0-only GPL-2.0-or-later
GPL-2.0-with-autoconf-exception GPL-2.0-with-bison-exception GPL-2.0-with-classpath-exception
GPL-2.0-with-font-exception GPL-2.0-with-GCC-exception GPL-3.0 GPL-3.0+ GPL-3.0-only GPL-3.0-or-later
GPL-3.0-with-autoconf-exception GPL-3.0-with-GCC-exception Graphics-Gems gSOAP-1.3b gtkbook Gutmann
HaskellReport HDF5 hdparm HIDAPI Hippocratic-2.1 Hippocratic-3.0-core HP-1986 HP-1989 HPND HPND-DEC HPND-doc
HPND-doc-sell HPND-export-US HPND-export-US-acknowledgement HPND-export-US-modify HPND-export2-US
HPND-Fenneberg-Livingston HPND-INRIA-IMAG HPND-Intel HPND-Kevlin-Henney HPND-Markus-Kuhn
HPND-merchantability-variant HPND-MIT-disclaimer HPND-Netrek HPND-Pbmplus HPND-sell-MIT-disclaimer-xserver
HPND-sell-regexpr HPND-sell-variant HPND-sell-variant-critical-systems HPND-sell-variant-MIT-disclaimer
HPND-sell-variant-MIT-disclaimer-rev HPND-SMC HPND-UC HPND-UC-export-US HTMLTIDY hyphen-bulgarian IBM-pibs ICU
IEC-Code-Components-EULA IJG IJG-short ImageMagick iMatix Imlib2 Info-ZIP Informatica Inner-Net-2.0 InnoSetup
Intel Intel-ACPI Interbase-1.0 IPA IPL-1.0 ISC ISC-Veillard ISO-permission Jam JasPer-2.0 jove JPL-image JPNIC
JSON Kastrup Kazlib Knuth-CTAN LAL-1.2 LAL-1.3 Latex2e Latex2e-translated-notice Leptonica LGPL-2.0 LGPL-2.0+
LGPL-2.0-only LGPL-2.0-or-later LGPL-2.1 LGPL-2.1+ LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0 LGPL-3.0+
LGPL-3.0-only LGPL-3.0-or-later LGPLLR Libpng libpng-1.6.35 libpng-2.0 libselinux-1.0 libtiff
libutil-David-Nugent LiLiQ-P-1.1 LiLiQ-R-1.1 LiLiQ-Rplus-1.1 Linux-man-pages-1-para Linux-man-pages-copyleft
Linux-man-pages-copyleft-2-para Linux-man-pages-copyleft-var Linux-OpenIB LOOP LPD-document LPL-1.0 LPL-1.02
LPPL-1.0 LPPL-1.1 LPPL-1.2 LPPL-1.3a LPPL-1.3c lsof Lucida-Bitmap-Fonts LZMA-SDK-9.11-to-9.20 LZMA-SDK-9.22
Mackerras-3-Clause Mackerras-3-Clause-acknowledgment magaz mailprio MakeIndex man2html Martin-Birgmeier
McPhee-slideshow metamail Minpack MIPS MirOS MIT MIT-0 MIT-advertising MIT-Click MIT-CMU MIT-enna MIT-feh
MIT-Festival MIT-Khronos-old MIT-Modern-Variant MIT-open-group MIT-STK MIT-testregex MIT-Wu MITNFA MMIXware
MMPL-1.0.1 Motosoto MPEG-SSG mpi-permissive mpich2 MPL-1.0 MPL-1.1 MPL-2.0 MPL-2.0-no-copyleft-exception mplus
MS-LPL MS-PL MS-RL MTLL MulanPSL-1.0 MulanPSL-2.0 Multics Mup MVT-1.1 NAIST-2003 NASA-1.3 Naumen NBPL-1.0
NCBI-PD NCGL-UK-2.0 NCL NCSA Net-SNMP NetCDF Newsletr NGPL ngrep NICTA-1.0 NIST-PD NIST-PD-fallback
NIST-PD-TNT NIST-Software NLOD-1.0 NLOD-2.0 NLPL Nokia NOSL Noweb NPL-1.0 NPL-1.1 NPOSL-3.0 NRL NTIA-PD NTP
NTP-0 Nunit O-UDA-1.0 OAR OCCT-PL OCLC-2.0 ODbL-1.0 ODC-By-1.0 OFFIS OFL-1.0 OFL-1.0-no-RFN OFL-1.0-RFN
OFL-1.1 OFL-1.1-no-RFN OFL-1.1-RFN OGC-1.0 OGDL-Taiwan-1.0 OGL-Canada-2.0 OGL-UK-1.0 OGL-UK-2.0 OGL-UK-3.0
OGTSL OLDAP-1.1 OLDAP-1.2 OLDAP-1.3 OLDAP-1.4 OLDAP-2.0 OLDAP-2.0.1 OLDAP-2.1 OLDAP-2.2 OLDAP-2.2.1
OLDAP-2.2.2 OLDAP-2.3 OLDAP-2.4 OLDAP-2.5 OLDAP-2.6 OLDAP-2.7 OLDAP-2.8 OLFL-1.3 OML OpenMDW-1.0 OpenPBS-2.3
OpenSSL OpenSSL-standalone OpenVision OPL-1.0 OPL-UK-3.0 OPUBL-1.0 OSC-1.0 OSET-PL-2.1 OSL-1.0 OSL-1.1 OSL-2.0
OSL-2.1 OSL-3.0 OSSP PADL ParaType-Free-Font-1.3 Parity-6.0.0 Parity-7.0.0 PDDL-1.0 PHP-3.0 PHP-3.01 Pixar
pkgconf Plexus pnmstitch PolyForm-Noncommercial-1.0.0 PolyForm-Small-Business-1.0.0 PostgreSQL PPL PSF-2.0
psfrag psutils Python-2.0 Python-2.0.1 python-ldap Qhull QPL-1.0 QPL-1.0-INRIA-2004 radvd Rdisc RHeCos-1.1
RPL-1.1 RPL-1.5 RPSL-1.0 RSA-MD RSCPL Ruby Ruby-pty SAX-PD SAX-PD-2.0 Saxpath SCEA SchemeReport Sendmail
Sendmail-8.23 Sendmail-Open-Source-1.1 SGI-B-1.0 SGI-B-1.1 SGI-B-2.0 SGI-OpenGL SGMLUG-PM SGP4 SHL-0.5
SHL-0.51 SimPL-2.0 SISSL SISSL-1.2 SL Sleepycat SMAIL-GPL SMLNJ SMPPL SNIA snprintf SOFA softSurfer Soundex
Spencer-86 Spencer-94 Spencer-99 SPL-1.0 ssh-keyscan SSH-OpenSSH SSH-short SSLeay-standalone SSPL-1.0
StandardML-NJ SugarCRM-1.1.3 SUL-1.0 Sun-PPP Sun-PPP-2000 SunPro SWL swrule Symlinks TAPR-OHL-1.0 TCL
TCP-wrappers TekHVC TermReadKey TGPPL-1.0 ThirdEye threeparttable TMate TORQUE-1.1 TOSL TPDL TPL-1.0
TrustedQSL TTWL TTYP0 TU-Berlin-1.0 TU-Berlin-2.0 Ubuntu-font-1.0 UCAR UCL-1.0 ulem UMich-Merit Unicode-3.0
Unicode-DFS-2015 Unicode-DFS-2016 Unicode-TOU UnixCrypt Unlicense Unlicense-libtelnet Unlicense-libwhirlpool
UnRAR UPL-1.0 URT-RLE Vim Vixie-Cron VOSTROM VSL-1.0 W3C W3C-19980720 W3C-20150513 w3m Watcom-1.0
Widget-Workshop WordNet Wsuipa WTFNMFPL WTFPL wwl wxWindows X11 X11-distribute-modifications-variant
X11-no-permit-persons X11-swapped Xdebug-1.03 Xerox Xfig XFree86-1.1 xinetd xkeyboard-config-Zinoviev xlock
Xnet xpp XSkat xzoom YPL-1.0 YPL-1.1 Zed Zeeff Zend-2.0 Zimbra-1.3 Zimbra-1.4 Zlib zlib-acknowledgement
ZPL-1.1 ZPL-2.0 ZPL-2.1
`
    .trim()
    .split(/\s+/),
  exceptions: `
389-exception Asterisk-exception Asterisk-linking-protocols-exception Autoconf-exception-2.0
Autoconf-exception-3.0 Autoconf-exception-generic Autoconf-exception-generic-3.0 Autoconf-exception-macro
Bison-exception-1.24 Bison-exception-2.2 Bootloader-exception CGAL-linking-exception Classpath-exception-2.0
Classpath-exception-2.0-short CLISP-exception-2.0 cryptsetup-OpenSSL-exception Digia-Qt-LGPL-exception-1.1
DigiRule-FOSS-exception eCos-exception-2.0 erlang-otp-linking-exception Fawkes-Runtime-exception
FLTK-exception fmt-exception Font-exception-2.0 freertos-exception-2.0 GCC-exception-2.0
GCC-exception-2.0-note GCC-exception-3.1 Gmsh-exception GNAT-exception GNOME-examples-exception
GNU-compiler-exception gnu-javamail-exception Google-Patent-WebM GPL-3.0-389-ds-base-exception
GPL-3.0-interface-exception GPL-3.0-linking-exception GPL-3.0-linking-source-exception GPL-CC-1.0
GStreamer-exception-2005 GStreamer-exception-2008 harbour-exception i2p-gpl-java-exception
Independent-modules-exception KiCad-libraries-exception kvirc-openssl-exception LGPL-3.0-linking-exception
libpri-OpenH323-exception Libtool-exception Linux-syscall-note LLGPL LLVM-exception LZMA-exception
mif-exception mxml-exception Nokia-Qt-exception-1.1 OCaml-LGPL-linking-exception OCCT-exception-1.0
OpenJDK-assembly-exception-1.0 openvpn-openssl-exception PCRE2-exception polyparse-exception
PS-or-PDF-font-exception-20170817 QPL-1.0-INRIA-2004-exception Qt-GPL-exception-1.0 Qt-LGPL-exception-1.1
Qwt-exception-1.0 romic-exception RRDtool-FLOSS-exception-2.0 rsync-linking-exception SANE-exception SHL-2.0
SHL-2.1 Simple-Library-Usage-exception Spelling-Provider-LGPL-exception sqlitestudio-OpenSSL-exception
stunnel-exception SWI-exception Swift-exception Texinfo-exception u-boot-exception-2.0 UBDL-exception
Universal-FOSS-exception-1.0 vsftpd-openssl-exception WxWindows-exception-3.1 x11vnc-openssl-exception
`
    .trim()
    .split(/\s+/),
} as const;

const byLowerCase = (ids: readonly string[]) => new Map(ids.map((id) => [id.toLowerCase(), id]));
const LICENSES = byLowerCase(SPDX_LICENSE_LIST.licenses);
const EXCEPTIONS = byLowerCase(SPDX_LICENSE_LIST.exceptions);
