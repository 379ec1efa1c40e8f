/**
 * Scanning an image by digest for a gate: the image scanner over the registry, its report turned
 * into the policy input, and handed to `record` (the composition root stores it, so the next
 * judgement of the digest finds a stored verdict).
 */
import {
  defaultScanOptions,
  type ImageScanOptions,
  type ImageScanReport,
  type RegistryOptions,
  scanImage,
} from "../scan/image/index.js";
import type { ImageRef } from "./image-verdict.js";
import { type ImageScanInput, toScanInput } from "./scan-input.js";

export interface GateScannerOptions {
  registryOptions: (registry: string) => RegistryOptions;
  /** Advisories and other scanner options (e.g. the store's advisory lookup). */
  scanOptions?: Partial<ImageScanOptions>;
  /** Called with each finished report (and the digest asked for), before its verdict is used. */
  record?: (report: ImageScanReport, image: ImageRef & { digest: string }) => Promise<void>;
}

/** A `scan` function for the image judge. */
export function createGateScanner(
  options: GateScannerOptions,
): (image: ImageRef & { digest: string }) => Promise<ImageScanInput> {
  return async (image) => {
    const reference = `registry:${image.registry}/${image.repository}@${image.digest}`;
    const report = await scanImage(reference, {
      ...defaultScanOptions(),
      ...options.scanOptions,
      registry: options.registryOptions(image.registry),
    });
    await options.record?.(report, image);
    return toScanInput(report);
  };
}
