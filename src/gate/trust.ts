/**
 * Trusted sources, checked at every gate with the same policy (`supplyChain.trust`): an image
 * matching a `signatures` entry needs a cosign-style signature, stored in its repository under
 * `sha256-HEX.sig`, made by one of the entry's keys and naming this very digest; one matching a
 * `provenance` entry needs a signed in-toto attestation (`sha256-HEX.att`) whose subject is this
 * digest and whose SLSA provenance names an allowed builder and source repository.
 *
 * A signature proves a digest, never a tag: a tag moved after signing points at a digest nobody
 * signed, and a signature copied from another image names the other digest.
 */
import { createHash, type KeyObject } from "node:crypto";
import { describeError, PalisadeError } from "../core/index.js";
import { compileGlobs, type Matcher, type PolicySpec, type Violation } from "../policy/index.js";
import {
  attestationTag,
  IN_TOTO_PAYLOAD_TYPE,
  MAX_ENVELOPE_BYTES,
  MAX_PAYLOAD_BYTES,
  type ProvenanceFacts,
  pae,
  parseDsseEnvelope,
  parseInTotoStatement,
  parsePublicKey,
  parseSignatureManifest,
  parseSimpleSigningPayload,
  SLSA_PREDICATE_TYPES,
  signatureTag,
  toProvenanceFacts,
  verifyWith,
} from "./cosign.js";

export type TrustPolicy = NonNullable<NonNullable<PolicySpec["supplyChain"]>["trust"]>;

/** What the trust checks read from an image's repository (RegistryClient is one). */
export interface RepositoryReader {
  findManifest(reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string } | undefined>;
  blob(digest: string, limit?: number): Promise<Buffer>;
}

/** An image by digest, named by its registry host and repository (what the policy's globs match). */
export interface TrustedImageRef {
  registry: string;
  repository: string;
  digest: string;
}

/** A signature that verified with a policy key, and the digest its payload names. */
export interface VerifiedSignature {
  key: string;
  digest: string;
}

/** An attestation that verified with a policy key. */
export interface VerifiedAttestation {
  key: string;
  /** Whether one of the statement's subjects is this image's digest. */
  subjectMatches: boolean;
  predicateType: string;
  provenance?: ProvenanceFacts;
}

/** What an image's `.sig` and `.att` hold, as verified with the policy's keys. */
export interface TrustEvidence {
  signatures: { found: number; verified: VerifiedSignature[]; problems: string[] };
  attestations: { found: number; verified: VerifiedAttestation[]; problems: string[] };
}

export interface CompiledTrust {
  /** Whether any rule applies to some image (else checking costs nothing). */
  readonly active: boolean;
  /** The violations of the trust rules for an image. Never throws: registry errors become violations. */
  check(image: TrustedImageRef, reader: RepositoryReader): Promise<Violation[]>;
}

interface SignatureRule {
  matches: Matcher;
  signers: string[];
  action: Violation["action"];
  source: string;
}

interface ProvenanceRule extends SignatureRule {
  builders: Matcher;
  sources: Matcher;
  builderGlobs: string[];
  sourceGlobs: string[];
}

/**
 * Compile `supplyChain.trust`: PEM keys parsed once (a bad key or an unknown signer name is a
 * bad-config error naming the policy line), globs compiled.
 */
