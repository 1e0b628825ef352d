import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it, type TestContext } from "node:test";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { AccessTokenProvider } from "../../src/atlas/access-token-provider.ts";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  startAtlasSimulator,
} from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

interface Fixture {
  sim: AtlasSimulator;
  redis: Redis;
  keyPrefix: string;
  tokenKey: string;
  metrics: Metrics;
  makeProvider: (clientSecret?: string) => AccessTokenProvider;
}

async function setUp(t: TestContext, simOptions: AtlasSimulatorOptions = {}): Promise<Fixture> {
  const sim = await startAtlasSimulator(simOptions);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("atlas-token");
  const metrics = new Metrics();
  const clientHash = createHash("sha256").update(sim.clientId).digest("hex").slice(0, 16);
  const makeProvider = (clientSecret = sim.clientSecret) =>
    new AccessTokenProvider({
      baseUrl: sim.url,
      credentials: { kind: "service-account", clientId: sim.clientId, clientSecret },
      redis,
      keyPrefix,
      metrics,
      logger: pino({ level: "silent" }),
      requestTimeoutMs: 5000,
    });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  const tokenKey = `${keyPrefix}:atlas-token:${clientHash}`;
  return { sim, redis, keyPrefix, tokenKey, metrics, makeProvider };
}

describe("AccessTokenProvider", () => {
  it("caches the token in Redis below its lifetime", async (t) => {
    const { redis, tokenKey, makeProvider } = await setUp(t);

    const token = await makeProvider().getToken();

    assert.equal(await redis.get(tokenKey), token);
    const ttlMs = await redis.pttl(tokenKey);
    assert.ok(ttlMs <= HOUR_MS - 5 * MINUTE_MS, `TTL ${ttlMs} ms keeps no margin`);
    assert.ok(ttlMs > HOUR_MS - 6 * MINUTE_MS, `TTL ${ttlMs} ms is too short`);
  });

  it("caches a short-lived token for half its lifetime", async (t) => {
    const { redis, tokenKey, makeProvider } = await setUp(t, { tokenLifetimeSeconds: 60 });

    await makeProvider().getToken();

    const ttlMs = await redis.pttl(tokenKey);
    assert.ok(ttlMs > 0 && ttlMs <= 30_000, `TTL ${ttlMs} ms`);
  });

  it("shares one request among concurrent callers", async (t) => {
    const { sim, makeProvider } = await setUp(t);
    const provider = makeProvider();

    const pending = Array.from({ length: 10 }, () => provider.getToken());
    const tokens = await Promise.all(pending);

    // One shared promise, so callers do not even queue on the Redis lock.
    assert.equal(new Set(pending).size, 1);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(sim.tokenRequests, 1);
  });

  it("lets two replicas starting together mint one token", async (t) => {
    const { sim, makeProvider } = await setUp(t);
    // A slow token endpoint keeps the first mint in flight while the second replica requests one.
    sim.injectFault({ pathIncludes: "/oauth/token", delayMs: 300 });

    const [first, second] = await Promise.all([
      makeProvider().getToken(),
      makeProvider().getToken(),
    ]);

    assert.equal(first, second);
    assert.equal(sim.tokenRequests, 1);
  });

  it("invalidates only the token that was rejected", async (t) => {
    const { sim, redis, tokenKey, makeProvider } = await setUp(t);
    const provider = makeProvider();
    const token = await provider.getToken();

    await provider.invalidate("sim_at_some_older_token");
    assert.equal(await redis.get(tokenKey), token);

    await provider.invalidate(token);
    assert.equal(await redis.get(tokenKey), null);
    const renewed = await provider.getToken();
    assert.notEqual(renewed, token);
    assert.equal(sim.tokenRequests, 2);
  });

  it("rejects wrong credentials as invalid_client", async (t) => {
    const { redis, tokenKey, metrics, makeProvider } = await setUp(t);

    await assert.rejects(makeProvider("wrong-secret").getToken(), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.errorCode, "invalid_client");
      assert.equal(err.scope, "global");
      assert.equal(err.endpoint, "/api/oauth/token");
      assert.equal(err.message.includes("wrong-secret"), false);
      return true;
    });
    assert.equal(await redis.get(tokenKey), null);
    const { values } = await metrics.atlasTokenRequests.get();
    assert.deepEqual(
      values.map((value) => [value.labels.outcome, value.value]),
      [["error", 1]],
    );
  });

  it("reports the token rate limit as a global error", async (t) => {
    const { sim, redis, tokenKey, makeProvider } = await setUp(t, { tokenRequestsPerMinute: 1 });
    const provider = makeProvider();
    await provider.getToken();
    await redis.del(tokenKey);

    await assert.rejects(provider.getToken(), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.status, 429);
      assert.equal(err.scope, "global");
      assert.equal(err.retryable, false);
      assert.match(err.message, /10 requests a minute/);
      return true;
    });
    assert.equal(sim.tokenRequests, 1);
  });

  it("rejects a token response without access_token", async (t) => {
    const { sim, makeProvider } = await setUp(t);
    sim.injectFault({ pathIncludes: "/oauth/token", status: 200, body: { token_type: "Bearer" } });

    await assert.rejects(makeProvider().getToken(), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.errorCode, "INVALID_RESPONSE");
      assert.match(err.message, /"access_token"/);
      return true;
    });
  });
});
