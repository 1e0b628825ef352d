import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { Job, Queue } from "bullmq";
import { pino } from "pino";
import { createPollProcessor } from "../../jobs/poll-cluster.ts";
import { type AlertEvent, alertJobId, enabledAlertKinds } from "../../src/alerts/alert-event.ts";
import { createAlertDelivery } from "../../src/alerts/create-alert-delivery.ts";
import { enqueueAlert } from "../../src/alerts/enqueue-alert.ts";
import { SlackAlertSender } from "../../src/alerts/slack-alert-sender.ts";
import type { SilenceConfig, SlackRoute } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import type { PollJobData } from "../../src/queue/job-data.ts";
import { bullmqPrefix, QUEUE_NAMES } from "../../src/queue/queue-names.ts";
import { AlertThreadStore } from "../../src/state/alert-thread-store.ts";
import { clusterStateKeys } from "../../src/state/cluster-state-keys.ts";
import {
  type DeliveryReplica,
  FAST_TUNING,
  startReplica,
  waitUntil,
} from "../alerts/delivery-harness.ts";
import { freePort } from "../support/free-port.ts";
import {
  ESTATE,
  isoSeconds,
  type PipelineFixture,
  startPipelineFixture,
} from "../support/pipeline-fixture.ts";
import { connectTestRedis } from "../support/redis.ts";

const CLI = resolve("src/cli/main.ts");

const HOUR_MS = 3_600_000;
/** Status of the restore job an alert kind is raised for; in flight for the others. */
const STATUS_OF_KIND: Partial<Record<AlertEvent["kind"], string>> = {
  failed: "FAILED",
  recovered: "COMPLETED",
};

let fixture: PipelineFixture;
let replicas: DeliveryReplica[] = [];

beforeEach(async () => {
  fixture = await startPipelineFixture("delivery");
  replicas = [];
});

afterEach(async () => {
  for (const replica of replicas) await replica.close();
  await fixture.cleanup();
});

async function replica(
  ...args: Parameters<typeof startReplica> extends [unknown, ...infer R] ? R : never
) {
  const started = await startReplica(fixture, ...args);
  replicas.push(started);
  return started;
}

/** Builds an alert of a restore job in the fixture's big cluster, as a poll would queue it. */
function restoreAlert(
  kind: AlertEvent["kind"],
  jobId: string,
  detectedAt = new Date(),
): AlertEvent {
  const terminal = kind === "failed" || kind === "recovered";
  return {
    kind,
    projectId: ESTATE.shop,
    cluster: ESTATE.bigCluster,
    previousStatus: "RUNNING",
    job: {
      id: jobId,
      status: STATUS_OF_KIND[kind] ?? "RUNNING",
      deliveryType: "RESTORE",
      restoreScheduledDate: isoSeconds(Date.now() - 2 * HOUR_MS),
      restoreFinishedDate: terminal ? isoSeconds(Date.now()) : undefined,
      expirationDate: isoSeconds(Date.now() + 4 * HOUR_MS),
    },
    detectedAt: detectedAt.toISOString(),
  };
}

function jobId(index: number): string {
  return `aa00000000000000000${index.toString().padStart(5, "0")}`;
}

/** Builds the digest a poll registers alerts with, as the replica's own pipeline does. */
function digestOf(flexwatch: DeliveryReplica) {
  const logger = pino({ level: "silent" });
  const metrics = new Metrics();
  const sender = new SlackAlertSender({
    token: fixture.slack.token,
    apiUrl: fixture.slack.url,
    requestTimeoutMs: 5000,
    metrics,
    logger,
  });
  const { config, redis, pipeline } = flexwatch;
  const parts = createAlertDelivery({
    config,
    redis,
    sender,
    queue: pipeline.queues.alert,
    metrics,
    logger,
    tuning: FAST_TUNING,
  });
  return parts.digest;
}

function postCalls() {
  return fixture.slack.calls.filter((call) => call.method === "chat.postMessage");
}

