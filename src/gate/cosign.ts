/**
 * The formats cosign stores next to an image in its registry, read and written without cosign:
 * signatures under the tag `sha256-HEX.sig` (a manifest whose layers are "simple signing"
 * payloads, the signature in each layer's `dev.cosignproject.cosign/signature` annotation) and
 * attestations under `sha256-HEX.att` (layers that are DSSE envelopes of in-toto statements).
 * Specs: sigstore/cosign `specs/SIGNATURE_SPEC.md`, DSSE v1 (secure-systems-lab/dsse `protocol.md`),
 * in-toto Statement v1, SLSA provenance v0.2 and v1. Every parser here has limits and throws a
 * PalisadeError (bad-input) naming what it read.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { PalisadeError } from "../core/index.js";

export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
export const DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const SIMPLE_SIGNING_TYPE = "cosign container image signature";

/** A simple signing payload is a few hundred bytes; far larger is not one. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** A DSSE envelope of a provenance with many materials. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;
/** Layers (signatures or attestations) read from one `.sig`/`.att` manifest. */
export const MAX_LAYERS = 64;
/** A base64 signature (an ECDSA P-256 DER signature is ~96 characters). */
const MAX_SIGNATURE_CHARS = 4096;

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The tag cosign stores an image's signatures under: `sha256:HEX` → `sha256-HEX.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(":", "-")}.sig`;
}

/** The tag cosign stores an image's attestations under. */
export function attestationTag(digest: string): string {
  return `${digest.replace(":", "-")}.att`;
}

/** Whether a tag is one of cosign's own (signature, attestation, SBOM): not an image to judge. */
export function isCosignTag(tag: string): boolean {
  return /^sha256-[a-f0-9]{64}\.(sig|att|sbom)$/.test(tag);
}

function bad(input: string, message: string, cause?: unknown): PalisadeError {
  return new PalisadeError("bad-input", `${input}: ${message}`, { input, cause });
}

function parseJson(bytes: Buffer, input: string, limit: number): unknown {
  if (bytes.length > limit) throw bad(input, `${bytes.length} bytes, more than ${limit}`);
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (cause) {
    throw bad(input, "not JSON", cause);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The simple signing payload cosign signs for an image (`critical` names the image by digest). */
export function toSimpleSigningPayload(image: { reference: string; digest: string }): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { "docker-reference": image.reference },
        image: { "docker-manifest-digest": image.digest },
        type: SIMPLE_SIGNING_TYPE,
      },
      optional: null,
    }),
  );
}

/** What a simple signing payload vouches for: the manifest digest, and the reference it names. */
export function parseSimpleSigningPayload(
  bytes: Buffer,
  input = "signature payload",
): {
  digest: string;
  reference?: string;
} {
  const doc = parseJson(bytes, input, MAX_PAYLOAD_BYTES);
  const critical = isObject(doc) ? doc.critical : undefined;
  if (!isObject(critical)) throw bad(input, "no critical section");
  if (critical.type !== SIMPLE_SIGNING_TYPE) throw bad(input, `type is not "${SIMPLE_SIGNING_TYPE}"`);
  const image = critical.image;
  const digest = isObject(image) ? image["docker-manifest-digest"] : undefined;
  if (typeof digest !== "string" || !DIGEST.test(digest)) throw bad(input, "no critical.image.docker-manifest-digest");
  const identity = critical.identity;
  const reference = isObject(identity) ? identity["docker-reference"] : undefined;
  return { digest, ...(typeof reference === "string" ? { reference } : {}) };
}

/** One layer of a `.sig` or `.att` manifest. */
export interface SignatureLayer {
  digest: string;
  size: number;
  mediaType: string;
  /** The base64 signature annotation (signatures; attestations carry theirs in the envelope). */
  signature?: string;
  annotations: Record<string, string>;
}

