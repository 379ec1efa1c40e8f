/**
 * `palisade sign image`: write a cosign-compatible signature (and optionally a signed SLSA
 * provenance attestation) for an image digest into its repository, so the gates' trust checks
 * can be tried end to end without cosign. A new signature is added to those already under the
 * tag, as cosign does.
 */
import type { KeyObject } from "node:crypto";
import { PalisadeError } from "../core/index.js";
import {
  attestationTag,
  DSSE_MEDIA_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  parseSignatureManifest,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  signatureTag,
  signWith,
  toDsseEnvelope,
  toSimpleSigningPayload,
} from "./cosign.js";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

/** What signing needs from a registry (RegistryClient is one). */
export interface RepositoryWriter {
  findManifest(reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string } | undefined>;
  putBlob(bytes: Buffer): Promise<{ digest: string; size: number }>;
  putManifest(reference: string, bytes: Buffer, mediaType: string): Promise<string>;
}

export interface SignedArtifact {
  /** `sha256-HEX.sig` or `.att`. */
  tag: string;
  /** Digest of the signature (or attestation) manifest written. */
  manifestDigest: string;
  /** Layers under the tag now (earlier signatures kept). */
  layers: number;
}

interface Layer {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** Append `layer` to the manifest under `tag` (or start one) and push it. */
async function appendLayer(writer: RepositoryWriter, tag: string, layer: Layer): Promise<SignedArtifact> {
  const existing = await writer.findManifest(tag);
  const layers: Layer[] = existing
    ? parseSignatureManifest(existing.bytes, tag).map((l) => ({
        mediaType: l.mediaType,
        digest: l.digest,
        size: l.size,
        ...(Object.keys(l.annotations).length > 0 ? { annotations: l.annotations } : {}),
      }))
    : [];
  if (
    !layers.some(
      (l) => l.digest === layer.digest && JSON.stringify(l.annotations) === JSON.stringify(layer.annotations),
    )
  )
    layers.push(layer);
  const config = await writer.putBlob(
    Buffer.from(
      JSON.stringify({
        architecture: "",
        os: "",
        config: {},
        rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
      layers,
    }),
  );
  const manifestDigest = await writer.putManifest(tag, manifest, OCI_MANIFEST);
  return { tag, manifestDigest, layers: layers.length };
}

/** Sign `digest` (named `reference`, `registry/repository`) with `key` and push the signature. */
export async function pushSignature(
  writer: RepositoryWriter,
  image: { reference: string; digest: string },
  key: KeyObject,
): Promise<SignedArtifact> {
  const payload = toSimpleSigningPayload(image);
  const blob = await writer.putBlob(payload);
  return appendLayer(writer, signatureTag(image.digest), {
    mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
    ...blob,
    annotations: { [SIGNATURE_ANNOTATION]: signWith(key, payload).toString("base64") },
  });
}

/**
 * Attest `digest` with a predicate: `document` is a bare SLSA provenance predicate (its type from
 * `predicateType`), or a whole in-toto statement whose subject is replaced by this image.
 */
export async function pushAttestation(
  writer: RepositoryWriter,
  image: { reference: string; digest: string },
  key: KeyObject,
  document: unknown,
  predicateType = "https://slsa.dev/provenance/v1",
): Promise<SignedArtifact> {
  const isStatement =
    typeof document === "object" &&
    document !== null &&
    "predicateType" in document &&
    "predicate" in document &&
    typeof (document as { predicateType: unknown }).predicateType === "string";
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new PalisadeError("bad-input", "the attestation must be a JSON object (a predicate or an in-toto statement)");
  const statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: image.reference, digest: { sha256: image.digest.slice("sha256:".length) } }],
    predicateType: isStatement ? (document as { predicateType: string }).predicateType : predicateType,
    predicate: isStatement ? (document as { predicate: unknown }).predicate : document,
  };
  const envelope = toDsseEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key);
  const blob = await writer.putBlob(envelope);
  return appendLayer(writer, attestationTag(image.digest), {
    mediaType: DSSE_MEDIA_TYPE,
    ...blob,
    annotations: { predicateType: statement.predicateType },
  });
}