describe("when Slack fails for a while", () => {
  test("500 then success posts once", async () => {
    const flexwatch = await replica();
    fixture.slack.failNext("chat.postMessage", { status: 500 });

    const id = await flexwatch.enqueue(restoreAlert("failed", jobId(1)));
    const result = await flexwatch.waitForAlert(id);

    assert.equal(result.outcome, "sent");
    assert.equal(fixture.slack.messages.length, 1);
    assert.equal(postCalls().length, 2);
    assert.equal(await flexwatch.count("alerts", { outcome: "error" }), 1);
  });

  test("429 with Retry-After 3 posts once, 3 s later", async () => {
    const flexwatch = await replica();
    fixture.slack.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 3 });

    const id = await flexwatch.enqueue(restoreAlert("failed", jobId(1)));
    const result = await flexwatch.waitForAlert(id);

    assert.equal(result.outcome, "sent");
    assert.equal(fixture.slack.messages.length, 1);
    const [limited, accepted] = postCalls().map((call) => Date.parse(call.at));
    assert.ok(limited !== undefined, "no rate-limited chat.postMessage call");
    assert.ok(accepted !== undefined, "no second chat.postMessage call");
    assert.ok(accepted - limited >= 3000, `posted ${accepted - limited} ms after the 429`);
  });

  test("record lost after the post finds the message", async () => {
    const flexwatch = await replica();
    const original = AlertThreadStore.prototype.recordDelivery;
    let failures = 0;
    // The process "dies" between Slack accepting the post and the record being written.
    AlertThreadStore.prototype.recordDelivery = async function (this: AlertThreadStore, ...args) {
      if (failures++ === 0) throw new Error("simulated crash before recording the post");
      return original.apply(this, args);
    };
    try {
      const id = await flexwatch.enqueue(restoreAlert("failed", jobId(1)));
      const result = await flexwatch.waitForAlert(id);

      assert.equal(result.outcome, "duplicate");
      assert.equal(result.ts, fixture.slack.messages[0]?.ts);
      assert.equal(fixture.slack.messages.length, 1);
      assert.equal(postCalls().length, 1);
    } finally {
      AlertThreadStore.prototype.recordDelivery = original;
    }
  });

  test("60-minute outage, replayed in seconds, delivers everything in order", async () => {
    // Retries every 100-500 ms stand for the production 5 s to 5 min, so 4 s of outage stands
    // for about an hour of it.
    const flexwatch = await replica({ alerts: { deliveryTimeoutMs: 60_000 } });
    fixture.slack.setOutage(503);
    const detected = Date.now();
    const ids = [
      await flexwatch.enqueue(restoreAlert("stuck", jobId(1), new Date(detected))),
      await flexwatch.enqueue(restoreAlert("failed", jobId(1), new Date(detected + 1000))),
      await flexwatch.enqueue(restoreAlert("failed", jobId(2), new Date(detected))),
      await flexwatch.enqueue(restoreAlert("expired", jobId(3), new Date(detected))),
    ];
    await waitUntil("retries during the outage", () => fixture.slack.calls.length >= 8);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    fixture.slack.setOutage(null);

    const results = await Promise.all(ids.map((id) => flexwatch.waitForAlert(id)));

    assert.deepEqual(
      results.map((result) => result.delivery),
      ["message", "reply", "message", "message"],
    );
    assert.equal(fixture.slack.messages.length, 3);
    assert.equal(fixture.slack.replies.length, 1);
    const stuckRoot = fixture.slack.messages.find((m) => m.ts === results[0]?.ts);
    assert.equal(fixture.slack.replies[0]?.thread_ts, stuckRoot?.ts);
    assert.match(stuckRoot?.text ?? "", /^Restore FAILED/, "root shows the latest state");
    assert.equal(await flexwatch.count("alerts", { outcome: "given-up" }), 0);
    assert.ok(fixture.slack.calls.filter((c) => c.duringOutage).length >= 8);
  });
});

