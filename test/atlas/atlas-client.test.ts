import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { pino } from "pino";
import type { Counter } from "prom-client";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { AtlasClient, type AtlasClientOptions } from "../../src/atlas/atlas-client.ts";
import type { AtlasConfig } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  startAtlasSimulator,
} from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { makeTestConfig } from "../support/test-config.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const CLUSTER = "orders-flex";

interface Fixture {
  sim: AtlasSimulator;
  client: AtlasClient;
  metrics: Metrics;
  logLines: string[];
  makeClient: (overrides?: Partial<AtlasClientOptions>) => AtlasClient;
}

interface FixtureOptions {
  sim?: AtlasSimulatorOptions;
  atlas?: Partial<AtlasConfig>;
  client?: Partial<AtlasClientOptions>;
}

/** Starts a simulator with one flex cluster and a client on a fresh Redis key prefix. */
async function setUp(t: TestContext, options: FixtureOptions = {}): Promise<Fixture> {
  const sim = await startAtlasSimulator(options.sim);
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("atlas-client");
  const metrics = new Metrics();
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
  const atlas: AtlasConfig = {
    ...makeTestConfig().atlas,
    baseUrl: sim.url,
    apiVersion: "2024-11-13",
    pageSize: 500,
    requestTimeoutMs: 5000,
    credentials: {
      kind: "service-account",
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
    },
    ...options.atlas,
  };
  const makeClient = (overrides: Partial<AtlasClientOptions> = {}) =>
    new AtlasClient({
      atlas,
      redis,
      keyPrefix,
      metrics,
      logger,
      retryPolicy: { baseDelayMs: 10 },
      ...options.client,
      ...overrides,
    });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim, client: makeClient(), metrics, logLines, makeClient };
}

function restoreJobRequests(sim: AtlasSimulator) {
  return sim.requests.filter((request) => request.path.endsWith("/restoreJobs"));
}

async function counterValue(counter: Counter<string>, labels: Record<string, string>) {
  const { values } = await counter.get();
  const match = values.find((value) =>
    Object.entries(labels).every(([name, expected]) => value.labels[name] === expected),
  );
  return match?.value ?? 0;
}

