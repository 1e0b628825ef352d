import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { ChannelRateLimiter } from "../../src/alerts/channel-rate-limiter.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const INTERVAL_MS = 400;

describe("ChannelRateLimiter", () => {
  let redis: Redis;
  let keyPrefix: string;

  before(() => {
    redis = connectTestRedis();
    keyPrefix = uniqueKeyPrefix("rate");
  });
  after(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });

  test("later holders get slots one interval apart", async () => {
    const limiter = new ChannelRateLimiter({ redis, keyPrefix, intervalMs: INTERVAL_MS });

    const first = await limiter.acquire("#a", "alert-1");
    const second = await limiter.acquire("#a", "alert-2");
    const third = await limiter.acquire("#a", "alert-3");

    assert.equal(first, 0);
    assert.ok(second > 0, `second waits ${second}`);
    assert.ok(second <= INTERVAL_MS, `second waits ${second}`);
    assert.ok(third > INTERVAL_MS, `third waits ${third}`);
    assert.ok(third <= 2 * INTERVAL_MS, `third waits ${third}`);
  });

  test("holder keeps its slot and gets it after waiting", async () => {
    const limiter = new ChannelRateLimiter({ redis, keyPrefix, intervalMs: INTERVAL_MS });
    await limiter.acquire("#b", "alert-1");
    const waitMs = await limiter.acquire("#b", "alert-2");

    const early = await limiter.acquire("#b", "alert-2");
    await sleep(waitMs);
    const onTime = await limiter.acquire("#b", "alert-2");
    const newcomer = await limiter.acquire("#b", "alert-3");

    assert.ok(early > 0, `early ${early}`);
    assert.ok(early <= waitMs, `early ${early}`);
    assert.equal(onTime, 0);
    assert.ok(newcomer > 0, `newcomer ${newcomer}`);
  });

  test("channels are limited apart", async () => {
    const limiter = new ChannelRateLimiter({ redis, keyPrefix, intervalMs: INTERVAL_MS });

    assert.equal(await limiter.acquire("#c", "alert-1"), 0);
    assert.equal(await limiter.acquire("#d", "alert-2"), 0);
  });

  test("replicas share one schedule", async () => {
    const first = new ChannelRateLimiter({ redis, keyPrefix, intervalMs: INTERVAL_MS });
    const other = connectTestRedis();
    const second = new ChannelRateLimiter({ redis: other, keyPrefix, intervalMs: INTERVAL_MS });
    try {
      assert.equal(await first.acquire("#e", "alert-1"), 0);
      assert.ok((await second.acquire("#e", "alert-2")) > 0);
    } finally {
      await other.quit();
    }
  });

  test("deferChannel holds every post back", async () => {
    const limiter = new ChannelRateLimiter({ redis, keyPrefix, intervalMs: INTERVAL_MS });

    await limiter.deferChannel("#f", 3000);
    const waitMs = await limiter.acquire("#f", "alert-1");

    assert.ok(waitMs > 2500, `waits ${waitMs}`);
    assert.ok(waitMs <= 3000, `waits ${waitMs}`);
  });
});
