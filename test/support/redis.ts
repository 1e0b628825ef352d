import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** Redis URL the tests use: `REDIS_URL`, or the local default. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** Returns a key prefix no other test run uses, so tests clean up only their own keys. */
export function uniqueKeyPrefix(name: string): string {
  return `fwtest-${name}-${randomBytes(4).toString("hex")}`;
}

/** Opens a connection to the test Redis with the settings BullMQ workers need. */
export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
}

/**
 * Deletes every key that contains `prefix`, which covers both plain keys (`prefix:…`) and
 * hash-tagged ones (`{prefix…}:…`).
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `*${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
