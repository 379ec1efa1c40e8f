import { Redis } from "ioredis";
import { redisSkipReason, startRedis } from "../../test/helpers/redis.js";
import { runLimiterContract } from "./limits.contract.js";
import { createMemoryLimiter, createRedisLimiter } from "./limits.js";

runLimiterContract("memory", async (clock) => ({ limiter: createMemoryLimiter({ clock }), done: async () => {} }));

const skip = redisSkipReason();
runLimiterContract(
  "redis",
  async (clock) => {
    const server = await startRedis();
    const limiter = createRedisLimiter(new Redis(server.url), { clock });
    return {
      limiter,
      done: async () => {
        await limiter.close();
        await server.stop();
      },
    };
  },
  skip ? { skip } : {},
);
