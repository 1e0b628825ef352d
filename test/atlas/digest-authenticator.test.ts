import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { pino } from "pino";
import type { Counter } from "prom-client";
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
  client: AtlasClient;
  metrics: Metrics;
}

/** Starts a simulator with one flex cluster and a client that signs with its API key. */
async function setUp(t: TestContext, privateKey?: string): Promise<Fixture> {
  const sim = await startAtlasSimulator();
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  sim.addRestoreJobs(PROJECT_ID, CLUSTER, 3);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("atlas-digest");
  const metrics = new Metrics();
  const { atlas } = makeTestConfig({
    atlas: {
      baseUrl: sim.url,
      credentials: {
        kind: "api-key",
        publicKey: sim.publicApiKey,
        privateKey: privateKey ?? sim.privateApiKey,
      },
    },
  });
  const logger = pino({ level: "silent" });
  const client = new AtlasClient({ atlas, redis, keyPrefix, metrics, logger });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim, client, metrics };
}

async function counterValue(counter: Counter<string>, labels: Record<string, string>) {
  const { values } = await counter.get();
  const match = values.find((value) =>
    Object.entries(labels).every(([name, expected]) => value.labels[name] === expected),
  );
  return match?.value ?? 0;
}

describe("HTTP Digest authentication", () => {
  it("passes the simulator's hash check", async (t) => {
    const { sim, client } = await setUp(t);

    const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

    assert.equal(listing.jobs.length, 3);
    assert.deepEqual(sim.digestChallenges, ["unauthenticated"]);
    assert.deepEqual(
      sim.requests.map((request) => request.status),
      [401, 200],
    );
    assert.equal(sim.tokenRequests, 0);
  });

  it("reuses the nonce on later calls", async (t) => {
    const { sim, client } = await setUp(t);

    for (let call = 0; call < 5; call++) await client.listRestoreJobs(PROJECT_ID, CLUSTER);

    assert.equal(sim.requests.length, 6);
    assert.deepEqual(sim.digestChallenges, ["unauthenticated"]);
  });

  it("gives concurrent calls distinct nonce counts", async (t) => {
    const { sim, client } = await setUp(t);
    await client.listRestoreJobs(PROJECT_ID, CLUSTER);

    await Promise.all(
      Array.from({ length: 10 }, () => client.listRestoreJobs(PROJECT_ID, CLUSTER)),
    );

    assert.deepEqual(sim.digestChallenges, ["unauthenticated"]);
    assert.equal(sim.requests.length, 12);
  });

  it("answers a stale nonce with one fresh challenge", async (t) => {
    const { sim, client } = await setUp(t);
    await client.listRestoreJobs(PROJECT_ID, CLUSTER);
    sim.expireDigestNonces();

    const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

    assert.equal(listing.requests, 2);
    assert.deepEqual(sim.digestChallenges, ["unauthenticated", "stale-nonce"]);
  });

  it("does not count the challenge as an error", async (t) => {
    const { client, metrics } = await setUp(t);

    await client.listRestoreJobs(PROJECT_ID, CLUSTER);

    const labels = { endpoint: "restoreJobs", status_code: "401" };
    assert.equal(await counterValue(metrics.atlasRequests, { ...labels, outcome: "challenge" }), 1);
    assert.equal(await counterValue(metrics.atlasRequests, { ...labels, outcome: "error" }), 0);
  });

  it("rejects a wrong private key as a global error", async (t) => {
    const { sim, client } = await setUp(t, "wrong-private-key");

    await assert.rejects(client.listRestoreJobs(PROJECT_ID, CLUSTER), (err) => {
      assert.ok(err instanceof AtlasApiError);
      assert.equal(err.errorCode, "CREDENTIALS_REJECTED");
      assert.equal(err.scope, "global");
      assert.equal(err.retryable, false);
      assert.equal(err.projectId, PROJECT_ID);
      assert.match(err.message, /MONGODB_ATLAS_PRIVATE_API_KEY/);
      assert.equal(err.message.includes("wrong-private-key"), false);
      return true;
    });
    assert.deepEqual(sim.digestChallenges, ["unauthenticated", "wrong-response"]);
    assert.equal(sim.requests.length, 2);
  });
});
