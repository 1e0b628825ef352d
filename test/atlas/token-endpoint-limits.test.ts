import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { AccessTokenProvider } from "../../src/atlas/access-token-provider.ts";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { AtlasClient } from "../../src/atlas/atlas-client.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { makeTestConfig } from "../support/test-config.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const CLUSTER = "orders-flex";

interface Fixture {
  sim: AtlasSimulator;
  redis: Redis;
  keyPrefix: string;
  /** A provider as another replica would create it: same Redis, own process state. */
  makeProvider: () => AccessTokenProvider;
  makeClient: () => AtlasClient;
}

async function setUp(t: TestContext): Promise<Fixture> {
  const sim = await startAtlasSimulator();
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("atlas-token-limits");
  const metrics = new Metrics();
  const logger = pino({ level: "silent" });
  const { atlas } = makeTestConfig({ atlas: { baseUrl: sim.url } });
  const credentials = {
    kind: "service-account",
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
  } as const;
  const makeProvider = () =>
    new AccessTokenProvider({
      baseUrl: sim.url,
      credentials,
      redis,
      keyPrefix,
      metrics,
      logger,
      requestTimeoutMs: 5000,
    });
  const makeClient = () => new AtlasClient({ atlas, redis, keyPrefix, metrics, logger });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim, redis, keyPrefix, makeProvider, makeClient };
}

function tokenRequests(sim: AtlasSimulator): number {
  return sim.requests.filter((request) => request.path === "/api/oauth/token").length;
}

describe("token endpoint limits", () => {
  it("reports 100 live tokens as a global error", async (t) => {
    const { sim, makeProvider } = await setUp(t);
    sim.injectFault({
      pathIncludes: "/oauth/token",
      status: 403,
      body: { error: "access_denied" },
    });

    await assert.rejects(makeProvider().getToken(), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.errorCode, "access_denied");
      assert.equal(err.scope, "global");
      assert.equal(err.retryable, false);
      assert.match(err.message, /too many live tokens \(100\), so revoke unused tokens/);
      return true;
    });
  });

  it("reports invalid_client as rejected credentials", async (t) => {
    const { sim, makeProvider } = await setUp(t);
    sim.injectFault({
      pathIncludes: "/oauth/token",
      status: 401,
      body: { error: "invalid_client" },
    });

    await assert.rejects(makeProvider().getToken(), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.scope, "global");
      assert.match(err.message, /credentials were rejected.*MONGODB_ATLAS_CLIENT_ID/);
      return true;
    });
  });

  it("keeps every replica off the endpoint for a minute", async (t) => {
    const { sim, makeProvider } = await setUp(t);
    sim.injectFault({ pathIncludes: "/oauth/token", status: 429, errorCode: "RATE_LIMITED" });
    await assert.rejects(makeProvider().getToken(), /HTTP 429 RATE_LIMITED/);

    for (let replica = 0; replica < 3; replica++) {
      await assert.rejects(makeProvider().getToken(), (err) => {
        assert.ok(err instanceof AtlasApiError);
        assert.equal(err.errorCode, "RATE_LIMITED");
        assert.equal(err.retryable, false);
        assert.match(err.message, /the next token request is in \d+ s/);
        return true;
      });
    }
    assert.equal(tokenRequests(sim), 1);
  });

  it("still serves a cached token during the backoff", async (t) => {
    const { sim, redis, keyPrefix, makeProvider } = await setUp(t);
    const token = await makeProvider().getToken();
    const [tokenKey = ""] = await redis.keys(`${keyPrefix}:atlas-token:*`);
    await redis.del(tokenKey);
    sim.injectFault({
      pathIncludes: "/oauth/token",
      status: 403,
      body: { error: "access_denied" },
    });
    await assert.rejects(makeProvider().getToken(), AtlasApiError);

    await redis.set(tokenKey, token);

    assert.equal(await makeProvider().getToken(), token);
    assert.equal(sim.tokenRequests, 1);
  });

  it("fails polls at once without retrying the endpoint", async (t) => {
    const { sim, makeClient } = await setUp(t);
    sim.injectFault({
      pathIncludes: "/oauth/token",
      status: 429,
      errorCode: "RATE_LIMITED",
      times: 10,
    });

    for (let poll = 0; poll < 5; poll++) {
      await assert.rejects(makeClient().listRestoreJobs(PROJECT_ID, CLUSTER), AtlasApiError);
    }

    assert.equal(tokenRequests(sim), 1);
    assert.equal(sim.requests.length, 1);
  });

  it("refreshes an expired token once", async (t) => {
    const { sim, makeClient } = await setUp(t);
    const client = makeClient();
    await client.listRestoreJobs(PROJECT_ID, CLUSTER);
    sim.revokeAllTokens();

    const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

    assert.equal(listing.requests, 2);
    assert.equal(sim.tokenRequests, 2);
  });
});