describe("when a restore job has several alerts", () => {
  test("stuck job that completes gets a reply and an updated header", async () => {
    const flexwatch = await replica();

    const stuck = await flexwatch.waitForAlert(
      await flexwatch.enqueue(restoreAlert("stuck", jobId(1))),
    );
    const recovered = await flexwatch.waitForAlert(
      await flexwatch.enqueue(restoreAlert("recovered", jobId(1))),
    );

    assert.equal(stuck.delivery, "message");
    assert.equal(recovered.delivery, "reply");
    assert.equal(fixture.slack.messages.length, 1);
    assert.equal(fixture.slack.replies.length, 1);
    const [root] = fixture.slack.messages;
    assert.equal(fixture.slack.replies[0]?.thread_ts, root?.ts);
    assert.match(fixture.slack.replies[0]?.text ?? "", /^Restore COMPLETED: restore job /);
    assert.ok(root?.edited, "the top-level message was updated");
    const header = JSON.stringify((root?.blocks as unknown[] | undefined)?.[0]);
    assert.match(header, /:white_check_mark: Resolved · Restore COMPLETED/);
    assert.match(JSON.stringify(root?.blocks), /earlier: stuck; details in the thread/);
  });

  test("later alert waits for the earlier one", async () => {
    const flexwatch = await replica();
    const now = Date.now();
    const later = restoreAlert("failed", jobId(1), new Date(now + 1));
    const earlier = restoreAlert("stuck", jobId(1), new Date(now));

    // Queued at once, later first, so the worker takes the later alert before the earlier one.
    await flexwatch.pipeline.queues.alert.addBulk(
      [later, earlier].map((event) => ({
        name: event.kind,
        data: { ...event, sweepId: "sweep-order" },
        opts: { jobId: alertJobId(event) },
      })),
    );
    const [failed, stuck] = await Promise.all([
      flexwatch.waitForAlert(alertJobId(later)),
      flexwatch.waitForAlert(alertJobId(earlier)),
    ]);

    assert.equal(stuck.delivery, "message");
    assert.equal(failed.delivery, "reply");
    assert.equal(fixture.slack.messages.length, 1);
  });
});

