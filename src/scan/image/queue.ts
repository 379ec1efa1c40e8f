/**
 * The queue of image scans: in-process by default, or the shared Redis job queue (core/jobs.ts)
 * when several workers (on any number of machines) share the work. A job is keyed by the image
 * digest, so the same image is never queued twice while it waits.
 */
import { createRedisJobQueue } from "../../core/index.js";

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

/** The job name of an image scan on the shared queue. */
export const IMAGE_SCAN_JOB = "image-scan";
export type ImageJobTypes = { [IMAGE_SCAN_JOB]: ImageJob };

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

/** The shared queue (producer side): a finished scan of a digest is replaced, so it runs again. */
export async function createRedisQueue(
  redisUrl: string,
): Promise<JobQueue & { counts(): Promise<Record<string, number>> }> {
  const queue = await createRedisJobQueue<ImageJobTypes>(redisUrl);
  return {
    enqueue: (jobs) =>
      queue.enqueue(
        IMAGE_SCAN_JOB,
        jobs.map((job) => ({ id: job.digest, data: job })),
        { replace: "finished" },
      ),
    counts: () => queue.counts(),
    close: () => queue.close(),
  };
}
