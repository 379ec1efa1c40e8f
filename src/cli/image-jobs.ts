/**
 * One image scan job as the CLI runs it (in `scan registry` or in a `worker`): scan the image by
 * digest and record it in the store. Recording is keyed by digest, so a job retried after a
 * worker died records nothing twice (the records are those of `scan image`).
 */
import type { Logger } from "../core/index.js";
import type { ImageJob, ImageScanReport } from "../scan/image/index.js";
import type { Store } from "../store/index.js";
import { imageId, toScanRecord } from "./inventory/records.js";

/** Registry credentials each worker reads from its own environment, never from the job. */
export function registryCredentials(env: NodeJS.ProcessEnv = process.env) {
  return env.PALISADE_REGISTRY_USERNAME
    ? { username: env.PALISADE_REGISTRY_USERNAME, password: env.PALISADE_REGISTRY_PASSWORD ?? "" }
    : {};
}

export async function alreadyScanned(store: Store, digest: string): Promise<boolean> {
  return (await store.getAsset(imageId(digest))) !== undefined;
}

export async function runImageJob(job: ImageJob, store: Store, logger?: Logger): Promise<void> {
  if (await alreadyScanned(store, job.digest)) return;
  const { defaultScanOptions, scanImage } = await import("../scan/image/index.js");
  const startedAt = Date.now();
  const report = await scanImage(job.reference, {
    ...defaultScanOptions(),
    ...(job.platform ? { platform: job.platform } : {}),
    registry: { ...(job.insecure ? { insecure: true } : {}), ...registryCredentials() },
  });
  const name = job.tag ?? job.reference;
  await recordImageReport(store, report, { digest: job.digest, name, startedAt });
  logger?.info({ image: name, digest: job.digest, packages: report.packages.length }, "image scanned");
}

/**
 * Record an image scan as `scan image` does (one transaction, keyed so a retry adds nothing);
 * when `digest` (what was asked for) is an index, link it to the platform image scanned.
 */
export async function recordImageReport(
  store: Store,
  report: ImageScanReport,
  asked: { digest: string; name: string; startedAt: number },
): Promise<void> {
  const { toImageInventory } = await import("./inventory/image.js");
  await store.recordInventory(
    toScanRecord(toImageInventory(report), { startedAt: asked.startedAt, finishedAt: Date.now() }),
  );
  if (report.digest && report.digest !== asked.digest) {
    await store.upsertAsset({
      id: imageId(asked.digest),
      kind: "image",
      subkind: "index",
      name: asked.name,
      digest: asked.digest,
    });
    await store.addEdge({
      src: imageId(asked.digest),
      dst: imageId(report.digest),
      kind: "platform",
      properties: { platform: report.platform ?? null },
    });
  }
}