/** The layers of a cosign signature or attestation manifest (at most MAX_LAYERS). */
export function parseSignatureManifest(bytes: Buffer, input = "signature manifest"): SignatureLayer[] {
  const doc = parseJson(bytes, input, 4 * 1024 * 1024);
  if (!isObject(doc) || !Array.isArray(doc.layers)) throw bad(input, "not an image manifest (no layers)");
  if (doc.layers.length > MAX_LAYERS) throw bad(input, `${doc.layers.length} layers, more than ${MAX_LAYERS}`);
  return doc.layers.map((layer, i) => {
    if (!isObject(layer)) throw bad(input, `layer ${i} is not an object`);
    const { digest, size, mediaType } = layer;
    if (typeof digest !== "string" || !DIGEST.test(digest)) throw bad(input, `layer ${i} has no sha256 digest`);
    if (typeof size !== "number" || !Number.isInteger(size) || size < 0) throw bad(input, `layer ${i} has no size`);
    const annotations: Record<string, string> = {};
    if (isObject(layer.annotations))
      for (const [k, v] of Object.entries(layer.annotations)) if (typeof v === "string") annotations[k] = v;
    const signature = annotations[SIGNATURE_ANNOTATION];
    if (signature !== undefined && (signature.length > MAX_SIGNATURE_CHARS || !/^[A-Za-z0-9+/=_-]*$/.test(signature)))
      throw bad(input, `layer ${i}: the signature annotation is not a base64 signature`);
    return {
      digest,
      size,
      mediaType: typeof mediaType === "string" ? mediaType : "",
      ...(signature !== undefined ? { signature } : {}),
      annotations,
    };
  });
}

/** DSSE v1 pre-authentication encoding: what is signed for an envelope. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType);
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export interface DsseEnvelope {
  payloadType: string;
  payload: Buffer;
  signatures: { keyid?: string; sig: Buffer }[];
}

/** A DSSE envelope (JSON, payload and signatures base64). */
export function parseDsseEnvelope(bytes: Buffer, input = "DSSE envelope"): DsseEnvelope {
  const doc = parseJson(bytes, input, MAX_ENVELOPE_BYTES);
  if (!isObject(doc)) throw bad(input, "not an object");
  const { payloadType, payload, signatures } = doc;
  if (typeof payloadType !== "string" || payloadType.length > 256) throw bad(input, "no payloadType");
  if (typeof payload !== "string") throw bad(input, "no payload");
  if (!Array.isArray(signatures) || signatures.length === 0) throw bad(input, "no signatures");
  if (signatures.length > MAX_LAYERS) throw bad(input, `${signatures.length} signatures, more than ${MAX_LAYERS}`);
  return {
    payloadType,
    payload: Buffer.from(payload, "base64"),
    signatures: signatures.map((s, i) => {
      if (!isObject(s) || typeof s.sig !== "string" || s.sig.length > MAX_SIGNATURE_CHARS)
        throw bad(input, `signature ${i} is not a base64 signature`);
      return { ...(typeof s.keyid === "string" ? { keyid: s.keyid } : {}), sig: Buffer.from(s.sig, "base64") };
    }),
  };
}

/** A DSSE envelope of `payload`, signed with `key`. */
export function toDsseEnvelope(payloadType: string, payload: Buffer, key: KeyObject): Buffer {
  return Buffer.from(
    JSON.stringify({
      payloadType,
      payload: payload.toString("base64"),
      signatures: [{ keyid: "", sig: signWith(key, pae(payloadType, payload)).toString("base64") }],
    }),
  );
}

export interface InTotoStatement {
  predicateType: string;
  /** Subjects' sha256 digests (hex), with their names. */
  subjects: { name: string; sha256: string }[];
  predicate: unknown;
}

/** An in-toto Statement (v0.1 or v1). */
export function parseInTotoStatement(payload: Buffer, input = "in-toto statement"): InTotoStatement {
  const doc = parseJson(payload, input, MAX_ENVELOPE_BYTES);
  if (!isObject(doc) || typeof doc._type !== "string" || !doc._type.startsWith("https://in-toto.io/Statement/"))
    throw bad(input, "not an in-toto statement (_type)");
  if (typeof doc.predicateType !== "string") throw bad(input, "no predicateType");
  if (!Array.isArray(doc.subject) || doc.subject.length > 10_000) throw bad(input, "no subject list");
  const subjects = doc.subject.flatMap((s) => {
    if (!isObject(s) || !isObject(s.digest) || typeof s.digest.sha256 !== "string") return [];
    return [{ name: typeof s.name === "string" ? s.name : "", sha256: s.digest.sha256.toLowerCase() }];
  });
  return { predicateType: doc.predicateType, subjects, predicate: doc.predicate };
}

