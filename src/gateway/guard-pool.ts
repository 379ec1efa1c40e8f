/**
 * Score large texts on worker threads. PII, secrets and injection detection is synchronous CPU
 * work: a 1 MB prompt holds the event loop for tens of milliseconds or more, a 10 MB one for
 * most of a second, and meanwhile health checks and every other request wait. The gateway
 * scans texts of `GUARD_POOL_MIN_CHARS` and more here instead; each thread builds the same
 * detectors as the main thread (src/gateway/detectors.ts), once per distinct policy spec.
 *
 * Built on piscina rather than bare worker_threads because what we need is what it already
 * does and tests: a queue that hands tasks to idle threads, warm threads kept and extra ones
 * stopped after an idle period, idle threads unref'd so they never keep the process alive, a
 * crashed thread rejecting only the task it held and being replaced, cancelling a running task
 * by terminating its thread, and a draining close. By hand that is this file again twice over,
 * with the crash and shutdown races to get right. What we add: our own bound on the queue (so
 * the refusal is our typed error), refusing queued scans when no thread can start (piscina
 * would leave them waiting), and, from source, a .mjs entry that registers tsx in the thread
 * (Node 20 workers do not run the parent's `--import tsx`, and piscina's entry is its own).
 *
 * Transfer: the text goes to the thread as a structured-clone copy. For a flat 10 MB Latin-1
 * string that is a 10 MB memcpy, ~1-2.5 ms on the main thread (up to ~20 ms when the copy first
 * touches fresh pages); a UTF-16 string is twice the bytes, ~2-13 ms; a rope is flattened first.
 * Encoding to UTF-8 to transfer a buffer would cost a full pass over the text on the main
 * thread (~20 ms for 10 MB), so it is not cheaper. The answer comes back packed (numbers in one
 * moved buffer plus interned strings) and is unpacked in slices between event-loop turns, so a
 * text with a hundred thousand detections does not stall the loop on the way back either.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { PalisadeError } from "../core/index.js";
import type { Detection, DetectorKind, InjectionMode } from "../detect/index.js";
import { type DetectorSpec, toSpecKey } from "./detectors.js";
import { GatewayError } from "./errors.js";

export type { DetectorSpec } from "./detectors.js";

/**
 * Recommended smallest text (UTF-16 code units) to scan in the pool rather than in place. From
 * bench/guard-pool.ts on 2 shared cores (medians; PII + secrets + injection): in place, 16 KB
 * holds the event loop ~5-14 ms, 32 KB ~7-19 ms, 64 KB ~11-25 ms, 1 MB ~60 ms, 10 MB ~570 ms;
 * the pool's answer takes about as long from 8 KB up (its overhead is ~1-2 ms) while the loop is
 * held under ~15 ms at every size. Below this, a hand-over saves too little to spend a thread on.
 */
export const GUARD_POOL_MIN_CHARS = 32 * 1024;

/** What the pool answers for one text. */
export interface GuardScan {
  /** PII and secrets, overlaps resolved, offsets into the scanned text. */
  detections: Detection[];
  /** The injection score, when `scan` was asked for one. */
  injection?: { score: number; signals: { id: string; score: number }[] };
}

/** What to scan a text with. */
export interface GuardScanOptions {
  /** The policy's `runtime.pii` (`thresholds`, `custom`, `names`) and its injection classifier stage, if any. */
  spec: DetectorSpec;
  /** Also score prompt injection, in this mode. */
  injection?: InjectionMode;
  /**
   * Give up: a queued scan leaves the queue, a running one has its thread terminated (and
   * replaced), so a scan nobody waits for stops using a core. Pass the request's guard budget.
   */
  signal?: AbortSignal;
}

/** A pool of detector threads. */
export interface GuardPool {
  /** PII+secrets detections (offsets into `text`) and, when asked, the injection score, computed in a worker. */
  scan(text: string, options: GuardScanOptions): Promise<GuardScan>;
  /** Refuse new scans, finish the accepted ones, stop the threads. */
  /** Parse a JSON body in a worker (a 400 `invalid_json` describing where it broke). */
  parseJson(bytes: Uint8Array): Promise<unknown>;
  close(): Promise<void>;
}

