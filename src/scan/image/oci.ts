/**
 * The JSON documents of an image, per the OCI image spec and Docker's image manifest v2 and
 * `docker save` formats: parsed once here into typed values, unknown fields kept.
 */
import { z } from "zod";

export const MEDIA = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
} as const;

const Digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "not a digest");

export const PlatformSchema = z
  .object({
    architecture: z.string(),
    os: z.string(),
    variant: z.string().optional(),
    "os.version": z.string().optional(),
  })
  .passthrough();
export type Platform = z.infer<typeof PlatformSchema>;

export const DescriptorSchema = z
  .object({
    mediaType: z.string().optional(),
    digest: Digest,
    size: z.number().int().nonnegative(),
    platform: PlatformSchema.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .passthrough();
export type Descriptor = z.infer<typeof DescriptorSchema>;

/** An OCI image index or a Docker manifest list. */
export const IndexSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    manifests: z.array(DescriptorSchema).max(10_000),
  })
  .passthrough();
export type ImageIndex = z.infer<typeof IndexSchema>;

/** An OCI image manifest or a Docker image manifest v2. */
export const ManifestSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    config: DescriptorSchema,
    layers: z.array(DescriptorSchema).max(1_000),
  })
  .passthrough();
export type ImageManifest = z.infer<typeof ManifestSchema>;

const StringList = z.array(z.string()).nullish();

/** The image configuration: what the container runs and how it was built. */
export const ImageConfigSchema = z
  .object({
    architecture: z.string().optional(),
    os: z.string().optional(),
    variant: z.string().optional(),
    created: z.string().optional(),
    config: z
      .object({
        User: z.string().optional(),
        Env: StringList,
        Entrypoint: StringList,
        Cmd: StringList,
        WorkingDir: z.string().optional(),
        ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
        Volumes: z.record(z.string(), z.unknown()).nullish(),
        Labels: z.record(z.string(), z.string()).nullish(),
        Healthcheck: z.object({ Test: StringList }).passthrough().nullish(),
        StopSignal: z.string().optional(),
      })
      .passthrough()
      .nullish(),
    rootfs: z
      .object({ type: z.string(), diff_ids: z.array(z.string()).max(1_000) })
      .passthrough()
      .optional(),
    history: z
      .array(
        z
          .object({
            created: z.string().optional(),
            created_by: z.string().optional(),
            comment: z.string().optional(),
            empty_layer: z.boolean().optional(),
          })
          .passthrough(),
      )
      .max(10_000)
      .optional(),
  })
  .passthrough();
export type ImageConfig = z.infer<typeof ImageConfigSchema>;

/** `manifest.json` of a `docker save` archive. */
export const DockerArchiveManifestSchema = z
  .array(
    z
      .object({
        Config: z.string(),
        RepoTags: z.array(z.string()).nullish(),
        Layers: z.array(z.string()).max(1_000),
      })
      .passthrough(),
  )
  .min(1)
  .max(1_000);

/** Whether a document (by its media type, or its shape when untyped) is an index. */
export function isIndex(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  const mediaType = (value as { mediaType?: unknown }).mediaType;
  if (mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList) return true;
  return Array.isArray((value as { manifests?: unknown }).manifests) && !("config" in value);
}
