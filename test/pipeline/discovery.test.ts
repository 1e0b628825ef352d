import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { OnceSummary } from "../../src/cli/once-summary.ts";
import { openRuntime, type Runtime } from "../../src/cli/runtime.ts";
import { createLogger } from "../../src/logger.ts";
import { registerStateCollectors } from "../../src/metrics/state-collector.ts";
import { SweepWaiter } from "../../src/queue/sweep-waiter.ts";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";
import { makeTestConfig } from "../support/test-config.ts";

const SWEEP_TIMEOUT_MS = 60_000;
const PROJECTS = [
  "6512a0c1e4b0a1b2c3d4e511",
  "6512a0c1e4b0a1b2c3d4e512",
  "6512a0c1e4b0a1b2c3d4e513",
] as const;
const [FIRST, SECOND] = PROJECTS;

function polledClusters(summary: OnceSummary): string[] {
  assert.equal(summary.ok, true, JSON.stringify(summary));
  return summary.polls
    .filter((poll) => poll.result?.dropped === false)
    .map((poll) => `${poll.result?.projectId}/${poll.result?.cluster}`)
    .sort();
}

function clusterNames(...names: string[]): string[] {
  return PROJECTS.flatMap((id) => names.map((name) => `${id}/${name}`));
}

describe("discovery end to end", () => {
  let sim: AtlasSimulator;
  let slack: SlackMock;
  let runtime: Runtime;
  let waiter: SweepWaiter;
  const keyPrefix = uniqueKeyPrefix("discovery-pipeline");
  const sweep = () => waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);
  const registered = async () =>
    (await runtime.pipeline.store.listClusters()).map((ref) => `${ref.projectId}/${ref.cluster}`);

  before(async () => {
    // Two items a page, so every list takes several pages.
    sim = await startAtlasSimulator({ maxItemsPerPage: 2 });
    slack = await startSlackMock();
    for (const projectId of PROJECTS) {
      for (const name of ["x-flex", "y-flex"]) {
        sim.addFlexCluster(projectId, name);
        sim.addRestoreJobs(projectId, name, 3);
      }
      sim.addFlexCluster(projectId, "z-flex", { stateName: "DELETING" });
      sim.addDedicatedCluster(projectId, "dedicated");
    }
    const config = makeTestConfig({
      projects: "*",
      atlas: { baseUrl: sim.url, discoveryCacheTtlMs: 600_000 },
      slack: { apiUrl: slack.url, token: slack.token },
      redis: { keyPrefix },
    });
    runtime = await openRuntime(config, createLogger("silent"));
    registerStateCollectors(runtime.metrics.registry, runtime.pipeline.store, runtime.logger);
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

  test("first sweep polls every flex cluster of every project", async () => {
    const summary = await sweep();

    assert.deepEqual(polledClusters(summary), clusterNames("x-flex", "y-flex").sort());
    assert.deepEqual((await registered()).sort(), clusterNames("x-flex", "y-flex").sort());
  });

  test("cached discovery sends no list requests", async () => {
    sim.resetRequestLog();

    const summary = await sweep();

    assert.equal(polledClusters(summary).length, 6);
    const listRequests = sim.requests.filter(
      (request) => request.path.endsWith("/groups") || request.path.endsWith("/flexClusters"),
    );
    assert.deepEqual(listRequests, []);
  });

  test("cluster deleted within the cache time is dropped after its poll", async () => {
    sim.removeFlexCluster(FIRST, "y-flex");

    const summary = await sweep();

    const dropped = summary.polls.filter((poll) => poll.result?.dropped === true);
    assert.deepEqual(
      dropped.map((poll) => `${poll.result?.projectId}/${poll.result?.cluster}`),
      [`${FIRST}/y-flex`],
    );
    assert.equal((await registered()).includes(`${FIRST}/y-flex`), false);
    assert.equal((await registered()).length, 5);
  });

  test("cluster missing from a fresh list is dropped without a poll", async () => {
    sim.removeFlexCluster(SECOND, "x-flex");
    await runtime.redis.del(`${keyPrefix}:discovery:clusters:{${SECOND}}`);
    sim.resetRequestLog();

    const summary = await sweep();

    assert.equal(polledClusters(summary).includes(`${SECOND}/x-flex`), false);
    assert.equal(polledClusters(summary).length, 4);
    assert.equal((await registered()).includes(`${SECOND}/x-flex`), false);
    const confirmations = sim.requests.filter((request) =>
      request.path.endsWith(`/groups/${SECOND}/flexClusters/x-flex`),
    );
    assert.equal(confirmations.length, 1);
  });

  test("dropped clusters leave the metrics without alerts", async () => {
    const lines = (await runtime.metrics.registry.metrics()).split("\n");
    const seriesOf = (name: string, projectId: string, cluster: string) =>
      lines.filter((line) =>
        line.startsWith(`${name}{project_id="${projectId}",cluster="${cluster}"`),
      );

    for (const [projectId, cluster] of [
      [FIRST, "y-flex"],
      [SECOND, "x-flex"],
    ] as const) {
      assert.deepEqual(seriesOf("flexwatch_restore_jobs", projectId, cluster), []);
      assert.deepEqual(seriesOf("flexwatch_poll_success", projectId, cluster), []);
      assert.deepEqual(seriesOf("flexwatch_atlas_pages_read_total", projectId, cluster), []);
    }
    assert.equal(seriesOf("flexwatch_restore_jobs", FIRST, "x-flex").length, 5);
    assert.equal(seriesOf("flexwatch_poll_success", FIRST, "x-flex").length, 1);
    assert.equal(slack.messages.length, 0);
  });
});
