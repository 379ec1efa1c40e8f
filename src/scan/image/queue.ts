/**
 * The queue of image scans: in-process by default, BullMQ over Redis when several workers (on
 * any number of machines) share the work. A job is keyed by the image digest, so the same image
 * is never queued twice while it waits; a worker that dies holding a job loses its lock, and
 * the job goes back to the queue for another worker (BullMQ's stalled-job check).
 */
// BullMQ is loaded when a Redis queue is asked for: it costs ~30 MB and ~0.25 s to import, and
// every `scan image` would pay that otherwise.
type BullMq = typeof import("bullmq");
const bullmq = (): Promise<BullMq> => import("bullmq");

import { PalisadeError } from "../../core/index.js";

/** One image to scan. Credentials never travel in a job: each worker has its own. */
export interface ImageJob {
  /** `registry:HOST/REPO@sha256:...`: by digest, so the job scans what was listed. */
  reference: string;
  digest: string;
  /** The tag it was listed under, for reports. */
  tag?: string;
  insecure?: boolean;
  platform?: string;
}

export type JobHandler = (job: ImageJob) => Promise<void>;

export interface JobQueue {
  /** Queue jobs not already waiting or running; how many were added. */
  enqueue(jobs: readonly ImageJob[]): Promise<number>;
  close(): Promise<void>;
}

export const QUEUE_NAME = "palisade-image-scans";

/** In-process: jobs run as they are queued, `concurrency` at a time; `idle()` waits for the rest. */
export function createMemoryQueue(handler: JobHandler, concurrency = 2): JobQueue & { idle(): Promise<JobFailure[]> } {
  const waiting: ImageJob[] = [];
  const seen = new Set<string>();
  const failures: JobFailure[] = [];
  let running = 0;
  let wake: (() => void) | undefined;
  const pump = () => {
    while (running < concurrency && waiting.length > 0) {
      const job = waiting.shift() as ImageJob;
      running++;
      handler(job)
        .catch((error: unknown) => failures.push({ job, error: (error as Error)?.message ?? String(error) }))
        .finally(() => {
          running--;
          pump();
          if (running === 0 && waiting.length === 0) wake?.();
        });
    }
  };
  return {
    async enqueue(jobs) {
      let added = 0;
      for (const job of jobs) {
        if (seen.has(job.digest)) continue;
        seen.add(job.digest);
        waiting.push(job);
        added++;
      }
      pump();
      return added;
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve(failures);
      return new Promise((resolve) => {
        wake = () => resolve(failures);
      });
    },
    async close() {},
  };
}

export interface JobFailure {
  job: ImageJob;
  error: string;
}

function connection(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    // Workers block on Redis; BullMQ wants commands retried forever rather than failed.
    maxRetriesPerRequest: null,
  };
}

/** The shared queue (producer side). */
export async function createRedisQueue(
  redisUrl: string,
): Promise<JobQueue & { counts(): Promise<Record<string, number>> }> {
  const { Queue } = await bullmq();
  const queue = new Queue<ImageJob>(QUEUE_NAME, { connection: connection(redisUrl) });
  return {
    async enqueue(jobs) {
      let added = 0;
      for (const job of jobs) {
        // The digest as job id: a job already waiting or running for it is not added again.
        const jobId = job.digest.replace(":", "-");
        const existing = await queue.getJob(jobId);
        if (existing && !(await existing.isCompleted()) && !(await existing.isFailed())) continue;
        if (existing) await existing.remove();
        await queue.add("scan", job, {
          jobId,
          attempts: 3,
          backoff: { type: "exponential", delay: 1000 },
          removeOnComplete: 1000,
          removeOnFail: 1000,
        });
        added++;
      }
      return added;
    },
    async counts() {
      return queue.getJobCounts("wait", "active", "delayed", "completed", "failed");
    },
    close: () => queue.close(),
  };
}

export interface WorkerOptions {
  concurrency?: number;
  /** How long a job's lock lasts without renewal: how soon a dead worker's job is retried. */
  lockMs?: number;
  onEvent?: (event: "started" | "completed" | "failed", job: ImageJob, detail?: string) => void;
}

/** A worker taking jobs from the shared queue until `close()`. */
export async function startRedisWorker(redisUrl: string, handler: JobHandler, options: WorkerOptions = {}) {
  const lockDuration = options.lockMs ?? 30_000;
  if (!Number.isFinite(lockDuration) || lockDuration < 1000)
    throw new PalisadeError("bad-usage", `lock duration must be at least 1 s, got ${lockDuration} ms`);
  const { Worker } = await bullmq();
  const worker = new Worker<ImageJob>(
    QUEUE_NAME,
    async (job) => {
      options.onEvent?.("started", job.data);
      await handler(job.data);
    },
    {
      connection: connection(redisUrl),
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on("completed", (job) => options.onEvent?.("completed", job.data));
  worker.on("failed", (job, error) => job && options.onEvent?.("failed", job.data, error.message));
  return { worker, close: () => worker.close() };
}
