import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { openRuntime, type Runtime } from "../../src/cli/runtime.ts";
import type { Config } from "../../src/config/config.ts";
import { createLogger } from "../../src/logger.ts";
import { registerStateCollectors } from "../../src/metrics/state-collector.ts";
import { SweepWaiter } from "../../src/queue/sweep-waiter.ts";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type SlackMock, type SlackMockMessage, startSlackMock } from "../support/slack-mock.ts";
import { type DeepPartial, makeTestConfig } from "../support/test-config.ts";

const SHOP = "6512a0c1e4b0a1b2c3d4e5f6";
const ANALYTICS = "6512a0c1e4b0a1b2c3d4e5f7";
const SHOP_CLUSTERS = ["orders-flex", "search-flex", "carts-flex"];
const OPERATOR_CHANNEL = "#flexwatch-ops";
const SWEEP_TIMEOUT_MS = 15_000;
const IDLE_TIMEOUT_MS = 10_000;
const HOUR_MS = 3_600_000;

/** One flexwatch process against its own Atlas simulator, Slack mock and key prefix. */
interface Harness {
  atlas: AtlasSimulator;
  slack: SlackMock;
  runtime: Runtime;
  waiter: SweepWaiter;
  /** Runs one sweep, then waits until the operator alert queue has nothing left to do. */
  sweep(): Promise<void>;
  /** Top-level messages of the operator channel. */
  operatorMessages(): SlackMockMessage[];
  /** Value of a metric series in the `/metrics` exposition, or undefined when absent. */
  metricValue(series: string): Promise<number | undefined>;
  close(): Promise<void>;
}

