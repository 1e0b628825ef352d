import { Redis } from "ioredis";
import type { Config } from "../config/config.ts";
import { createLogger, type Logger } from "../logger.ts";
import { Metrics } from "../metrics/metrics.ts";
import { createPipeline, type Pipeline } from "../queue/pipeline.ts";

/** The long-lived parts a `run` or `once` process shares. */
export interface Runtime {
  config: Config;
  logger: Logger;
  redis: Redis;
  metrics: Metrics;
  pipeline: Pipeline;
  close(): Promise<void>;
}

/**
 * Connects to Redis and wires the pipeline. BullMQ workers need `maxRetriesPerRequest: null`,
 * so that a blocking command survives a Redis reconnect instead of failing the worker.
 */
export async function openRuntime(
  config: Config,
  logger = createLogger(config.logLevel),
): Promise<Runtime> {
  const redis = new Redis(config.redis.url, {
    maxRetriesPerRequest: null,
    connectionName: "flexwatch",
    lazyConnect: true,
  });
  redis.on("error", (err) => logger.warn({ err }, "redis connection error"));
  await connectRedis(redis, config.redis.url);
  await warnOnEvictionPolicy(redis, logger);

  const metrics = new Metrics();
  const pipeline = createPipeline({ config, redis, metrics, logger });

  return {
    config,
    logger,
    redis,
    metrics,
    pipeline,
    async close() {
      await pipeline.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

async function connectRedis(redis: Redis, url: string): Promise<void> {
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `cannot connect to Redis at ${redactRedisUrl(url)}: ${(err as Error).message}; start Redis or set REDIS_URL`,
      { cause: err },
    );
  }
}

/** BullMQ loses jobs when Redis evicts keys, so anything but noeviction is worth a warning. */
async function warnOnEvictionPolicy(redis: Redis, logger: Logger): Promise<void> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    const policy = reply[1];
    if (policy !== undefined && policy !== "noeviction") {
      logger.warn({ policy }, "redis maxmemory-policy is not noeviction; queued jobs can be lost");
    }
  } catch {
    // Managed Redis services often forbid CONFIG; the policy then cannot be checked here.
  }
}

/** Returns the Redis URL with any password replaced, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "redacted";
    return parsed.toString();
  } catch {
    return "[invalid URL]";
  }
}