export function compileTrust(trust: TrustPolicy | undefined, at: (path: string) => string): CompiledTrust {
  const keys = new Map<string, KeyObject>();
  (trust?.keys ?? []).forEach((k, i) => {
    if (keys.has(k.name))
      throw new PalisadeError("bad-config", `${at(`supplyChain.trust.keys.${i}`)}: key ${k.name} is defined twice`);
    keys.set(k.name, parsePublicKey(k.publicKey, `${at(`supplyChain.trust.keys.${i}`)}: key ${k.name}`));
  });
  const signersOf = (signers: string[], path: string) => {
    for (const name of signers)
      if (!keys.has(name))
        throw new PalisadeError(
          "bad-config",
          `${at(path)}: signer ${name} is not in supplyChain.trust.keys (${[...keys.keys()].join(", ") || "none"})`,
        );
    return signers;
  };
  const signatureRules: SignatureRule[] = (trust?.signatures ?? []).map((r, i) => ({
    matches: compileGlobs(r.images),
    signers: signersOf(r.signers, `supplyChain.trust.signatures.${i}`),
    action: r.action,
    source: at(`supplyChain.trust.signatures.${i}`),
  }));
  const provenanceRules: ProvenanceRule[] = (trust?.provenance ?? []).map((r, i) => ({
    matches: compileGlobs(r.images),
    signers: signersOf(r.signers, `supplyChain.trust.provenance.${i}`),
    action: r.action,
    source: at(`supplyChain.trust.provenance.${i}`),
    builders: compileGlobs(r.builders),
    sources: compileGlobs(r.sources),
    builderGlobs: r.builders,
    sourceGlobs: r.sources,
  }));
  const active = signatureRules.length > 0 || provenanceRules.length > 0;

  return {
    active,
    async check(image, reader) {
      const name = `${image.registry}/${image.repository}`;
      const sigRules = signatureRules.filter((r) => r.matches(name));
      const provRules = provenanceRules.filter((r) => r.matches(name));
      if (sigRules.length === 0 && provRules.length === 0) return [];
      const target = `${name}@${image.digest}`;
      const violations: Violation[] = [];
      if (sigRules.length > 0) {
        let evidence: TrustEvidence["signatures"];
        try {
          evidence = await readSignatures(image, reader, keys);
        } catch (error) {
          for (const rule of sigRules)
            violations.push({
              ruleId: "trust.signature",
              action: rule.action,
              source: rule.source,
              target,
              message: `cannot read the signatures of ${target}: ${describeError(error)}`,
            });
          evidence = { found: 0, verified: [], problems: [] };
          sigRules.length = 0;
        }
        for (const rule of sigRules) {
          const message = judgeSignatures(evidence, image.digest, rule.signers);
          if (message)
            violations.push({ ruleId: "trust.signature", action: rule.action, source: rule.source, target, message });
        }
      }
      if (provRules.length > 0) {
        let evidence: TrustEvidence["attestations"];
        try {
          evidence = await readAttestations(image, reader, keys);
        } catch (error) {
          for (const rule of provRules)
            violations.push({
              ruleId: "trust.provenance",
              action: rule.action,
              source: rule.source,
              target,
              message: `cannot read the attestations of ${target}: ${describeError(error)}`,
            });
          return violations;
        }
        for (const rule of provRules) {
          const message = judgeProvenance(evidence, rule);
          if (message)
            violations.push({ ruleId: "trust.provenance", action: rule.action, source: rule.source, target, message });
        }
      }
      return violations;
    },
  };
}

/** Undefined when one of `signers` signed exactly `digest`; else why not. */
function judgeSignatures(evidence: TrustEvidence["signatures"], digest: string, signers: string[]): string | undefined {
  const trusted = evidence.verified.filter((v) => signers.includes(v.key));
  if (trusted.some((v) => v.digest === digest)) return undefined;
  const who = signers.join(", ");
  if (trusted.length > 0)
    return `the signature by ${trusted[0]?.key} is for ${trusted[0]?.digest}, not ${digest} (signatures prove a digest; a tag moved or a signature was copied)`;
  if (evidence.found > 0)
    return `${evidence.found} signature(s), none valid for a trusted key (${who})${evidence.problems[0] ? `: ${evidence.problems[0]}` : ""}`;
  return `${digest} is not signed (no ${signatureTag(digest)}; expected a signature by ${who})`;
}

function judgeProvenance(evidence: TrustEvidence["attestations"], rule: ProvenanceRule): string | undefined {
  const who = rule.signers.join(", ");
  const trusted = evidence.verified.filter((v) => rule.signers.includes(v.key));
  const provenance = trusted.filter(
    (v) => v.subjectMatches && v.provenance && (SLSA_PREDICATE_TYPES as readonly string[]).includes(v.predicateType),
  );
  if (provenance.length === 0) {
    if (trusted.some((v) => !v.subjectMatches)) return `the attestation signed by ${who} is about another image`;
    if (trusted.length > 0) return `no SLSA provenance among the attestations signed by ${who}`;
    if (evidence.found > 0)
      return `${evidence.found} attestation(s), none valid for a trusted key (${who})${evidence.problems[0] ? `: ${evidence.problems[0]}` : ""}`;
    return `no provenance attestation (expected one signed by ${who})`;
  }
  const ok = provenance.find(
    (v) =>
      v.provenance?.builderId !== undefined &&
      rule.builders(v.provenance.builderId) &&
      (rule.sourceGlobs.includes("**") || v.provenance.sources.some((s) => rule.sources(s))),
  );
  if (ok) return undefined;
  const facts = provenance[0]?.provenance;
  if (!facts?.builderId || !rule.builders(facts.builderId))
    return `provenance builder ${facts?.builderId ?? "(none)"} is not allowed (allowed: ${rule.builderGlobs.join(", ")})`;
  return `provenance source ${facts.sources.join(", ") || "(none)"} is not allowed (allowed: ${rule.sourceGlobs.join(", ")})`;
}

