/**
 * `palisade worker`: takes jobs from the shared Redis queue until stopped, whatever their kind:
 * registry image scans (from `scan registry --queue redis`) and batches of runtime sensor events
 * (from `events serve --queue redis`), stored and correlated into incidents. Any number of
 * workers on any number of machines share one queue and one store.
 */
import type { Command } from "commander";
import { PalisadeError, startRedisJobWorker } from "../../core/index.js";
import type { EventJobTypes } from "../../incident/index.js";
import type { ImageJobTypes } from "../../scan/image/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import { runImageJob } from "../image-jobs.js";
import { redisUrlOf } from "../queue-options.js";

interface WorkerFlags {
  redisUrl?: string;
  concurrency: string;
  lockSeconds: string;
  rules?: string[];
  policy?: string[];
}

export function registerWorker(program: Command, context: Contextual): Command {
  const command = program
    .command("worker")
    .description(
      "take jobs from the shared Redis queue (registry image scans, runtime event batches) and record the results, until stopped",
    )
    .option("--redis-url <url>", "the shared queue's Redis (default: PALISADE_REDIS_URL)")
    .addOption(formatOption())
    .option("--concurrency <n>", "jobs at once", "1")
    .option(
      "--lock-seconds <s>",
      "how long a job stays locked without a heartbeat: how soon a dead worker's job is retried",
      "30",
    )
    .option("--rules <paths...>", "more correlation rule files or folders, for event batches")
    .option("--policy <files...>", "policy whose alert sinks are told of new incidents")
    .action(async (flags: WorkerFlags, cmd: Command) => {
      const ctx = await context(cmd.optsWithGlobals());
      const url = redisUrlOf(flags);
      const concurrency = Number(flags.concurrency);
      const lockSeconds = Number(flags.lockSeconds);
      if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isFinite(lockSeconds) || lockSeconds < 1)
        throw new PalisadeError("bad-usage", "--concurrency and --lock-seconds must be at least 1");
      const [
        { createEventIngestor, EVENT_BATCH_JOB, incidentAlert, parseEventBatchJob },
        { IMAGE_SCAN_JOB },
        { alertDispatcher, correlatorFor },
      ] = await Promise.all([
        import("../../incident/index.js"),
        import("../../scan/image/index.js"),
        import("./events.js"),
      ]);
      const store = ctx.openStore({ eventWriter: true });
      await store.migrate();
      const dispatcher = await alertDispatcher(ctx, flags.policy);
      const ingestor = createEventIngestor({
        store,
        correlator: correlatorFor(ctx, store, flags.rules),
        // The events stay stored; the next batch's run (or events serve's timer) correlates them.
        onCorrelationError: (error) =>
          ctx.logger.error({ err: (error as Error).message }, "correlation failed; the events are stored"),
        onChanges: (changes) => {
          for (const change of changes) {
            ctx.logger.warn(
              { incident: change.incident.id, severity: change.incident.severity, change: change.change },
              change.incident.title,
            );
            dispatcher?.dispatch(incidentAlert(change));
          }
        },
      });
      const worker = await startRedisJobWorker<ImageJobTypes & EventJobTypes>(
        url,
        {
          [IMAGE_SCAN_JOB]: (job) => runImageJob(job, store, ctx.logger),
          [EVENT_BATCH_JOB]: async (data, id) => {
            const batch = parseEventBatchJob(data, id);
            const run = await ingestor.ingest(batch.events);
            ctx.logger.info(
              { job: id, source: batch.source, events: batch.events.length, correlated: run.events },
              "events stored",
            );
          },
        },
        {
          concurrency,
          lockMs: lockSeconds * 1000,
          onEvent: (event, job, detail) => {
            const about =
              job.name === IMAGE_SCAN_JOB
                ? (() => {
                    const image = job.data as ImageJobTypes[typeof IMAGE_SCAN_JOB];
                    return { image: image.tag ?? image.reference, digest: image.digest };
                  })()
                : { job: job.id };
            ctx.logger.info({ event, kind: job.name, ...about, ...(detail ? { detail } : {}) }, `job ${event}`);
          },
        },
      );
      ctx.logger.info({ queue: "redis", concurrency }, "worker ready");
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
      });
      await worker.close();
      await dispatcher?.close();
      await store.close();
    });
  withExamples(command, [
    "palisade worker --redis-url redis://queue.acme.internal:6379",
    "palisade worker --redis-url redis://127.0.0.1:6379 --concurrency 2 --db postgres://palisade@db/palisade",
  ]);
  return command;
}
