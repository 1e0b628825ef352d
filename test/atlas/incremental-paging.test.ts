import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { pino } from "pino";
import { AtlasClient } from "../../src/atlas/atlas-client.ts";
import type { RestoreJob } from "../../src/atlas/restore-job.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";
import { isoSeconds } from "../support/pipeline-fixture.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { makeTestConfig, TEST_CLUSTER, TEST_PROJECT_ID } from "../support/test-config.ts";

const PROJECT_ID = TEST_PROJECT_ID;
const CLUSTER = TEST_CLUSTER;

interface Fixture {
  sim: AtlasSimulator;
  client: AtlasClient;
  metrics: Metrics;
}

/** Starts a simulator with one cluster of `jobs` COMPLETED jobs, and a client of 500 a page. */
async function setUp(t: TestContext, jobs: number): Promise<Fixture> {
  const sim = await startAtlasSimulator();
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  sim.addRestoreJobs(PROJECT_ID, CLUSTER, jobs);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("incremental");
  const metrics = new Metrics();
  const client = new AtlasClient({
    atlas: makeTestConfig({ atlas: { baseUrl: sim.url, pageSize: 500 } }).atlas,
    redis,
    keyPrefix,
    metrics,
    logger: pino({ level: "silent" }),
  });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim, client, metrics };
}

/** Splits the jobs of a full read into the two id sets a poll derives from saved state. */
function knownIds(jobs: RestoreJob[]) {
  const terminal = new Set(["COMPLETED", "FAILED"]);
  return {
    knownTerminalIds: new Set(jobs.filter((job) => terminal.has(job.status)).map((job) => job.id)),
    inFlightIds: new Set(jobs.filter((job) => !terminal.has(job.status)).map((job) => job.id)),
  };
}

function listRequests(sim: AtlasSimulator): number {
  return sim.requests.filter((request) => request.path.endsWith("/restoreJobs")).length;
}

describe("incremental restore job paging", () => {
  describe("when nothing changed", () => {
    it("reads one page of a 2,000-job cluster", async (t) => {
      const { sim, client } = await setUp(t, 2000);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      sim.resetRequestLog();

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      assert.equal(baseline.jobs.length, 2000);
      assert.equal(listing.requests, 1);
      assert.equal(listRequests(sim), 1);
      assert.equal(listing.jobs.length, 500);
      assert.equal(listing.complete, false);
      assert.equal(listing.mode, "incremental");
      assert.equal(listing.orderBroken, false);
    });

    it("counts pages read by mode", async (t) => {
      const { client, metrics } = await setUp(t, 2000);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      const { values } = await metrics.atlasPagesRead.get();
      const byMode = Object.fromEntries(values.map((value) => [value.labels.mode, value.value]));
      assert.deepEqual(byMode, { full: baseline.pages, incremental: 1 });
    });
  });

  describe("when the read must go on", () => {
    it("reads until a new job at the head is passed", async (t) => {
      const { sim, client } = await setUp(t, 2000);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      const added = sim.addRestoreJobs(PROJECT_ID, CLUSTER, 500, { status: "FAILED" });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      assert.equal(listing.pages, 2);
      assert.equal(listing.complete, false);
      const listed = new Set(listing.jobs.map((job) => job.id));
      assert.ok(added.every((job) => listed.has(job.id)));
    });

    it("reads until every in-flight job is seen", async (t) => {
      // Jobs added later are newer, so the running job is the last one of page 3.
      const { sim, client } = await setUp(t, 500);
      const running = sim.addRestoreJob(PROJECT_ID, CLUSTER, { status: "RUNNING" });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 1499);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      sim.setRestoreJobStatus(PROJECT_ID, CLUSTER, running.id, "FAILED");

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      assert.equal(listing.pages, 3);
      assert.equal(listing.complete, false);
      assert.equal(listing.jobs.find((job) => job.id === running.id)?.status, "FAILED");
    });

    it("stops on a page with a known in-flight job", async (t) => {
      const { sim, client } = await setUp(t, 1999);
      sim.addRestoreJob(PROJECT_ID, CLUSTER, { status: "RUNNING" });
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      assert.equal(listing.requests, 1);
      assert.equal(listing.jobs[0]?.status, "RUNNING");
    });

    it("reads every page when fullRead is set", async (t) => {
      const { client } = await setUp(t, 2000);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, {
        ...knownIds(baseline.jobs),
        fullRead: true,
      });

      assert.equal(listing.pages, baseline.pages);
      assert.equal(listing.jobs.length, 2000);
      assert.equal(listing.complete, true);
      assert.equal(listing.mode, "full");
    });

    it("reads every page without known jobs", async (t) => {
      const { client } = await setUp(t, 1200);

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, {});

      assert.equal(listing.pages, 3);
      assert.equal(listing.complete, true);
      assert.equal(listing.mode, "full");
    });
  });

  describe("when the list is not newest first", () => {
    it("reads every page of a list in reverse order", async (t) => {
      const { sim, client } = await setUp(t, 2000);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, {
        order: (jobs) =>
          [...jobs].sort((a, b) =>
            String(a.restoreScheduledDate).localeCompare(String(b.restoreScheduledDate)),
          ),
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      assert.equal(listing.orderBroken, true);
      assert.equal(listing.complete, true);
      assert.equal(listing.pages, baseline.pages);
      assert.equal(listing.jobs.length, 2000);
    });

    it("reads every page after a job without a date", async (t) => {
      const { sim, client } = await setUp(t, 2000);
      const baseline = await client.listRestoreJobs(PROJECT_ID, CLUSTER);
      const undated = sim.addRestoreJob(PROJECT_ID, CLUSTER, {
        restoreScheduledDate: isoSeconds(Date.now()),
      });
      delete undated.restoreScheduledDate;
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, {
        order: (jobs) => [undated, ...jobs.filter((job) => job !== undated).reverse()],
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER, knownIds(baseline.jobs));

      assert.equal(listing.orderBroken, true);
      assert.equal(listing.complete, true);
      assert.equal(listing.jobs.length, 2001);
    });
  });
});