/** A blob of a signature or attestation manifest, bounded and checked against its digest. */
async function readLayer(reader: RepositoryReader, digest: string, limit: number): Promise<Buffer> {
  const bytes = await reader.blob(digest, limit);
  if (`sha256:${createHash("sha256").update(bytes).digest("hex")}` !== digest)
    throw new PalisadeError("bad-input", `blob ${digest} does not match its digest`);
  return bytes;
}

/** Read and verify every signature of `sha256-HEX.sig` with every policy key. */
export async function readSignatures(
  image: TrustedImageRef,
  reader: RepositoryReader,
  keys: ReadonlyMap<string, KeyObject>,
): Promise<TrustEvidence["signatures"]> {
  const tag = signatureTag(image.digest);
  const manifest = await reader.findManifest(tag);
  if (!manifest) return { found: 0, verified: [], problems: [] };
  const layers = parseSignatureManifest(manifest.bytes, `${image.repository}:${tag}`);
  const verified: VerifiedSignature[] = [];
  const problems: string[] = [];
  for (const layer of layers) {
    if (!layer.signature) {
      problems.push(`layer ${layer.digest} has no signature annotation`);
      continue;
    }
    if (layer.size > MAX_PAYLOAD_BYTES) {
      problems.push(`layer ${layer.digest} is ${layer.size} bytes, more than a signature payload`);
      continue;
    }
    try {
      const payload = await readLayer(reader, layer.digest, MAX_PAYLOAD_BYTES);
      const signature = Buffer.from(layer.signature, "base64");
      for (const [name, key] of keys) {
        if (!verifyWith(key, payload, signature)) continue;
        verified.push({ key: name, digest: parseSimpleSigningPayload(payload, `${tag} ${layer.digest}`).digest });
      }
    } catch (error) {
      problems.push(describeError(error));
    }
  }
  return { found: layers.length, verified, problems };
}

/** Read and verify every attestation of `sha256-HEX.att` with every policy key. */
export async function readAttestations(
  image: TrustedImageRef,
  reader: RepositoryReader,
  keys: ReadonlyMap<string, KeyObject>,
): Promise<TrustEvidence["attestations"]> {
  const tag = attestationTag(image.digest);
  const manifest = await reader.findManifest(tag);
  if (!manifest) return { found: 0, verified: [], problems: [] };
  const layers = parseSignatureManifest(manifest.bytes, `${image.repository}:${tag}`);
  const hex = image.digest.slice("sha256:".length);
  const verified: VerifiedAttestation[] = [];
  const problems: string[] = [];
  for (const layer of layers) {
    if (layer.size > MAX_ENVELOPE_BYTES) {
      problems.push(`layer ${layer.digest} is ${layer.size} bytes, more than ${MAX_ENVELOPE_BYTES}`);
      continue;
    }
    try {
      const envelope = parseDsseEnvelope(
        await readLayer(reader, layer.digest, MAX_ENVELOPE_BYTES),
        `${tag} ${layer.digest}`,
      );
      if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
        problems.push(`${layer.digest}: payload type ${envelope.payloadType} is not in-toto`);
        continue;
      }
      const signed = pae(envelope.payloadType, envelope.payload);
      const signers = [...keys].filter(([, key]) => envelope.signatures.some((s) => verifyWith(key, signed, s.sig)));
      if (signers.length === 0) {
        problems.push(`${layer.digest}: no signature verifies with a policy key`);
        continue;
      }
      const statement = parseInTotoStatement(envelope.payload, `${tag} ${layer.digest}`);
      for (const [name] of signers)
        verified.push({
          key: name,
          subjectMatches: statement.subjects.some((s) => s.sha256 === hex),
          predicateType: statement.predicateType,
          ...((SLSA_PREDICATE_TYPES as readonly string[]).includes(statement.predicateType)
            ? { provenance: toProvenanceFacts(statement.predicateType, statement.predicate) }
            : {}),
        });
    } catch (error) {
      problems.push(describeError(error));
    }
  }
  return { found: layers.length, verified, problems };
}
