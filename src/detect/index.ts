/** Public surface of the text detectors: PII, secrets, prompt injection. */
export { DETECTOR_KINDS, type Detection, type DetectorKind, type TextDetector } from "./detection.js";
