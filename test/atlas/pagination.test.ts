import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { pino } from "pino";
import { AtlasClient } from "../../src/atlas/atlas-client.ts";
import type { Config } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  startAtlasSimulator,
} from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { makeTestConfig, TEST_CLUSTER, TEST_PROJECT_ID } from "../support/test-config.ts";

const PROJECT_ID = TEST_PROJECT_ID;
const CLUSTER = TEST_CLUSTER;

interface Fixture {
  sim: AtlasSimulator;
  client: AtlasClient;
  logLines: string[];
}

/** Starts a simulator with one flex cluster of `jobs` jobs and a client with `pageSize`. */
async function setUp(
  t: TestContext,
  options: { jobs: number; pageSize: number; sim?: AtlasSimulatorOptions },
): Promise<Fixture> {
  const sim = await startAtlasSimulator(options.sim);
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  sim.addRestoreJobs(PROJECT_ID, CLUSTER, options.jobs);
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("pagination");
  const logLines: string[] = [];
  const config: Config = makeTestConfig({
    atlas: { baseUrl: sim.url, pageSize: options.pageSize },
  });
  const client = new AtlasClient({
    atlas: config.atlas,
    redis,
    keyPrefix,
    metrics: new Metrics(),
    logger: pino({ level: "debug" }, { write: (line: string) => logLines.push(line) }),
  });

  t.after(async () => {
    await sim.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim, client, logLines };
}

function listPages(sim: AtlasSimulator): string[] {
  return sim.requests
    .filter((request) => request.path.endsWith("/restoreJobs"))
    .map((request) => request.query.pageNum ?? "");
}

function assertSameIds(actual: { id: string }[], expected: { id: string }[]): void {
  assert.equal(new Set(actual.map((job) => job.id)).size, actual.length, "repeated ids");
  assert.deepEqual(actual.map((job) => job.id).sort(), expected.map((job) => job.id).sort());
}

describe("restore job pagination", () => {
  describe("when totalCount is wrong or absent", () => {
    it("reads every job without totalCount", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 250, pageSize: 100 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
      assert.deepEqual(listPages(sim), ["1", "2", "3"]);
      assert.equal(listing.complete, true);
    });

    it("reads past an underestimated totalCount", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 250, pageSize: 100 });
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, { totalCount: () => 40 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
      assert.deepEqual(listPages(sim), ["1", "2", "3"]);
    });

    it("stops before an overestimated totalCount", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 250, pageSize: 100 });
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, { totalCount: (actual) => actual + 1000 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
      assert.deepEqual(listPages(sim), ["1", "2", "3"]);
      assert.equal(listing.complete, true);
    });
  });

  describe("when the server returns fewer items than requested", () => {
    it("reads every job from pages capped at 100", async (t) => {
      const { sim, client } = await setUp(t, {
        jobs: 1050,
        pageSize: 500,
        sim: { maxItemsPerPage: 100 },
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
      assert.equal(listing.pages, 11);
      assert.equal(listing.complete, true);
    });

    it("reads one empty page after a full last page", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 200, pageSize: 100 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 200);
      assert.deepEqual(listPages(sim), ["1", "2", "3"]);
    });
  });

  describe("when jobs are added at the head while paging", () => {
    it("finds a job inserted before page 2", async (t) => {
      const { sim, client, logLines } = await setUp(t, { jobs: 250, pageSize: 100 });
      let inserted: { id: string } | undefined;
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, {
        beforePage: (pageNum) => {
          if (pageNum === 2 && !inserted) inserted = sim.addRestoreJob(PROJECT_ID, CLUSTER);
        },
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.ok(inserted);
      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
      assert.equal(listing.jobs[0]?.id, inserted.id);
      assert.deepEqual(listPages(sim), ["1", "2", "3", "1"]);
      assert.equal(listing.complete, true);
      assert.ok(logLines.some((line) => line.includes("page 1 read again")));
    });

    it("finds more than a page of jobs inserted before page 2", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 250, pageSize: 100 });
      let added = false;
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, {
        beforePage: (pageNum) => {
          if (pageNum !== 2 || added) return;
          added = true;
          sim.addRestoreJobs(PROJECT_ID, CLUSTER, 150);
        },
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 400);
      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
      // Pass 1 reads pages 1 to 5 (the 400-job list ends on a full page 4), the re-read
      // pages 1 and 2, where it meets a job of pass 1.
      assert.deepEqual(listPages(sim), ["1", "2", "3", "4", "5", "1", "2"]);
    });

    it("reads the head again when jobs arrive during the re-read", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 250, pageSize: 100 });
      let page2Reads = 0;
      sim.setRestoreJobListHooks(PROJECT_ID, CLUSTER, {
        beforePage: (pageNum) => {
          if (pageNum === 2 && ++page2Reads <= 2) sim.addRestoreJobs(PROJECT_ID, CLUSTER, 150);
        },
      });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.equal(listing.jobs.length, 550);
      assertSameIds(listing.jobs, sim.getRestoreJobs(PROJECT_ID, CLUSTER));
    });

    it("never repeats a job of a list that did not change", async (t) => {
      const { sim, client } = await setUp(t, { jobs: 1200, pageSize: 500 });

      const listing = await client.listRestoreJobs(PROJECT_ID, CLUSTER);

      assert.deepEqual(
        listing.jobs.map((job) => job.id),
        sim.getRestoreJobs(PROJECT_ID, CLUSTER).map((job) => job.id),
      );
      assert.deepEqual(listPages(sim), ["1", "2", "3"]);
    });
  });
});