async function startHarness(overrides: DeepPartial<Config> = {}, clusters = SHOP_CLUSTERS) {
  const atlas = await startAtlasSimulator();
  const slack = await startSlackMock();
  const keyPrefix = uniqueKeyPrefix("operator-alerts");
  for (const cluster of clusters) {
    atlas.addFlexCluster(SHOP, cluster);
    atlas.addRestoreJobs(SHOP, cluster, 3);
  }
  atlas.addFlexCluster(ANALYTICS, "events-flex");
  atlas.addRestoreJobs(ANALYTICS, "events-flex", 3);

  const config = makeTestConfig({
    ...overrides,
    projects: overrides.projects ?? [
      { id: SHOP, clusters },
      { id: ANALYTICS, clusters: ["events-flex"] },
    ],
    atlas: { ...overrides.atlas, baseUrl: atlas.url },
    slack: { apiUrl: slack.url, token: slack.token, operatorChannel: OPERATOR_CHANNEL },
    redis: { keyPrefix },
    queue: { pollAttempts: 1 },
    alerts: { operatorFailureThreshold: 3, operatorRepeatIntervalMs: HOUR_MS, ...overrides.alerts },
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const runtime = await openRuntime(config, logger);
  registerStateCollectors(runtime.metrics.registry, runtime.pipeline.store, logger);
  const waiter = new SweepWaiter(runtime.redis, keyPrefix, runtime.pipeline.queues);
  await waiter.ready();
  runtime.pipeline.startWorkers();

  const harness: Harness = {
    atlas,
    slack,
    runtime,
    waiter,
    async sweep() {
      await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);
      await waitForIdle(runtime);
    },
    operatorMessages: () =>
      slack.messages.filter((message) => message.channel === slack.channelId(OPERATOR_CHANNEL)),
    async metricValue(series) {
      const body = await runtime.metrics.registry.metrics();
      const line = body.split("\n").find((candidate) => candidate.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    },
    async close() {
      await waiter.close();
      await runtime.close();
      const redis = connectTestRedis();
      await deleteKeysWithPrefix(redis, keyPrefix);
      await redis.quit();
      await atlas.close();
      await slack.close();
    },
  };
  return harness;
}

/** Waits until the operator alert queue has no waiting, delayed or running job. */
async function waitForIdle(runtime: Runtime): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  const queue = runtime.pipeline.queues.operatorAlert;
  while (Date.now() < deadline) {
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    if (Object.values(counts).every((count) => count === 0)) return;
    await sleep(50);
  }
  throw new Error(`operator alert queue still busy after ${IDLE_TIMEOUT_MS} ms`);
}

function textOf(message: SlackMockMessage | undefined): string {
  return `${message?.text ?? ""} ${JSON.stringify(message?.blocks ?? [])}`;
}

describe("operator alerts end to end", () => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  test("failing cluster posts one message", async () => {
    harness = await startHarness();
    const failures = `flexwatch_consecutive_poll_failures{project_id="${SHOP}",cluster="search-flex"}`;
    harness.atlas.injectFault({
      pathIncludes: `/flexClusters/search-flex/`,
      status: 404,
      errorCode: "CLUSTER_NOT_FOUND",
      times: 4,
    });

    await harness.sweep();
    await harness.sweep();
    assert.equal(harness.operatorMessages().length, 0, "no alert below the threshold");

    await harness.sweep();
    await harness.sweep();
    const messages = harness.operatorMessages();
    assert.equal(messages.length, 1);
    assert.match(textOf(messages[0]), /search-flex/);
    assert.match(textOf(messages[0]), /CLUSTER_NOT_FOUND/);
    assert.match(textOf(messages[0]), new RegExp(SHOP));
    assert.match(messages[0]?.text ?? "", /3 consecutive failed sweeps/);
    assert.equal(await harness.metricValue(failures), 4);
    assert.equal(harness.slack.replies.length, 0);

    await harness.sweep();
    assert.equal(harness.operatorMessages().length, 1);
    assert.equal(harness.slack.replies.length, 1);
    assert.equal(harness.slack.replies[0]?.thread_ts, messages[0]?.ts);
    assert.match(harness.slack.replies[0]?.text ?? "", /^Resolved: flex cluster search-flex/);
    assert.equal(await harness.metricValue(failures), 0);
    const sent = 'flexwatch_operator_alerts_total{reason="cluster-poll-failed",outcome="sent"}';
    const resolved =
      'flexwatch_operator_alerts_total{reason="cluster-poll-failed",outcome="resolved"}';
    assert.equal(await harness.metricValue(sent), 1);
    assert.equal(await harness.metricValue(resolved), 1);
  });

  test("unresolved alert repeats after interval", async () => {
    const repeatIntervalMs = 1500;
    harness = await startHarness({
      alerts: { operatorFailureThreshold: 2, operatorRepeatIntervalMs: repeatIntervalMs },
    });
    harness.atlas.injectFault({
      pathIncludes: "/flexClusters/carts-flex/",
      status: 400,
      errorCode: "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
      times: 100,
    });

    await harness.sweep();
    await harness.sweep();
    await harness.sweep();
    assert.equal(harness.operatorMessages().length, 1, "one message within the interval");

    await sleep(repeatIntervalMs + 100);
    await harness.sweep();
    await harness.sweep();
    const messages = harness.operatorMessages();
    assert.equal(messages.length, 2);
    assert.match(messages[1]?.text ?? "", /carts-flex: 4 consecutive failed sweeps/);
    assert.equal(harness.slack.replies.length, 0);
  });

  test("rejected credentials post one message", async () => {
    const clusters = Array.from({ length: 10 }, (_, i) => `flex-${i}`);
    harness = await startHarness(
      {
        atlas: {
          credentials: {
            kind: "service-account",
            clientId: "mdb_sa_id_simulator",
            clientSecret: "wrong",
          },
        },
      },
      clusters,
    );

    await harness.sweep();
    await harness.sweep();

    const messages = harness.operatorMessages();
    assert.equal(messages.length, 1);
    assert.match(messages[0]?.text ?? "", /^Atlas rejects flexwatch's credentials/);
    assert.match(textOf(messages[0]), /invalid_client/);
    assert.doesNotMatch(textOf(messages[0]), /wrong/);
    const sent = 'flexwatch_operator_alerts_total{reason="credentials-rejected",outcome="sent"}';
    assert.equal(await harness.metricValue(sent), 1);
    const failures = `flexwatch_consecutive_poll_failures{project_id="${SHOP}",cluster="flex-9"}`;
    assert.equal(await harness.metricValue(failures), 2);
  });

  test("retired API version posts one message", async () => {
    harness = await startHarness();
    harness.atlas.goneVersions.add("2024-11-13");

    await harness.sweep();
    await harness.sweep();

    const messages = harness.operatorMessages();
    assert.equal(messages.length, 1);
    assert.match(messages[0]?.text ?? "", /^Atlas rejects flexwatch's API version/);
    assert.match(textOf(messages[0]), /VERSION_GONE/);
    assert.match(textOf(messages[0]), /atlas\.apiVersions/);
    const sent = 'flexwatch_operator_alerts_total{reason="api-version-rejected",outcome="sent"}';
    assert.equal(await harness.metricValue(sent), 1);
  });

  test("project error counts per project", async () => {
    harness = await startHarness();
    harness.atlas.injectFault({
      pathIncludes: `/groups/${SHOP}/`,
      status: 404,
      errorCode: "GROUP_NOT_FOUND",
      times: 3 * SHOP_CLUSTERS.length,
    });

    await harness.sweep();
    await harness.sweep();
    assert.equal(
      harness.operatorMessages().length,
      0,
      "three clusters failing twice is two sweeps",
    );

    await harness.sweep();
    const messages = harness.operatorMessages();
    assert.equal(messages.length, 1);
    assert.match(
      messages[0]?.text ?? "",
      new RegExp(`^flexwatch cannot poll an Atlas project: ${SHOP}: 3 consecutive`),
    );
    assert.match(textOf(messages[0]), /GROUP_NOT_FOUND/);
    assert.doesNotMatch(textOf(messages[0]), /\*Cluster\*/);

    await harness.sweep();
    assert.equal(harness.slack.replies.length, 1);
    assert.match(harness.slack.replies[0]?.text ?? "", new RegExp(`^Resolved: project ${SHOP}`));
  });

  test("failed project listing posts one message", async () => {
    harness = await startHarness({ projects: "*", alerts: { operatorFailureThreshold: 2 } });
    harness.atlas.injectFault({
      method: "GET",
      pathIncludes: "/api/atlas/v2/groups",
      status: 403,
      times: 2,
    });

    await harness.sweep();
    assert.equal(harness.operatorMessages().length, 0);
    await harness.sweep();
    const messages = harness.operatorMessages();
    assert.equal(messages.length, 1);
    assert.match(messages[0]?.text ?? "", /^flexwatch cannot list Atlas projects: 2 consecutive/);
    assert.match(textOf(messages[0]), /listing projects/);

    await harness.sweep();
    assert.equal(harness.operatorMessages().length, 1);
    assert.equal(harness.slack.replies.length, 1);
    assert.match(harness.slack.replies[0]?.text ?? "", /^Resolved: Atlas polled successfully/);
  });
});
