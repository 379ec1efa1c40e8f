/** `--queue memory|redis` and `--redis-url`: where a command's jobs go (commands that queue work). */
import { type Command, Option } from "commander";
import { PalisadeError } from "../core/index.js";

export interface QueueFlags {
  queue: "memory" | "redis";
  redisUrl?: string;
}

export function queueOptions(command: Command, memory: string): Command {
  return command
    .addOption(
      new Option("--queue <kind>", `where the work goes: ${memory}, or the Redis queue palisade workers take from`)
        .choices(["memory", "redis"])
        .default("memory"),
    )
    .option("--redis-url <url>", "the Redis of --queue redis (default: PALISADE_REDIS_URL)");
}

export function redisUrlOf(flags: Pick<QueueFlags, "redisUrl">): string {
  const url = flags.redisUrl ?? process.env.PALISADE_REDIS_URL;
  if (!url) throw new PalisadeError("bad-usage", "--queue redis needs --redis-url or PALISADE_REDIS_URL");
  if (!/^rediss?:\/\//.test(url))
    throw new PalisadeError("bad-usage", `${url}: expected a redis:// URL`, { input: url });
  return url;
}
