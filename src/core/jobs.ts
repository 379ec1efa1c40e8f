/**
 * The shared job queue: BullMQ over Redis, one queue for every kind of long or shared work
 * (registry image scans, batches of runtime sensor events), so one `palisade worker` fleet takes
 * all of it. A job has a name (its kind) and an id; a job whose id is already waiting or running
 * is not added again. A worker that dies holding a job loses its lock and the job goes back to
 * the queue for another worker (BullMQ's stalled-job check); a failed job is retried with
 * backoff, then kept in the failed set for inspection, never dropped silently.
 */
// BullMQ is loaded when a Redis queue is asked for: it costs ~30 MB and ~0.25 s to import, and
// every command that never queues anything would pay that otherwise.
type BullMq = typeof import("bullmq");
const bullmq = (): Promise<BullMq> => import("bullmq");

import { PalisadeError } from "./errors.js";

/** The queue every producer and worker shares. */
export const QUEUE_NAME = "palisade-jobs";

/** Job names and the data each carries. */
export type JobTypes = { [name: string]: unknown };

export interface QueuedJob<D> {
  /** Same id, same job: added again only once the first has finished (see `replaceFinished`). */
  id: string;
  data: D;
}

export interface EnqueueOptions {
  /** Tries before a job is left in the failed set (default 3). */
  attempts?: number;
  /** First retry delay; each next one doubles (default 1 s). */
  backoffMs?: number;
  /**
   * Which finished job under the same id the new one replaces, so the work is done again:
   * `finished`, a completed or a failed one (an image rescanned); `failed`, only a failed one (an
   * event batch resent after its job gave up is stored, one already stored is not queued again).
   * Absent: neither. A job still waiting or running is never replaced.
   */
  replace?: "finished" | "failed";
}

export interface RedisJobQueue<T extends JobTypes> {
  /** Queue jobs of one kind; how many were added. */
  enqueue<N extends keyof T & string>(
    name: N,
    jobs: readonly QueuedJob<T[N]>[],
    options?: EnqueueOptions,
  ): Promise<number>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Finished jobs Redis keeps per state: what makes a resent job a duplicate, and what can be inspected. */
const KEEP_FINISHED = 1000;

/** Parse and check a redis:// URL into BullMQ's connection options. */
export function redisConnection(redisUrl: string) {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch (cause) {
    throw new PalisadeError("bad-usage", `${redisUrl}: not a URL`, { input: redisUrl, cause });
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new PalisadeError("bad-usage", `${redisUrl}: expected a redis:// URL`, { input: redisUrl });
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

/** BullMQ job ids may not contain ":" (its key separator). */
const bullId = (id: string) => id.replaceAll(":", "-");

/** The shared queue, producer side. */
export async function createRedisJobQueue<T extends JobTypes>(redisUrl: string): Promise<RedisJobQueue<T>> {
  const connection = redisConnection(redisUrl);
  const { Queue } = await bullmq();
  const queue = new Queue(QUEUE_NAME, { connection });
  return {
    async enqueue(name, jobs, options = {}) {
      let added = 0;
      for (const job of jobs) {
        const jobId = bullId(job.id);
        const existing = await queue.getJob(jobId);
        if (existing) {
          const failed = await existing.isFailed();
          const replace = failed
            ? options.replace !== undefined
            : options.replace === "finished" && (await existing.isCompleted());
          if (!replace) continue;
          await existing.remove();
        }
        await queue.add(name, job.data, {
          jobId,
          attempts: options.attempts ?? 3,
          backoff: { type: "exponential", delay: options.backoffMs ?? 1000 },
          removeOnComplete: KEEP_FINISHED,
          removeOnFail: KEEP_FINISHED,
        });
        added++;
      }
      return added;
    },
    counts: () => queue.getJobCounts("wait", "active", "delayed", "completed", "failed"),
    close: () => queue.close(),
  };
}

export type JobHandlers<T extends JobTypes> = { [N in keyof T]: (data: T[N], id: string) => Promise<void> };

export interface JobWorkerOptions {
  concurrency?: number;
  /** How long a job's lock lasts without renewal: how soon a dead worker's job is retried. */
  lockMs?: number;
  onEvent?: (
    event: "started" | "completed" | "failed",
    job: { name: string; id: string; data: unknown },
    detail?: string,
  ) => void;
}

/** A worker taking every kind of job from the shared queue until `close()`. */
export async function startRedisJobWorker<T extends JobTypes>(
  redisUrl: string,
  handlers: JobHandlers<T>,
  options: JobWorkerOptions = {},
): Promise<{ close(): Promise<void> }> {
  const lockDuration = options.lockMs ?? 30_000;
  if (!Number.isFinite(lockDuration) || lockDuration < 1000)
    throw new PalisadeError("bad-usage", `lock duration must be at least 1 s, got ${lockDuration} ms`);
  const connection = redisConnection(redisUrl);
  const { Worker } = await bullmq();
  const describe = (job: { name: string; id?: string | undefined; data: unknown }) => ({
    name: job.name,
    id: job.id ?? "",
    data: job.data,
  });
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      const handler = (handlers as Record<string, ((data: unknown, id: string) => Promise<void>) | undefined>)[
        job.name
      ];
      // A job of a kind this worker does not know (a newer producer): failed with the reason, kept.
      if (!handler) throw new PalisadeError("bad-input", `no handler for jobs of kind "${job.name}"`);
      options.onEvent?.("started", describe(job));
      await handler(job.data, job.id ?? "");
    },
    {
      connection,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on("completed", (job) => options.onEvent?.("completed", describe(job)));
  worker.on("failed", (job, error) => job && options.onEvent?.("failed", describe(job), error.message));
  return { close: () => worker.close() };
}
