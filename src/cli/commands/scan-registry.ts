/**
 * `palisade scan registry HOST[/REPO]`: scan every image of a registry not scanned yet (by
 * digest), in this process or through the shared Redis queue for `palisade worker`s; and
 * `palisade worker`, which takes image jobs from that queue until stopped.
 */
import { type Command, Option } from "commander";
import { PalisadeError } from "../../core/index.js";
import {
  createMemoryQueue,
  createRedisQueue,
  type ImageJob,
  listRegistryJobs,
  startRedisWorker,
} from "../../scan/image/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext, GlobalOptions } from "../context.js";
import { alreadyScanned, registryCredentials, runImageJob } from "../image-jobs.js";
import { renderTable } from "../output.js";

type Contextual = (globals: GlobalOptions) => CommandContext;

interface QueueFlags {
  queue: "memory" | "redis";
  redisUrl?: string;
}

function queueOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--queue <kind>", "where jobs go: this process, or Redis for palisade workers")
        .choices(["memory", "redis"])
        .default("memory"),
    )
    .option("--redis-url <url>", "the Redis of --queue redis (default: PALISADE_REDIS_URL)");
}

function redisUrlOf(flags: QueueFlags): string {
  const url = flags.redisUrl ?? process.env.PALISADE_REDIS_URL;
  if (!url) throw new PalisadeError("bad-usage", "--queue redis needs --redis-url or PALISADE_REDIS_URL");
  if (!/^rediss?:\/\//.test(url))
    throw new PalisadeError("bad-usage", `${url}: expected a redis:// URL`, { input: url });
  return url;
}

export function registerScanRegistry(scan: Command, context: Contextual): Command {
  const command = queueOptions(
    scan
      .command("registry")
      .description("scan every image of a registry (or one repository) that was not scanned yet, by digest")
      .argument("<target>", "HOST[:PORT] (the whole catalog) or HOST[:PORT]/REPOSITORY")
      .addOption(formatOption())
      .option("--insecure", "plain HTTP and unverified TLS (a registry on this machine)")
      .option("--platform <os/arch>", "which image of multi-platform tags (default linux/amd64)")
      .option("--concurrency <n>", "images scanned at once with --queue memory", "2")
      .option("--rescan", "scan digests the store has already seen"),
  ).action(
    async (
      target: string,
      flags: QueueFlags & {
        format: string;
        insecure?: boolean;
        platform?: string;
        concurrency: string;
        rescan?: boolean;
      },
      cmd: Command,
    ) => {
      const ctx = context(cmd.optsWithGlobals());
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new PalisadeError(
          "bad-usage",
          `--concurrency ${flags.concurrency}: expected a whole number of at least 1`,
        );
      const redisUrl = flags.queue === "redis" ? redisUrlOf(flags) : undefined;
      const jobs = await listRegistryJobs(target, {
        ...(flags.insecure ? { insecure: true } : {}),
        ...(flags.platform ? { platform: flags.platform } : {}),
        ...registryCredentials(),
      });
      const store = ctx.openStore();
      try {
        await store.migrate();
        const fresh: ImageJob[] = [];
        const status = new Map<string, string>();
        for (const job of jobs) {
          if (!flags.rescan && (await alreadyScanned(store, job.digest))) status.set(job.digest, "already scanned");
          else fresh.push(job);
        }
        if (redisUrl) {
          const queue = await createRedisQueue(redisUrl);
          try {
            const added = await queue.enqueue(fresh);
            for (const job of fresh) status.set(job.digest, "queued");
            ctx.logger.info({ listed: jobs.length, queued: added }, "jobs queued for palisade workers");
          } finally {
            await queue.close();
          }
        } else {
          const queue = createMemoryQueue(async (job) => {
            await runImageJob(job, store, ctx.logger);
            status.set(job.digest, "scanned");
          }, concurrency);
          await queue.enqueue(fresh);
          for (const failure of await queue.idle()) status.set(failure.job.digest, `failed: ${failure.error}`);
        }
        const rows = jobs.map((j) => ({
          tag: j.tag ?? j.reference,
          digest: j.digest,
          status: status.get(j.digest) ?? "",
        }));
        if (flags.format === "json") ctx.out.json({ target, images: rows });
        else
          ctx.out.text(
            renderTable(
              ["TAG", "DIGEST", "STATUS"],
              rows.map((r) => [r.tag, r.digest.slice(0, 19), r.status]),
            ),
          );
        const failed = rows.filter((r) => r.status.startsWith("failed"));
        if (failed.length > 0)
          throw new PalisadeError("bad-input", `${failed.length} of ${rows.length} image(s) could not be scanned`);
      } finally {
        await store.close();
      }
    },
  );
  withExamples(command, [
    "palisade scan registry registry.acme.internal",
    "palisade scan registry 127.0.0.1:5000/team/vllm --insecure",
    "palisade scan registry ghcr.io/acme/models --queue redis --redis-url redis://queue.acme.internal:6379",
  ]);
  return command;
}

export function registerWorker(program: Command, context: Contextual): Command {
  const command = queueOptions(
    program
      .command("worker")
      .description("take image scan jobs from the shared Redis queue and record the results, until stopped")
      .addOption(formatOption())
      .option("--concurrency <n>", "jobs at once", "1")
      .option(
        "--lock-seconds <s>",
        "how long a job stays locked without a heartbeat: how soon a dead worker's job is retried",
        "30",
      ),
  ).action(async (flags: QueueFlags & { concurrency: string; lockSeconds: string }, cmd: Command) => {
    const ctx = context(cmd.optsWithGlobals());
    if (flags.queue !== "redis" && !flags.redisUrl && !process.env.PALISADE_REDIS_URL)
      throw new PalisadeError("bad-usage", "a worker takes jobs from Redis: give --redis-url or PALISADE_REDIS_URL");
    const url = redisUrlOf(flags);
    const concurrency = Number(flags.concurrency);
    const lockSeconds = Number(flags.lockSeconds);
    if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isFinite(lockSeconds) || lockSeconds < 1)
      throw new PalisadeError("bad-usage", "--concurrency and --lock-seconds must be at least 1");
    const store = ctx.openStore();
    await store.migrate();
    const { close } = await startRedisWorker(url, (job) => runImageJob(job, store, ctx.logger), {
      concurrency,
      lockMs: lockSeconds * 1000,
      onEvent: (event, job, detail) =>
        ctx.logger.info(
          { event, image: job.tag ?? job.reference, digest: job.digest, ...(detail ? { detail } : {}) },
          `job ${event}`,
        ),
    });
    ctx.logger.info({ queue: "redis", concurrency }, "worker ready");
    await new Promise<void>((resolve) => {
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
    });
    await close();
    await store.close();
  });
  withExamples(command, [
    "palisade worker --redis-url redis://queue.acme.internal:6379",
    "palisade worker --redis-url redis://127.0.0.1:6379 --concurrency 2 --db postgres://palisade@db/palisade",
  ]);
  return command;
}
