/**
 * `palisade scan registry HOST[/REPO]`: scan every image of a registry not scanned yet (by
 * digest), in this process or through the shared Redis queue for `palisade worker`s.
 */
import type { Command } from "commander";
import { PalisadeError } from "../../core/index.js";
import type { ImageJob } from "../../scan/image/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import { alreadyScanned, registryCredentials, runImageJob } from "../image-jobs.js";
import { renderTable } from "../output.js";
import { type QueueFlags, queueOptions, redisUrlOf } from "../queue-options.js";

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
    "scanned in this process",
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
      const ctx = await context(cmd.optsWithGlobals());
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new PalisadeError(
          "bad-usage",
          `--concurrency ${flags.concurrency}: expected a whole number of at least 1`,
        );
      const redisUrl = flags.queue === "redis" ? redisUrlOf(flags) : undefined;
      const { createMemoryQueue, createRedisQueue, listRegistryJobs } = await import("../../scan/image/index.js");
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