export interface GuardPoolOptions {
  /** Threads; default `max(1, availableParallelism() - 1)`, at most 4. */
  size?: number;
  /** Scans waiting for a thread beyond the `size` running; more are refused (`queue-full`). Default 16. */
  maxQueue?: number;
  /**
   * Threads started with the pool and kept while it is open (replaced if one crashes), so the
   * first large prompt does not wait the ~2 s a thread takes to start and build its detectors.
   * Default 1; 0 starts threads only when scans arrive.
   */
  warmThreads?: number;
  /** A thread beyond `warmThreads` that has been idle this long stops. Default 60 s. */
  idleTimeoutMs?: number;
  /** The worker entry; tests substitute one that crashes on demand. Default: guard-worker next to this file. */
  workerUrl?: URL;
}

/** Why a scan was refused or failed. */
export const GUARD_POOL_FAILURES = ["queue-full", "aborted", "failed", "unavailable", "closed"] as const;
export type GuardPoolFailure = (typeof GUARD_POOL_FAILURES)[number];

/**
 * A scan the pool could not do. It is a `guard_unavailable` gateway error (503; `queue-full`
 * adds Retry-After), so the gateway can answer it as is or apply the policy's fail mode.
 */
export class GuardPoolError extends GatewayError {
  readonly reason: GuardPoolFailure;

  constructor(reason: GuardPoolFailure, message: string, options: { cause?: unknown } = {}) {
    super("guard_unavailable", message, {
      ...options,
      ...(reason === "queue-full" ? { retryAfterSeconds: 1 } : {}),
    });
    this.name = "GuardPoolError";
    this.reason = reason;
  }
}

const MAX_DEFAULT_SIZE = 4;
const DEFAULT_MAX_QUEUE = 16;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Detections rebuilt per event-loop turn when unpacking an answer. */
const UNPACK_SLICE = 8192;

/** Start a pool: `warmThreads` threads start now (off the event loop), the rest on demand. */
export function createGuardPool(options: GuardPoolOptions = {}): GuardPool {
  const size = options.size ?? Math.min(MAX_DEFAULT_SIZE, Math.max(1, availableParallelism() - 1));
  const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
  const warmThreads = Math.min(size, options.warmThreads ?? 1);
  for (const [name, value, least] of [
    ["size", size, 1],
    ["maxQueue", maxQueue, 0],
    ["warmThreads", warmThreads, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < least)
      throw new PalisadeError("bad-config", `guard pool ${name} must be an integer of at least ${least}, got ${value}`);
  }

  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const piscina = new Piscina({
    filename: fileURLToPath(workerUrl),
    minThreads: warmThreads,
    maxThreads: size,
    idleTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    // The bound is ours (below), so that a full queue rejects with a GuardPoolError.
    maxQueue: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
  });

  const accepted = new Set<AbortController>();
  const ready = new Set<unknown>();
  piscina.on("workerCreate", (worker: unknown) => ready.add(worker));
  piscina.on("workerDestroy", (worker: unknown) => ready.delete(worker));
  // Piscina reports here a thread that failed without holding a task: in practice one that
  // could not start (its entry failed to load). With no thread up, every accepted scan is still
  // queued and would wait forever; refuse them instead. Errors of running tasks reject those
  // tasks directly and do not come here.
  piscina.on("error", (error: unknown) => {
    if (ready.size > 0) return;
    for (const controller of accepted)
      controller.abort(new GuardPoolError("unavailable", "content guard could not start", { cause: error }));
  });

  const specKeys = new WeakMap<object, string>();
  const keyOf = (spec: DetectorSpec) => {
    let key = specKeys.get(spec);
    if (key === undefined) {
      key = toSpecKey(spec);
      specKeys.set(spec, key);
    }
    return key;
  };

  let closing: Promise<void> | undefined;

  return {
    async scan(text, { spec, injection, signal }) {
      if (closing) throw new GuardPoolError("closed", "content guard is shutting down");
      if (signal?.aborted)
        throw new GuardPoolError("aborted", "content guard scan was cancelled", { cause: signal.reason });
      if (accepted.size >= size + maxQueue)
        throw new GuardPoolError("queue-full", "content guard is busy, retry shortly");
      const controller = new AbortController();
      accepted.add(controller);
      try {
        // Only the fields that build the detector travel; the policy's pii section has more.
        const task: GuardTask = {
          text,
          spec: {
            thresholds: spec.thresholds,
            custom: spec.custom,
            ...(spec.names ? { names: spec.names } : {}),
            ...(spec.injectionClassifier ? { injectionClassifier: spec.injectionClassifier } : {}),
          },
          key: keyOf(spec),
        };
        if (injection) task.injection = injection;
        const result = (await piscina.run(task, {
          signal: signal ? AbortSignal.any([controller.signal, signal]) : controller.signal,
        })) as GuardTaskResult;
        const scanned: GuardScan = { detections: await unpackDetections(result.detections) };
        if (result.injection) scanned.injection = result.injection;
        return scanned;
      } catch (error) {
        if (signal?.aborted)
          throw new GuardPoolError("aborted", "content guard scan was cancelled", { cause: signal.reason });
        const reason: unknown = controller.signal.reason;
        if (reason instanceof GuardPoolError) throw reason;
        throw new GuardPoolError("failed", "content guard failed", { cause: error });
      } finally {
        accepted.delete(controller);
      }
    },
    async parseJson(bytes) {
      if (closing) throw new GuardPoolError("closed", "content guard is shutting down");
      if (accepted.size >= size + maxQueue)
        throw new GuardPoolError("queue-full", "content guard is busy, retry shortly");
      const controller = new AbortController();
      accepted.add(controller);
      try {
        const result = (await piscina.run({ bytes }, { name: "parseJson", signal: controller.signal })) as
          | { value: unknown }
          | { invalid: string };
        if ("invalid" in result)
          throw new GatewayError("invalid_json", `request body is not valid JSON: ${result.invalid}`, {
            cause: new SyntaxError(result.invalid),
          });
        return result.value;
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        throw new GuardPoolError("failed", "request body could not be parsed off the event loop", { cause: error });
      } finally {
        accepted.delete(controller);
      }
    },
    close() {
      closing ??= piscina.close();
      return closing;
    },
  };
}

/**
 * The compiled worker next to this file under dist/; from source, the shim that registers tsx
 * in the thread first (Node 20 workers ignore the parent's `--import tsx`).
 */
function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./guard-worker-tsx.mjs" : "./guard-worker.js", import.meta.url);
}