async function rejection(promise: Promise<unknown>): Promise<AtlasApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AtlasApiError, `expected an AtlasApiError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to be rejected");
}

describe("AtlasClient.listRestoreJobs", () => {
  describe("when paging", () => {
    it("reads 1,200 jobs in three pages", async (t) => {
      const { sim, client } = await setUp(t);
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 1200);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 1200);
      assert.equal(new Set(listing.jobs.map((job) => job.id)).size, 1200);
      assert.deepEqual(
        listing.jobs.map((job) => job.id),
        sim.getRestoreJobs(PROJECT_ID, CLUSTER).map((job) => job.id),
      );
      assert.equal(listing.pages, 3);
      assert.equal(listing.requests, 3);
      assert.equal(listing.complete, true);
      const queries = restoreJobRequests(sim).map((request) => request.query);
      assert.deepEqual(
        queries.map((query) => query.pageNum),
        ["1", "2", "3"],
      );
      assert.ok(queries.every((query) => query.itemsPerPage === "500"));
    });

    it("keeps paging when the server caps pages at 100", async (t) => {
      const { sim, client } = await setUp(t, { sim: { maxItemsPerPage: 100 } });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 250);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 250);
      assert.equal(new Set(listing.jobs.map((job) => job.id)).size, 250);
      assert.equal(listing.pages, 3);
      assert.equal(listing.complete, true);
    });

    it("asks for no totalCount and pages without it", async (t) => {
      const { sim, client } = await setUp(t, { atlas: { pageSize: 100 } });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 150);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 150);
      assert.ok(restoreJobRequests(sim).every((request) => request.query.includeCount === "false"));
    });

    it("returns an empty list after one request", async (t) => {
      const { client } = await setUp(t);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.deepEqual(listing.jobs, []);
      assert.equal(listing.pages, 1);
      assert.equal(listing.requests, 1);
      assert.equal(listing.complete, true);
    });

    it("reads one more page after a full last page", async (t) => {
      const { sim, client } = await setUp(t, { atlas: { pageSize: 100 } });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 200);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 200);
      assert.equal(listing.pages, 3);
    });

    it("de-duplicates jobs that moved between pages", async (t) => {
      const { sim, client } = await setUp(t, { atlas: { pageSize: 100 } });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 150);
      const listed = sim.getRestoreJobs(PROJECT_ID, CLUSTER);
      // Page 1 shifted by one job, as if the list changed between reads, so page 2 repeats job 100.
      sim.injectFault({
        pathIncludes: "/restoreJobs",
        status: 200,
        body: {
          links: [{ rel: "next", href: "http://proxy.invalid/x" }],
          results: listed.slice(1, 101),
        },
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      // The repeat makes the client read page 1 again, which brings back the head job.
      assert.equal(listing.jobs.length, 150);
      assert.equal(new Set(listing.jobs.map((job) => job.id)).size, 150);
    });

    it("marks a listing cut at the page limit incomplete", async (t) => {
      const { sim, client } = await setUp(t, { atlas: { pageSize: 100 }, client: { maxPages: 2 } });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 300);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.complete, false);
      assert.equal(listing.pages, 2);
      assert.equal(listing.jobs.length, 200);
    });
  });

  describe("when parsing jobs", () => {
    it("never returns snapshotUrl", async (t) => {
      const { sim, client, logLines } = await setUp(t);
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 3, { deliveryType: "DOWNLOAD" });
      assert.ok(sim.getRestoreJobs(PROJECT_ID, CLUSTER).every((job) => job.snapshotUrl));

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 3);
      for (const job of listing.jobs) assert.equal("snapshotUrl" in job, false);
      assert.equal(JSON.stringify(listing).includes("restore-sim.invalid"), false);
      assert.equal(logLines.join("").includes("restore-sim.invalid"), false);
    });

    it("skips and logs items without a valid id", async (t) => {
      const { sim, client, logLines } = await setUp(t);
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 2);
      sim.addRestoreJob(PROJECT_ID, CLUSTER, { id: "not-an-object-id" });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 2);
      assert.equal(listing.skippedItems, 1);
      assert.ok(logLines.some((line) => line.includes("restore job without a valid id skipped")));
    });

    it("passes unknown statuses through", async (t) => {
      const { sim, client } = await setUp(t);
      const job = sim.addRestoreJob(PROJECT_ID, CLUSTER, { status: "CLOSED" });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.find((listed) => listed.id === job.id)?.status, "CLOSED");
    });

    it("rejects a page without results as INVALID_RESPONSE", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 200, body: { links: [] } });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.errorCode, "INVALID_RESPONSE");
      assert.equal(err.retryable, false);
      assert.match(err.message, /"results"/);
    });
  });

  describe("when Atlas fails for a moment", () => {
    it("retries a 500 and succeeds", async (t) => {
      const { sim, client, metrics } = await setUp(t);
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 5);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 500, errorCode: "UNEXPECTED_ERROR" });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 5);
      assert.equal(listing.requests, 2);
      assert.deepEqual(
        restoreJobRequests(sim).map((request) => request.status),
        [500, 200],
      );
      const errorLabels = { endpoint: "restoreJobs", outcome: "error", status_code: "500" };
      assert.equal(await counterValue(metrics.atlasRequests, errorLabels), 1);
      const successLabels = { endpoint: "restoreJobs", outcome: "success", status_code: "200" };
      assert.equal(await counterValue(metrics.atlasRequests, successLabels), 1);
    });

    it("waits for Retry-After after a 429", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({
        pathIncludes: "/restoreJobs",
        status: 429,
        errorCode: "RATE_LIMITED_TOKEN_BUCKET",
        headers: { "Retry-After": "1" },
      });

      await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      const [limited, retried] = restoreJobRequests(sim);
      assert.equal(limited?.status, 429);
      assert.equal(retried?.status, 200);
      assert.ok((retried?.at ?? 0) - (limited?.at ?? 0) >= 950, "retried before Retry-After");
    });

    it("retries a 400 whose code says RATE_LIMITED", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 400, errorCode: "RATE_LIMITED" });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.requests, 2);
      assert.deepEqual(
        restoreJobRequests(sim).map((request) => request.status),
        [400, 200],
      );
    });

    it("retries a timed-out request", async (t) => {
      const { sim, client } = await setUp(t, { atlas: { requestTimeoutMs: 200 } });
      sim.injectFault({ pathIncludes: "/restoreJobs", delayMs: 1000 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.requests, 2);
    });

    it("retries a dropped connection", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", dropConnection: true });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.requests, 2);
    });

    it("gives up after atlas.retry.attempts", async (t) => {
      const retry = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1000 };
      const { sim, client } = await setUp(t, { atlas: { retry } });
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 503, times: 5 });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.status, 503);
      assert.equal(err.scope, "transient");
      assert.equal(restoreJobRequests(sim).length, 3);
    });

    it("does not sleep through a Retry-After above the maximum delay", async (t) => {
      const { sim, client } = await setUp(t, { client: { retryPolicy: { maxDelayMs: 500 } } });
      sim.injectFault({
        pathIncludes: "/restoreJobs",
        status: 429,
        headers: { "Retry-After": "60" },
      });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.status, 429);
      assert.equal(err.retryAfterMs, 60_000);
      assert.equal(restoreJobRequests(sim).length, 1);
    });
  });

  describe("when Atlas rejects the request", () => {
    it("rejects a missing cluster without retrying", async (t) => {
      const { sim, client } = await setUp(t);

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, "gone-flex"));

      assert.equal(err.status, 404);
      assert.equal(err.errorCode, "CLUSTER_NOT_FOUND");
      assert.equal(err.scope, "cluster");
      assert.equal(err.retryable, false);
      assert.match(err.message, /\/groups\/32b6e34b3d91647abb20e7b8\/flexClusters\/gone-flex\//);
      assert.match(err.message, /projects\[\]\.clusters/);
      assert.equal(restoreJobRequests(sim).length, 1);
    });

    it("rejects a dedicated cluster with scope cluster", async (t) => {
      const { sim, client } = await setUp(t);
      sim.addDedicatedCluster(PROJECT_ID, "dedicated-m10");

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, "dedicated-m10"));

      assert.equal(err.status, 400);
      assert.equal(err.errorCode, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API");
      assert.equal(err.scope, "cluster");
    });

    it("rejects an unknown project with scope project", async (t) => {
      const { client } = await setUp(t);

      const err = await rejection(client.listRestoreJobs("aaaaaaaaaaaaaaaaaaaaaaaa", CLUSTER));

      assert.equal(err.errorCode, "GROUP_NOT_FOUND");
      assert.equal(err.scope, "project");
    });

    it("rejects an unserved API version with 406", async (t) => {
      const apiVersions = {
        restoreJobs: "2099-01-01",
        flexClusters: "2024-11-13",
        groups: "2023-01-01",
      };
      const { client } = await setUp(t, { atlas: { apiVersions } });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.status, 406);
      assert.equal(err.scope, "global");
      assert.equal(err.retryable, false);
    });

    it("rejects a retired API version with 410", async (t) => {
      const { client } = await setUp(t, { sim: { goneVersions: ["2024-11-13"] } });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.status, 410);
      assert.equal(err.errorCode, "VERSION_GONE");
      assert.equal(err.scope, "global");
    });

    it("rejects missing credentials before any request", async (t) => {
      const { sim, makeClient } = await setUp(t);
      const atlas: AtlasConfig = {
        ...makeTestConfig().atlas,
        baseUrl: sim.url,
        credentials: { kind: "none" },
      };

      const err = await rejection(makeClient({ atlas }).listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.errorCode, "MISSING_CREDENTIALS");
      assert.equal(err.scope, "global");
      assert.match(err.message, /MONGODB_ATLAS_PUBLIC_API_KEY/);
      assert.equal(sim.requests.length, 0);
    });
  });

  describe("when authenticating", () => {
    it("uses one token for many calls", async (t) => {
      const { sim, client, metrics } = await setUp(t);

      for (let call = 0; call < 5; call++) await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(sim.tokenRequests, 1);
      assert.equal(await counterValue(metrics.atlasTokenRequests, { outcome: "success" }), 1);
    });

    it("reuses the cached token in a second client", async (t) => {
      const { sim, client, makeClient } = await setUp(t);
      await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      await makeClient().listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(sim.tokenRequests, 1);
    });

    it("refreshes an expired token once and retries", async (t) => {
      const { sim, client } = await setUp(t);
      await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      sim.revokeAllTokens();

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.requests, 2);
      assert.equal(sim.tokenRequests, 2);
      assert.deepEqual(
        restoreJobRequests(sim).map((request) => request.status),
        [200, 401, 200],
      );
    });

    it("fails when the new token is rejected too", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({
        pathIncludes: "/restoreJobs",
        status: 401,
        errorCode: "UNAUTHORIZED",
        times: 2,
      });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.status, 401);
      assert.equal(sim.tokenRequests, 2);
      assert.equal(restoreJobRequests(sim).length, 2);
    });

    it("keeps the token on NOT_IN_GROUP", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 401, errorCode: "NOT_IN_GROUP" });

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.scope, "project");
      assert.equal(sim.tokenRequests, 1);
    });

    it("rejects a wrong client secret without leaking it", async (t) => {
      const secret = "mdb_sa_sk_wrong_value_123";
      const { sim, metrics, logLines, makeClient } = await setUp(t);
      const atlas: AtlasConfig = {
        ...makeTestConfig().atlas,
        baseUrl: sim.url,
        apiVersion: "2024-11-13",
        pageSize: 500,
        requestTimeoutMs: 5000,
        credentials: { kind: "service-account", clientId: sim.clientId, clientSecret: secret },
      };

      const err = await rejection(makeClient({ atlas }).listRestoreJobs(PROJECT_ID, CLUSTER));

      assert.equal(err.status, 401);
      assert.equal(err.errorCode, "invalid_client");
      assert.equal(err.scope, "global");
      assert.equal(err.message.includes(secret), false);
      assert.equal(logLines.join("").includes(secret), false);
      assert.equal(await counterValue(metrics.atlasTokenRequests, { outcome: "error" }), 1);
      assert.equal(restoreJobRequests(sim).length, 0);
    });

    it("never logs the access token", async (t) => {
      const { sim, client, logLines } = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 500 });
      await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      sim.revokeAllTokens();

      await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.ok(logLines.length > 0);
      assert.equal(/sim_at_/.test(logLines.join("")), false);
    });
  });
});

describe("AtlasClient.listFlexClusters", () => {
  it("lists flex clusters without dedicated ones", async (t) => {
    const { sim, client } = await setUp(t);
    sim.addFlexCluster(PROJECT_ID, "search-flex", { stateName: "DELETING", backupEnabled: false });
    sim.addDedicatedCluster(PROJECT_ID, "dedicated-m10");

    const listing = await client.listFlexClusters(PROJECT_ID);

    assert.deepEqual(listing.items, [
      { name: CLUSTER, stateName: "IDLE", backupEnabled: true },
      { name: "search-flex", stateName: "DELETING", backupEnabled: false },
    ]);
    assert.equal(listing.complete, true);
  });

  it("counts requests under the flexClusters endpoint", async (t) => {
    const { client, metrics } = await setUp(t);

    await client.listFlexClusters(PROJECT_ID);

    const labels = { endpoint: "flexClusters", outcome: "success", status_code: "200" };
    assert.equal(await counterValue(metrics.atlasRequests, labels), 1);
  });
});