/** SLSA provenance predicate types read for builder and source. */
export const SLSA_PREDICATE_TYPES = ["https://slsa.dev/provenance/v0.2", "https://slsa.dev/provenance/v1"] as const;

/** What the gates check in a SLSA provenance: who built it, and from which source repositories. */
export interface ProvenanceFacts {
  builderId?: string;
  sources: string[];
}

/**
 * Builder and sources of a SLSA provenance predicate. v0.2: `builder.id`,
 * `invocation.configSource.uri`, `materials[].uri`; v1: `runDetails.builder.id`,
 * `buildDefinition.resolvedDependencies[].uri` and the GitHub workflow's `externalParameters`.
 */
export function toProvenanceFacts(predicateType: string, predicate: unknown): ProvenanceFacts {
  const p = isObject(predicate) ? predicate : {};
  const str = (v: unknown) => (typeof v === "string" && v.length <= 2048 ? v : undefined);
  const uris = (list: unknown) =>
    (Array.isArray(list) ? list.slice(0, 1000) : []).flatMap((m) => {
      const uri = isObject(m) ? str(m.uri) : undefined;
      return uri ? [uri] : [];
    });
  if (predicateType === "https://slsa.dev/provenance/v1") {
    const run = isObject(p.runDetails) ? p.runDetails : {};
    const builder = isObject(run.builder) ? run.builder : {};
    const def = isObject(p.buildDefinition) ? p.buildDefinition : {};
    const external = isObject(def.externalParameters) ? def.externalParameters : {};
    const workflow = isObject(external.workflow) ? external.workflow : {};
    const sources = [
      ...(str(workflow.repository) ? [str(workflow.repository) as string] : []),
      ...(str(external.source) ? [str(external.source) as string] : []),
      ...uris(def.resolvedDependencies),
    ];
    const builderId = str(builder.id);
    return { ...(builderId ? { builderId } : {}), sources: [...new Set(sources)] };
  }
  const builder = isObject(p.builder) ? p.builder : {};
  const invocation = isObject(p.invocation) ? p.invocation : {};
  const config = isObject(invocation.configSource) ? invocation.configSource : {};
  const builderId = str(builder.id);
  const sources = [...(str(config.uri) ? [str(config.uri) as string] : []), ...uris(p.materials)];
  return { ...(builderId ? { builderId } : {}), sources: [...new Set(sources)] };
}

/** A public key from PEM: ECDSA P-256 or Ed25519, the kinds cosign keys are. */
export function parsePublicKey(pem: string, input: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (cause) {
    throw new PalisadeError("bad-config", `${input}: not a PEM public key (${(cause as Error).message})`, {
      input,
      cause,
    });
  }
  checkKeyKind(key, input, "bad-config");
  return key;
}

/** A private key from PEM (PKCS#8, SEC1 or OpenSSH's PEM form): ECDSA P-256 or Ed25519. */
export function parsePrivateKey(pem: string, input: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (cause) {
    throw new PalisadeError("bad-input", `${input}: not an unencrypted PEM private key (${(cause as Error).message})`, {
      input,
      cause,
    });
  }
  checkKeyKind(key, input, "bad-input");
  return key;
}

function checkKeyKind(key: KeyObject, input: string, code: "bad-config" | "bad-input"): void {
  const type = key.asymmetricKeyType;
  if (type === "ed25519") return;
  if (type === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new PalisadeError(code, `${input}: a ${type}${curve ? ` ${curve}` : ""} key; expected ECDSA P-256 or Ed25519`, {
    input,
  });
}

/** Sign as cosign does: ECDSA P-256 over SHA-256 (DER signature), or Ed25519 over the bytes. */
export function signWith(key: KeyObject, data: Buffer): Buffer {
  return key.asymmetricKeyType === "ed25519" ? sign(null, data, key) : sign("sha256", data, key);
}

/** Whether `signature` is `key`'s over `data`; malformed signatures are simply not valid. */
export function verifyWith(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return key.asymmetricKeyType === "ed25519"
      ? verify(null, data, key, signature)
      : verify("sha256", data, key, signature);
  } catch {
    return false;
  }
}
