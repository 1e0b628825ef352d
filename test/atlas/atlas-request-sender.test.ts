import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { pino } from "pino";
import type { Counter } from "prom-client";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { AtlasClient } from "../../src/atlas/atlas-client.ts";
import type { Config } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  startAtlasSimulator,
} from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type DeepPartial, makeTestConfig } from "../support/test-config.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const CLUSTER = "orders-flex";
const SUNSET = "Wed, 01 Jul 2026 00:00:00 GMT";

interface Fixture {
  sim: AtlasSimulator;
  client: AtlasClient;
  metrics: Metrics;
  logLines: string[];
}

async function setUp(
  t: TestContext,
  atlas: DeepPartial<Config["atlas"]> = {},
  simOptions: AtlasSimulatorOptions = {},
): Promise<Fixture> {
  const sim = await startAtlasSimulator(simOptions);
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  sim.addRestoreJobs(PROJECT_ID, CLUSTER, 2);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("atlas-sender");
  const metrics = new Metrics();
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
  const config = makeTestConfig({ atlas: { ...atlas, baseUrl: sim.url } });
  const client = new AtlasClient({ atlas: config.atlas, redis, keyPrefix, metrics, logger });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim, client, metrics, logLines };
}

function apiRequests(sim: AtlasSimulator) {
  return sim.requests.filter((request) => request.path.startsWith("/api/atlas/v2/"));
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

async function counterTotal(counter: Counter<string>, labels: Record<string, string>) {
  const { values } = await counter.get();
  return values
    .filter((value) => Object.entries(labels).every(([name, v]) => value.labels[name] === v))
    .reduce((sum, value) => sum + value.value, 0);
}

describe("Atlas request sending", () => {
  describe("when Atlas rate-limits", () => {
    it("waits out Retry-After: 2 before retrying", async (t) => {
      const { sim, client } = await setUp(t, { retry: { maxDelayMs: 5000 } });
      sim.injectFault({
        pathIncludes: "/restoreJobs",
        status: 429,
        errorCode: "RATE_LIMITED_TOKEN_BUCKET",
        headers: { "Retry-After": "2" },
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 2);
      const [limited, retried] = apiRequests(sim);
      assert.equal(limited?.status, 429);
      assert.equal(retried?.status, 200);
      const delayMs = (retried?.at ?? 0) - (limited?.at ?? 0);
      assert.ok(delayMs >= 2000, `retried after ${delayMs} ms`);
    });

    it("retries a 400 RATE_LIMITED", async (t) => {
      const { sim, client } = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 400, errorCode: "RATE_LIMITED" });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 2);
      assert.deepEqual(
        apiRequests(sim).map((request) => request.status),
        [400, 200],
      );
    });

    it("slows down before the Atlas bucket is empty", async (t) => {
      // Atlas's bucket has room for 20 and refills 1 a second, and flexwatch keeps 15 in reserve.
      const { sim, client, metrics } = await setUp(
        t,
        { rateLimit: { capacity: 1200, refillPerMinute: 600, minRemaining: 15 } },
        { rateLimit: { capacity: 20, refillAmount: 1, refillIntervalMs: 1000 } },
      );

      for (let call = 0; call < 8; call++) await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(apiRequests(sim).filter((request) => request.status === 429).length, 0);
      const waitedSeconds = await counterTotal(metrics.atlasRateLimitWait, {
        project_id: PROJECT_ID,
      });
      assert.ok(waitedSeconds > 0, `waited ${waitedSeconds} s`);
    });
  });

  describe("when Atlas rejects the request", () => {
    it("tells the project and cluster", async (t) => {
      const { client } = await setUp(t);

      const err = await rejection(client.listRestoreJobs(PROJECT_ID, "deleted-flex"));

      assert.equal(err.errorCode, "CLUSTER_NOT_FOUND");
      assert.equal(err.scope, "cluster");
      assert.equal(err.projectId, PROJECT_ID);
      assert.equal(err.cluster, "deleted-flex");
      assert.equal(err.resource, "restoreJobs");
    });

    it("retries a timed-out request", async (t) => {
      const { sim, client } = await setUp(t, { requestTimeoutMs: 200 });
      sim.injectFault({ pathIncludes: "/restoreJobs", delayMs: 1000 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 2);
      assert.equal(listing.requests, 2);
    });
  });

  describe("when choosing API versions", () => {
    it("sends the version of each resource", async (t) => {
      const { sim, client } = await setUp(t, {
        apiVersions: { restoreJobs: "2024-11-13", flexClusters: "2099-01-01" },
      });

      await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      const err = await rejection(client.listFlexClusters(PROJECT_ID));

      assert.equal(err.status, 406);
      assert.equal(err.scope, "global");
      assert.equal(err.resource, "flexClusters");
      assert.equal(err.apiVersion, "2099-01-01");
      assert.match(err.message, /version 2099-01-01 of flexClusters/);
      assert.match(err.message, /set atlas\.apiVersions\.flexClusters/);
      assert.equal(apiRequests(sim).length, 2);
    });

    it("stops sending a retired version", async (t) => {
      const { sim, client, logLines } = await setUp(t, {}, { goneVersions: ["2024-11-13"] });

      const first = await rejection(client.listRestoreJobs(PROJECT_ID, CLUSTER));
      const second = await rejection(client.listRestoreJobs(PROJECT_ID, "search-flex"));

      assert.equal(first.errorCode, "VERSION_GONE");
      assert.match(first.message, /version 2024-11-13 of restoreJobs is retired/);
      assert.equal(second.errorCode, "VERSION_GONE");
      assert.equal(second.cluster, "search-flex");
      assert.equal(second.retryable, false);
      assert.equal(apiRequests(sim).length, 1);
      const errors = logLines.filter((line) => line.includes("atlas rejected the api version"));
      assert.equal(errors.length, 1);
    });

    it("reports Deprecation and Sunset once", async (t) => {
      const { client, metrics, logLines } = await setUp(
        t,
        {},
        { deprecatedVersions: { "2024-11-13": { deprecation: "@1767225600", sunset: SUNSET } } },
      );

      await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      const warnings = logLines
        .filter((line) => line.includes("atlas api version is deprecated"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]?.deprecation, "@1767225600");
      assert.equal(warnings[0]?.sunset, SUNSET);
      assert.equal(warnings[0]?.resource, "restoreJobs");
      const { values } = await metrics.atlasApiDeprecated.get();
      assert.deepEqual(
        values.map((value) => [value.labels, value.value]),
        [[{ resource: "restoreJobs", version: "2024-11-13", sunset: SUNSET }, 1]],
      );
    });
  });
});