describe("when Slack rejects the channel", () => {
  test("channel_not_found is counted and not retried hot", async () => {
    const flexwatch = await replica({ slack: { channel: "C0000000000" } });

    const id = await flexwatch.enqueue(restoreAlert("failed", jobId(1)));
    await waitUntil(
      "the permanent error",
      async () =>
        (await flexwatch.count("slackPermanentErrors", { code: "channel_not_found" })) === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const postsToChannel = postCalls().filter((call) => call.body.channel === "C0000000000");
    assert.equal(postsToChannel.length, 1);
    const operatorPosts = postCalls().filter((call) => call.body.channel === "#atlas-restores");
    assert.equal(operatorPosts.length, 1, "the operator channel did not hear of the error");
    const job = await Job.fromId(flexwatch.pipeline.queues.alert, id);
    assert.equal(await job?.getState(), "delayed");
    assert.ok((job?.delay ?? 0) >= 15 * 60_000, `retried after ${job?.delay} ms`);
    assert.equal(
      await flexwatch.count("slackPermanentErrors", {
        code: "channel_not_found",
        channel: "C0000000000",
      }),
      1,
    );
    const errorLine = flexwatch.logLines.find((line) => line.includes("slack rejected the alert"));
    assert.match(errorLine ?? "", /"level":50/);
    assert.match(errorLine ?? "", /"channel":"C0000000000"/);
  });
});

describe("routing and silences", () => {
  const routes: SlackRoute[] = [
    {
      projects: [ESTATE.shop],
      clusters: ["search-*"],
      kinds: undefined,
      channel: "#search-restores",
      mentions: ["S0SEARCH01"],
    },
  ];
  const silences: SilenceConfig[] = [
    {
      projects: [ESTATE.analytics],
      clusters: undefined,
      kinds: ["failed"],
      until: new Date(Date.now() + HOUR_MS).toISOString(),
      reason: "restore drill in analytics",
    },
  ];

  test("alerts go to their route, silenced ones nowhere", async () => {
    const search = fixture.atlas.addRestoreJob(ESTATE.shop, "search-flex", { status: "RUNNING" });
    const events = fixture.atlas.addRestoreJob(ESTATE.analytics, "events-flex", {
      status: "RUNNING",
    });
    const flexwatch = await replica({
      slack: { routes, mentions: ["U0ONCALL01"] },
      alerts: { silences },
    });
    await flexwatch.sweep();
    for (const [project, cluster, id] of [
      [ESTATE.shop, ESTATE.bigCluster, fixture.runningJobId],
      [ESTATE.shop, "search-flex", search.id],
      [ESTATE.analytics, "events-flex", events.id],
    ] as const) {
      fixture.atlas.setRestoreJobStatus(project, cluster, id, "FAILED");
    }

    const summary = await flexwatch.sweep();

    assert.deepEqual(summary.alerts.map((alert) => alert.result?.outcome).sort(), [
      "sent",
      "sent",
      "silenced",
    ]);
    const byChannel = new Map(fixture.slack.messages.map((m) => [m.channel, m]));
    const routed = byChannel.get(fixture.slack.channelId("search-restores"));
    const fallback = byChannel.get(fixture.slack.channelId("atlas-restores"));
    assert.match(routed?.text ?? "", /^<!subteam\^S0SEARCH01> Restore FAILED: .* search-flex /);
    assert.match(fallback?.text ?? "", /^<@U0ONCALL01> Restore FAILED: .* orders-flex /);
    assert.equal(fixture.slack.messages.length, 2);
    assert.equal(await flexwatch.count("alerts", { outcome: "silenced" }), 1);
    const record = await flexwatch.threads.getSent(
      { projectId: ESTATE.analytics, cluster: "events-flex" },
      alertJobId({ kind: "failed", job: { id: events.id, status: "FAILED" } }),
    );
    assert.equal(record?.delivery, "silenced");
    assert.equal(record?.silence?.reason, "restore drill in analytics");
    assert.ok(
      flexwatch.logLines.some((line) =>
        /"reason":"restore drill in analytics".*"alert silenced"/.test(line),
      ),
    );
  });
});

describe("digests", () => {
  test("25 failures in one sweep post one digest", async () => {
    const jobs = fixture.atlas.addRestoreJobs(ESTATE.shop, "search-flex", 25, {
      status: "RUNNING",
    });
    const flexwatch = await replica();
    await flexwatch.sweep();
    for (const job of jobs)
      fixture.atlas.setRestoreJobStatus(ESTATE.shop, "search-flex", job.id, "FAILED");

    const summary = await flexwatch.sweep();

    // The summary's result type predates digests, so compare the outcomes as strings.
    const outcomes = summary.alerts.map((alert) => String(alert.result?.outcome));
    assert.equal(outcomes.length, 25);
    assert.equal(outcomes.filter((outcome) => outcome === "digested").length, 1);
    assert.equal(outcomes.filter((outcome) => outcome === "duplicate").length, 24);
    assert.equal(fixture.slack.messages.length, 1);
    const digest = fixture.slack.messages[0];
    assert.equal(digest?.text, "25 restore alerts in one sweep: 25 failed");
    assert.match(JSON.stringify(digest?.blocks), /…and 5 more, listed in the flexwatch logs\./);
    const ref = { projectId: ESTATE.shop, cluster: "search-flex" };
    const records = await flexwatch.threads.getSentMany(
      ref,
      jobs.map((job) => alertJobId({ kind: "failed", job: { id: job.id, status: "FAILED" } })),
    );
    assert.equal(records.size, 25);
    assert.ok([...records.values()].every((record) => record.delivery === "digest"));
  });

  test("alert registered after the digest goes on its own", async () => {
    const jobs = fixture.atlas.addRestoreJobs(ESTATE.shop, "search-flex", 12, {
      status: "RUNNING",
    });
    const flexwatch = await replica();
    await flexwatch.sweep();
    for (const job of jobs)
      fixture.atlas.setRestoreJobStatus(ESTATE.shop, "search-flex", job.id, "FAILED");
    const summary = await flexwatch.sweep();
    const late = { ...restoreAlert("failed", jobId(99)), cluster: "search-flex" };

    // A poll of the same sweep that finishes after the digest was posted.
    await digestOf(flexwatch).register({ ...late, sweepId: summary.sweepId });
    const result = await flexwatch.waitForAlert(await flexwatch.enqueue(late, summary.sweepId));

    assert.equal(result.outcome, "sent");
    assert.equal(result.delivery, "message");
    assert.equal(fixture.slack.messages.length, 2);
    assert.match(fixture.slack.messages[0]?.text ?? "", /^12 restore alerts in one sweep/);
  });

  test("ten failures post ten spaced messages", async () => {
    const jobs = fixture.atlas.addRestoreJobs(ESTATE.shop, "search-flex", 10, {
      status: "RUNNING",
    });
    const flexwatch = await replica();
    await flexwatch.sweep();
    for (const job of jobs)
      fixture.atlas.setRestoreJobStatus(ESTATE.shop, "search-flex", job.id, "FAILED");

    await flexwatch.sweep();

    assert.equal(fixture.slack.messages.length, 10);
    // The test spaces posts to a channel 100 ms apart, and a post may go 50 ms early.
    const postTimes = postCalls().map((call) => Date.parse(call.at));
    const spanMs = Math.max(...postTimes) - Math.min(...postTimes);
    assert.ok(spanMs >= 800, `ten posts to one channel within ${spanMs} ms`);
  });
});

describe("when work is repeated", () => {
  test("poll retried three times posts once", async () => {
    const flexwatch = await replica();
    await flexwatch.sweep();
    fixture.atlas.setRestoreJobStatus(
      ESTATE.shop,
      ESTATE.bigCluster,
      fixture.runningJobId,
      "FAILED",
    );
    const { store, atlas, queues } = flexwatch.pipeline;
    const ackAlert = store.ackAlert.bind(store);
    let acks = 0;
    // The first two attempts die after queueing the alert and before taking it off the outbox.
    store.ackAlert = async (ref, id) => {
      if (++acks <= 2) throw new Error(`simulated crash in poll attempt ${acks}`);
      return ackAlert(ref, id);
    };
    const poll = createPollProcessor({
      atlas,
      store,
      alertQueue: queues.alert,
      digest: digestOf(flexwatch),
      alertRules: {
        lookbackMs: flexwatch.config.alerts.lookbackMs,
        expiringLeadTimeMs: flexwatch.config.alerts.expiringLeadTimeMs,
        stuckAfterMs: flexwatch.config.alerts.stuckAfterMs,
        enabledKinds: enabledAlertKinds(flexwatch.config.alerts.kinds),
      },
      operatorAlerts: { recordPollFailure: async () => {}, recordPollSuccess: async () => {} },
      metrics: new Metrics(),
      logger: pino({ level: "silent" }),
    });
    const data: PollJobData = {
      projectId: ESTATE.shop,
      cluster: ESTATE.bigCluster,
      discovered: false,
      sweepId: "sweep-retried",
    };

    for (let attempt = 0; attempt < 3; attempt++) {
      const job = { id: "poll-retried", data, attemptsMade: attempt, opts: { attempts: 3 } };
      const run = poll(job as unknown as Job<PollJobData>);
      if (attempt < 2) await assert.rejects(run, /simulated crash/);
      else
        assert.deepEqual((await run).alertJobIds, [
          alertJobId({ kind: "failed", job: { id: fixture.runningJobId, status: "FAILED" } }),
        ]);
    }
    const result = await flexwatch.waitForAlert(
      alertJobId({ kind: "failed", job: { id: fixture.runningJobId, status: "FAILED" } }),
    );
    await new Promise((done) => setTimeout(done, 500));

    assert.equal(result.outcome, "sent");
    assert.equal(fixture.slack.messages.length, 1);
    assert.equal(postCalls().length, 1);
  });

  test("worker killed right after the post posts once", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", CLI, "run", "--config", fixture.configPath],
      {
        env: {
          ...process.env,
          ...fixture.env,
          METRICS_PORT: String(await freePort()),
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    const redis = connectTestRedis();
    const queue = new Queue(QUEUE_NAMES.alert, {
      connection: redis,
      prefix: bullmqPrefix(fixture.keyPrefix),
    });
    try {
      // Slack stores the message, then the response takes 10 s, in which the worker is killed.
      fixture.slack.failNext("chat.postMessage", { acceptThenFail: true, delayMs: 10_000 });
      const event = restoreAlert("failed", jobId(1));
      const id = await enqueueAlert(queue, event, "sweep-killed");
      await waitUntil("the post", () => fixture.slack.messages.length === 1, 20_000);
      child.kill("SIGKILL");
      await once(child, "exit");
      // Stands in for the time in which the dead worker's locks would still hold off the
      // restarted worker: its BullMQ job lock and stalled-job check (30 s each) and its send
      // lock on the restore job (6 Slack request timeouts).
      const queueKey = `${bullmqPrefix(fixture.keyPrefix)}:${QUEUE_NAMES.alert}`;
      const { sendingPrefix } = clusterStateKeys(fixture.keyPrefix, event);
      await redis.del(
        `${queueKey}:${id}:lock`,
        `${queueKey}:stalled-check`,
        `${sendingPrefix}${event.job.id}`,
      );

      const restarted = await replica({}, { ...FAST_TUNING, stalledIntervalMs: 300 });
      const result = await restarted.waitForAlert(id);

      assert.equal(result.outcome, "duplicate");
      assert.equal(result.ts, fixture.slack.messages[0]?.ts);
      assert.equal(fixture.slack.messages.length, 1);
      assert.equal(postCalls().length, 1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await queue.close();
      await redis.quit();
    }
  });

  test("two replicas sweeping at once post once per alert", async () => {
    const first = await replica();
    const second = await replica();
    await first.sweep();
    fixture.atlas.setRestoreJobStatus(
      ESTATE.shop,
      ESTATE.bigCluster,
      fixture.runningJobId,
      "FAILED",
    );

    const summaries = await Promise.all([first.sweep(), second.sweep()]);
    const alertId = alertJobId({
      kind: "failed",
      job: { id: fixture.runningJobId, status: "FAILED" },
    });
    // Once BullMQ has removed the finished job, a queued copy meets the alert's sent record.
    await (await Job.fromId(first.pipeline.queues.alert, alertId))?.remove();
    const event = restoreAlert("failed", fixture.runningJobId);
    await Promise.all([first.enqueue(event, "sweep-a"), second.enqueue(event, "sweep-b")]);
    const again = await second.waitForAlert(alertId);

    const alertJobs = new Set(summaries.flatMap((summary) => summary.alerts.map((a) => a.jobId)));
    assert.deepEqual([...alertJobs], [alertId]);
    assert.equal(again.outcome, "duplicate");
    assert.equal(fixture.slack.messages.length, 1);
    assert.equal(postCalls().length, 1);
  });

  test("two replicas with two alerts of one job start one thread", async () => {
    const first = await replica();
    const second = await replica();
    const detected = new Date();

    const ids = await Promise.all([
      first.enqueue(restoreAlert("stuck", jobId(1), detected)),
      second.enqueue(restoreAlert("expiring", jobId(1), detected)),
    ]);
    await Promise.all(ids.map((id) => first.waitForAlert(id)));

    assert.equal(fixture.slack.messages.length, 1);
    assert.equal(fixture.slack.replies.length, 1);
  });
});
