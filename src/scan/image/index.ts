/** Public surface of the image scanner. */
import { apkAnalyzer } from "./analyzers/apk.js";
import { dpkgAnalyzer } from "./analyzers/dpkg.js";
import { goAnalyzer } from "./analyzers/lang/go.js";
import { javaAnalyzer } from "./analyzers/lang/java.js";
import { nodeAnalyzer } from "./analyzers/lang/node.js";
import { pythonAnalyzer } from "./analyzers/lang/python.js";
import { findOsRelease, osAnalyzer } from "./analyzers/os-release.js";
import { rpmAnalyzer } from "./analyzers/rpm.js";
import type { ImageScanOptions } from "./scan.js";
import type { Analyzer } from "./types.js";

/** Every package analyzer, in the order their results are listed. */
export const DEFAULT_ANALYZERS: readonly Analyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  pythonAnalyzer,
  nodeAnalyzer,
  goAnalyzer,
  javaAnalyzer,
];

/** The scanner's defaults: every analyzer, os-release first. */
export function defaultScanOptions(): Pick<ImageScanOptions, "analyzers" | "osAnalyzer"> {
  return {
    analyzers: DEFAULT_ANALYZERS,
    osAnalyzer: { wants: osAnalyzer.wants, maxBytes: osAnalyzer.maxBytes, find: findOsRelease },
  };
}

export { type AiComponent, servedModel } from "./ai.js";
export { imagePurl, sizeReport, toCycloneDx } from "./output.js";
export {
  createMemoryQueue,
  createRedisQueue,
  IMAGE_SCAN_JOB,
  type ImageJob,
  type ImageJobTypes,
  type JobFailure,
  type JobQueue,
} from "./queue.js";
export { listRegistryJobs, parseRegistryTarget } from "./registry-scan.js";
export { type FoundModel, type ImageScanOptions, type ImageScanReport, looksLikeModel, scanImage } from "./scan.js";
export { openImage, parsePlatform, parseReference } from "./source/open.js";
export {
  parseChallenge,
  parseRegistryReference,
  RegistryClient,
  type RegistryOptions,
  type RegistryReference,
} from "./source/registry.js";
export type { Analyzer, FoundPackage, ImageFile, OsRelease } from "./types.js";
