import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { OnceSummary } from "../../src/cli/once-summary.ts";
import { openRuntime, type Runtime } from "../../src/cli/runtime.ts";
import { createLogger } from "../../src/logger.ts";
import { SweepWaiter } from "../../src/queue/sweep-waiter.ts";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";
import { isoSeconds } from "../support/pipeline-fixture.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";
import { makeTestConfig, TEST_CLUSTER, TEST_PROJECT_ID } from "../support/test-config.ts";

const SWEEP_TIMEOUT_MS = 60_000;
const JOBS = 2000;
const FULL_READ_EVERY = 3;

/** Requests the cluster's only poll of a sweep sent to Atlas. */
function pollRequests(summary: OnceSummary): number | undefined {
  assert.equal(summary.ok, true, JSON.stringify(summary));
  assert.equal(summary.polls.length, 1);
  return summary.polls[0]?.result?.requests;
}

describe("incremental paging end to end", () => {
  let sim: AtlasSimulator;
  let slack: SlackMock;
  let runtime: Runtime;
  let waiter: SweepWaiter;
  let runningJobId: string;
  const keyPrefix = uniqueKeyPrefix("incremental-pipeline");
  const sweep = () => waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

  before(async () => {
    sim = await startAtlasSimulator();
    slack = await startSlackMock();
    sim.addFlexCluster(TEST_PROJECT_ID, TEST_CLUSTER);
    sim.addRestoreJobs(TEST_PROJECT_ID, TEST_CLUSTER, JOBS - 1);
    runningJobId = sim.addRestoreJob(TEST_PROJECT_ID, TEST_CLUSTER, {
      status: "RUNNING",
      restoreScheduledDate: isoSeconds(Date.now() - 60_000),
      expirationDate: isoSeconds(Date.now() + 6 * 3_600_000),
    }).id;
    const config = makeTestConfig({
      atlas: { baseUrl: sim.url, pageSize: 500, fullReadEvery: FULL_READ_EVERY },
      slack: { apiUrl: slack.url, token: slack.token },
      redis: { keyPrefix },
    });
    runtime = await openRuntime(config, createLogger("silent"));
    waiter = new SweepWaiter(runtime.redis, keyPrefix, runtime.pipeline.queues);
    await waiter.ready();
    runtime.pipeline.startWorkers();
  });

  after(async () => {
    await waiter.close();
    await runtime.close();
    const redis = connectTestRedis();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
    await sim.close();
    await slack.close();
  });

  test("baseline reads every page", async () => {
    // 2,000 jobs at 500 a page end on a full page 4, so an empty page 5 confirms the end.
    assert.equal(pollRequests(await sweep()), 5);
  });

  test("unchanged cluster costs one request", async () => {
    assert.equal(pollRequests(await sweep()), 1);
  });

  test("failure at the head is read and alerted", async () => {
    sim.setRestoreJobStatus(TEST_PROJECT_ID, TEST_CLUSTER, runningJobId, "FAILED");

    const summary = await sweep();

    assert.equal(pollRequests(summary), 1);
    assert.equal(summary.alerts.length, 1);
    assert.equal(slack.messages.length, 1);
  });

  test("every third poll reads every page", async () => {
    assert.equal(pollRequests(await sweep()), 5);
    assert.equal(pollRequests(await sweep()), 1);
  });

  test("broken order falls back to full reads", async () => {
    sim.setRestoreJobListHooks(TEST_PROJECT_ID, TEST_CLUSTER, {
      order: (jobs) =>
        [...jobs].sort((a, b) =>
          String(a.restoreScheduledDate).localeCompare(String(b.restoreScheduledDate)),
        ),
    });
    assert.equal(pollRequests(await sweep()), 5);

    sim.setRestoreJobListHooks(TEST_PROJECT_ID, TEST_CLUSTER, {});
    // The poll after a broken order reads in full, and then incremental reads resume.
    assert.equal(pollRequests(await sweep()), 5);
    assert.equal(pollRequests(await sweep()), 1);
  });

  test("no restore job is lost or alerted twice", async () => {
    const counts = await runtime.pipeline.store.countsByStatus({
      projectId: TEST_PROJECT_ID,
      cluster: TEST_CLUSTER,
    });

    assert.equal(counts.COMPLETED, JOBS - 1);
    assert.equal(counts.FAILED, 1);
    assert.equal(slack.messages.length, 1);
  });

  test("pages read are counted by mode", async () => {
    const { values } = await runtime.metrics.atlasPagesRead.get();
    const byMode = Object.fromEntries(values.map((value) => [value.labels.mode, value.value]));

    // Full: the baseline, the third poll and the poll after the broken order, 5 pages each.
    // Incremental: four polls of 1 page, and the poll that found the order broken read 5.
    assert.deepEqual(byMode, { full: 15, incremental: 9 });
  });
});
