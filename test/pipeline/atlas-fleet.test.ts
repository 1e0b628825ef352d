import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openRuntime, type Runtime } from "../../src/cli/runtime.ts";
import type { ProjectConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/logger.ts";
import { SweepWaiter } from "../../src/queue/sweep-waiter.ts";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";
import { makeTestConfig } from "../support/test-config.ts";

const SWEEP_TIMEOUT_MS = 60_000;
const PROJECT_IDS = [
  "6512a0c1e4b0a1b2c3d4e5f1",
  "6512a0c1e4b0a1b2c3d4e5f2",
  "6512a0c1e4b0a1b2c3d4e5f3",
  "6512a0c1e4b0a1b2c3d4e5f4",
  "6512a0c1e4b0a1b2c3d4e5f5",
];
const SHOP = PROJECT_IDS[0] ?? "";

/** Two replicas (runtimes with their own workers) on one Redis, a simulator and a Slack mock. */
interface Fleet {
  atlas: AtlasSimulator;
  slack: SlackMock;
  replicas: Runtime[];
  waiter: SweepWaiter;
  close(): Promise<void>;
}

async function startFleet(name: string, projects: ProjectConfig[]): Promise<Fleet> {
  const atlas = await startAtlasSimulator();
  const slack = await startSlackMock();
  const keyPrefix = uniqueKeyPrefix(name);
  const config = makeTestConfig({
    projects,
    atlas: {
      baseUrl: atlas.url,
      // Long enough to wait out a Retry-After of 2 s inside the client.
      retry: { maxDelayMs: 5000 },
    },
    slack: { apiUrl: slack.url, token: slack.token },
    redis: { keyPrefix },
    queue: { pollConcurrency: 8 },
  });
  const first = await openRuntime(config, createLogger("silent"));
  const replicas = [first, await openRuntime(config, createLogger("silent"))];
  const waiter = new SweepWaiter(first.redis, keyPrefix, first.pipeline.queues);
  await waiter.ready();
  for (const replica of replicas) replica.pipeline.startWorkers();

  return {
    atlas,
    slack,
    replicas,
    waiter,
    async close() {
      await waiter.close();
      await Promise.all(replicas.map((replica) => replica.close()));
      const redis = connectTestRedis();
      await deleteKeysWithPrefix(redis, keyPrefix);
      await redis.quit();
      await atlas.close();
      await slack.close();
    },
  };
}

function requestsTo(atlas: AtlasSimulator, cluster: string) {
  return atlas.requests.filter((request) => request.path.includes(`/flexClusters/${cluster}/`));
}

describe("Atlas fleet", () => {
  describe("when 50 clusters are swept 20 times", () => {
    let fleet: Fleet;

    before(async () => {
      const projects = PROJECT_IDS.map((id) => ({
        id,
        clusters: Array.from({ length: 10 }, (_, index) => `flex-${index}`),
      }));
      fleet = await startFleet("atlas-fleet", projects);
      for (const { id, clusters } of projects) {
        for (const cluster of clusters as string[]) {
          fleet.atlas.addFlexCluster(id, cluster);
          fleet.atlas.addRestoreJobs(id, cluster, 3);
        }
      }
    });

    after(() => fleet.close());

    test("two replicas share one access token", async () => {
      for (let sweep = 0; sweep < 20; sweep++) {
        const summary = await fleet.waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

        assert.equal(summary.ok, true, JSON.stringify(summary.polls.map((poll) => poll.error)));
        assert.equal(summary.polls.length, 50);
      }

      assert.ok(fleet.atlas.tokenRequests <= 2, `${fleet.atlas.tokenRequests} token requests`);
      assert.equal(fleet.atlas.requests.filter((request) => request.status === 429).length, 0);
    });
  });

  describe("when one configured cluster is gone", () => {
    let fleet: Fleet;
    let runningJobId: string;

    before(async () => {
      fleet = await startFleet("atlas-gone", [
        { id: SHOP, clusters: ["orders-flex", "gone-flex", "search-flex"] },
      ]);
      fleet.atlas.addFlexCluster(SHOP, "orders-flex");
      fleet.atlas.addFlexCluster(SHOP, "search-flex");
      fleet.atlas.addRestoreJobs(SHOP, "orders-flex", 5);
      fleet.atlas.addRestoreJobs(SHOP, "search-flex", 5);
      runningJobId = fleet.atlas.addRestoreJob(SHOP, "orders-flex", {
        status: "RUNNING",
        restoreScheduledDate: new Date(Date.now() - 60_000).toISOString(),
      }).id;
    });

    after(() => fleet.close());

    test("the other clusters are still polled", async () => {
      const summary = await fleet.waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

      assert.equal(summary.ok, false);
      const failed = summary.polls.filter((poll) => poll.error !== undefined);
      assert.equal(failed.length, 1);
      assert.match(failed[0]?.error ?? "", /CLUSTER_NOT_FOUND/);
      const polled = summary.polls.flatMap((poll) => (poll.result ? [poll.result.cluster] : []));
      assert.deepEqual(polled.sort(), ["orders-flex", "search-flex"]);
    });

    test("a failure elsewhere posts one alert and none for the gone cluster", async () => {
      fleet.atlas.setRestoreJobStatus(SHOP, "orders-flex", runningJobId, "FAILED");

      const summary = await fleet.waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

      assert.equal(summary.alerts.length, 1);
      assert.equal(fleet.slack.messages.length, 1);
      assert.match(fleet.slack.messages[0]?.text ?? "", /orders-flex/);
      assert.equal(
        fleet.slack.messages.some((message) => (message.text ?? "").includes("gone-flex")),
        false,
      );
    });

    test("the gone cluster is asked once per sweep", () => {
      assert.deepEqual(
        requestsTo(fleet.atlas, "gone-flex").map((request) => request.status),
        [404, 404],
      );
    });
  });

  describe("when Atlas answers 429 with Retry-After: 2", () => {
    let fleet: Fleet;

    before(async () => {
      fleet = await startFleet("atlas-429", [
        { id: SHOP, clusters: ["orders-flex", "search-flex"] },
      ]);
      fleet.atlas.addFlexCluster(SHOP, "orders-flex");
      fleet.atlas.addFlexCluster(SHOP, "search-flex");
      fleet.atlas.injectFault({
        pathIncludes: "/orders-flex/",
        status: 429,
        errorCode: "RATE_LIMITED_TOKEN_BUCKET",
        headers: { "Retry-After": "2" },
      });
    });

    after(() => fleet.close());

    test("the request waits 2 s and the sweep completes", async () => {
      const summary = await fleet.waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

      assert.equal(summary.ok, true, JSON.stringify(summary.polls.map((poll) => poll.error)));
      const [limited, retried] = requestsTo(fleet.atlas, "orders-flex");
      assert.equal(limited?.status, 429);
      assert.equal(retried?.status, 200);
      const delayMs = (retried?.at ?? 0) - (limited?.at ?? 0);
      assert.ok(delayMs >= 2000, `retried after ${delayMs} ms`);
    });
  });
});
