import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import type { Redis } from "ioredis";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { ProjectRateLimiter } from "../../src/atlas/project-rate-limiter.ts";
import type { AtlasRateLimitConfig } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const OTHER_PROJECT_ID = "5f1e8a2c9b7d4e3f6a0b1c2d";
const REQUEST = { endpoint: "/api/atlas/v2/groups/x", context: { projectId: PROJECT_ID } };

interface Fixture {
  redis: Redis;
  keyPrefix: string;
  metrics: Metrics;
  /** A limiter as one replica holds it; all share the fixture's Redis and key prefix. */
  makeLimiter: () => ProjectRateLimiter;
}

async function setUp(t: TestContext, rateLimit: AtlasRateLimitConfig): Promise<Fixture> {
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("atlas-rate-limit");
  const metrics = new Metrics();
  const makeLimiter = () => new ProjectRateLimiter({ redis, keyPrefix, rateLimit, metrics });

  t.after(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { redis, keyPrefix, metrics, makeLimiter };
}

async function acquireMany(limiter: ProjectRateLimiter, count: number): Promise<number[]> {
  const waits: number[] = [];
  for (let request = 0; request < count; request++) {
    waits.push(await limiter.acquire(PROJECT_ID, 10_000, REQUEST));
  }
  return waits;
}

describe("ProjectRateLimiter", () => {
  it("bursts up to the capacity without waiting", async (t) => {
    const { makeLimiter } = await setUp(t, { capacity: 5, refillPerMinute: 1, minRemaining: 0 });

    const waits = await acquireMany(makeLimiter(), 5);

    assert.deepEqual(waits, [0, 0, 0, 0, 0]);
  });

  it("waits for the refill once empty", async (t) => {
    // 600 a minute is one token every 100 ms.
    const { makeLimiter, metrics } = await setUp(t, {
      capacity: 1,
      refillPerMinute: 600,
      minRemaining: 0,
    });

    const waits = await acquireMany(makeLimiter(), 3);

    assert.equal(waits[0], 0);
    assert.ok((waits[1] ?? 0) > 0, `second request waited ${waits[1]} ms`);
    assert.ok((waits[2] ?? 0) > 0, `third request waited ${waits[2]} ms`);
    const { values } = await metrics.atlasRateLimitWait.get();
    assert.equal(values[0]?.labels.project_id, PROJECT_ID);
    assert.ok((values[0]?.value ?? 0) > 0);
  });

  it("shares one bucket between replicas", async (t) => {
    const { makeLimiter } = await setUp(t, { capacity: 2, refillPerMinute: 1, minRemaining: 0 });
    await makeLimiter().acquire(PROJECT_ID, 0, REQUEST);
    await makeLimiter().acquire(PROJECT_ID, 0, REQUEST);

    await assert.rejects(makeLimiter().acquire(PROJECT_ID, 0, REQUEST), AtlasApiError);
  });

  it("keeps projects apart under one hash tag each", async (t) => {
    const { redis, keyPrefix, makeLimiter } = await setUp(t, {
      capacity: 1,
      refillPerMinute: 1,
      minRemaining: 0,
    });
    const limiter = makeLimiter();
    await limiter.acquire(PROJECT_ID, 0, REQUEST);

    assert.equal(await limiter.acquire(OTHER_PROJECT_ID, 0, REQUEST), 0);
    assert.equal(await redis.exists(`${keyPrefix}:ratelimit:{${PROJECT_ID}}`), 1);
    assert.ok((await redis.pttl(`${keyPrefix}:ratelimit:{${PROJECT_ID}}`)) > 0);
  });

  it("rejects a wait beyond the limit without taking a token", async (t) => {
    const { makeLimiter } = await setUp(t, { capacity: 1, refillPerMinute: 1, minRemaining: 0 });
    const limiter = makeLimiter();
    await limiter.acquire(PROJECT_ID, 0, REQUEST);

    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(limiter.acquire(PROJECT_ID, 1000, REQUEST), (err) => {
        assert.ok(err instanceof AtlasApiError);
        assert.equal(err.errorCode, "CLIENT_RATE_LIMITED");
        assert.equal(err.retryable, true);
        assert.equal(err.projectId, PROJECT_ID);
        // Had the first rejection reserved a token, the second would be two minutes away.
        assert.ok((err.retryAfterMs ?? 0) <= 60_000, `retryAfterMs ${err.retryAfterMs}`);
        return true;
      });
    }
  });

  it("drains the bucket when Atlas reports few remaining", async (t) => {
    const { makeLimiter } = await setUp(t, {
      capacity: 1200,
      refillPerMinute: 500,
      minRemaining: 100,
    });
    const replica = makeLimiter();

    await replica.observeRemaining(PROJECT_ID, 40);

    await assert.rejects(makeLimiter().acquire(PROJECT_ID, 1000, REQUEST), (err) => {
      assert.ok(err instanceof AtlasApiError);
      // 61 tokens at 500 a minute: about 7.3 s until the next request.
      assert.ok((err.retryAfterMs ?? 0) > 7000, `retryAfterMs ${err.retryAfterMs}`);
      return true;
    });
  });

  it("ignores a comfortable RateLimit-Remaining", async (t) => {
    const { makeLimiter } = await setUp(t, { capacity: 10, refillPerMinute: 1, minRemaining: 100 });
    const limiter = makeLimiter();

    await limiter.observeRemaining(PROJECT_ID, 100);
    await limiter.observeRemaining(PROJECT_ID, Number.NaN);

    assert.deepEqual(await acquireMany(limiter, 10), Array(10).fill(0));
  });

  it("pauses every replica after a 429", async (t) => {
    const { makeLimiter } = await setUp(t, {
      capacity: 1200,
      refillPerMinute: 500,
      minRemaining: 0,
    });

    await makeLimiter().pause(PROJECT_ID, 2000);

    await assert.rejects(makeLimiter().acquire(PROJECT_ID, 1000, REQUEST), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.ok((err.retryAfterMs ?? 0) >= 1900, `retryAfterMs ${err.retryAfterMs}`);
      return true;
    });
  });
});