// --- wire format, shared with guard-worker.ts -------------------------------------------

/** One text to scan, as posted to a worker. */
export interface GuardTask {
  text: string;
  spec: DetectorSpec;
  /** `toSpecKey(spec)`, computed on the main thread once per spec object. */
  key: string;
  injection?: InjectionMode;
}

/**
 * Detections as numbers and string tables. `numbers` holds `PACKED_FIELDS` values per
 * detection: start, end, score, then indexes into `strings` for entity, ruleId and detector,
 * and an index into `reasonSets` (lists of indexes into `strings`).
 */
export interface PackedDetections {
  count: number;
  numbers: Float64Array;
  strings: string[];
  reasonSets: number[][];
}

/** What a worker answers for one task. */
export interface GuardTaskResult {
  detections: PackedDetections;
  injection?: { score: number; signals: { id: string; score: number }[] };
}

/** Values per detection in `PackedDetections.numbers`. */
export const PACKED_FIELDS = 7;

/** Detections as one buffer of numbers plus interned strings (cheap to send between threads). */
export function packDetections(detections: readonly Detection[]): PackedDetections {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (s: string) => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const reasonSets: number[][] = [];
  const reasonSetIndex = new Map<string, number>();
  const numbers = new Float64Array(detections.length * PACKED_FIELDS);
  detections.forEach((d, n) => {
    const reasonsKey = JSON.stringify(d.reasons);
    let reasons = reasonSetIndex.get(reasonsKey);
    if (reasons === undefined) {
      reasons = reasonSets.length;
      reasonSets.push(d.reasons.map(intern));
      reasonSetIndex.set(reasonsKey, reasons);
    }
    const o = n * PACKED_FIELDS;
    numbers[o] = d.start;
    numbers[o + 1] = d.end;
    numbers[o + 2] = d.score;
    numbers[o + 3] = intern(d.entity);
    numbers[o + 4] = intern(d.ruleId);
    numbers[o + 5] = intern(d.detector);
    numbers[o + 6] = reasons;
  });
  return { count: detections.length, numbers, strings, reasonSets };
}

/** The detections back as objects, `UNPACK_SLICE` per event-loop turn. */
export async function unpackDetections(packed: PackedDetections): Promise<Detection[]> {
  const { numbers, strings, reasonSets } = packed;
  const at = (i: number) => strings[numbers[i] as number] as string;
  const detections: Detection[] = new Array(packed.count);
  for (let n = 0; n < packed.count; n++) {
    if (n > 0 && n % UNPACK_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const o = n * PACKED_FIELDS;
    const reasons = reasonSets[numbers[o + 6] as number] ?? [];
    detections[n] = {
      entity: at(o + 3),
      start: numbers[o] as number,
      end: numbers[o + 1] as number,
      score: numbers[o + 2] as number,
      detector: at(o + 5) as DetectorKind,
      ruleId: at(o + 4),
      reasons: reasons.map((r) => strings[r] as string),
    };
  }
  return detections;
}
