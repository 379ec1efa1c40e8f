/**
 * The guard pool's worker thread (piscina's task handler): builds the gateway's detectors once
 * per thread, and once per distinct policy spec, from the same code as the main thread; scans
 * one text per task and sends the detections back packed, their numbers in one moved buffer.
 */
import { move, transferableSymbol, valueSymbol } from "piscina";
import { createGatewayDetectors, detectorsForSpec } from "./detectors.js";
import { type GuardTask, type GuardTaskResult, packDetections } from "./guard-pool.js";
import type { GuardDetectors } from "./guards.js";
import { describeJsonSyntaxError } from "./json-syntax.js";

/** Distinct policy specs kept per thread; a policy reload adds one, the oldest goes first. */
const SPEC_CACHE_ENTRIES = 16;

// Built while the thread starts: piscina reports a thread ready once this module has loaded.
const base = createGatewayDetectors();
const bySpec = new Map<string, GuardDetectors>();

function detectorsFor(task: GuardTask): GuardDetectors {
  let built = bySpec.get(task.key);
  if (!built) {
    built = detectorsForSpec(base, task.spec);
    if (bySpec.size >= SPEC_CACHE_ENTRIES) bySpec.delete(bySpec.keys().next().value as string);
    bySpec.set(task.key, built);
  }
  return built;
}

/**
 * Parse a large JSON request body off the event loop. What comes back is cloned into the main
 * thread, which for a body that is mostly one long string is a copy, not a parse. A syntax
 * error is described here (where it broke, never the input), as `readJson` does.
 */
export function parseJson(task: { bytes: Uint8Array }): { value: unknown } | { invalid: string } {
  const text = new TextDecoder().decode(task.bytes);
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { invalid: describeJsonSyntaxError(text) };
  }
}

/** Scan one text: a `GuardTaskResult` (detections packed) wrapped for piscina to move its buffer. */
export default async function scanTask(task: GuardTask): Promise<ReturnType<typeof move>> {
  const detectors = detectorsFor(task);
  const detections = packDetections(detectors.sensitive.detect(task.text));
  const result: GuardTaskResult = { detections };
  if (task.injection && detectors.injection) result.injection = await detectors.injection(task.text, task.injection);
  return move({ [transferableSymbol]: detections.numbers.buffer, [valueSymbol]: result });
}
