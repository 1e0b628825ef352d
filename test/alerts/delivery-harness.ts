import { Job, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { pino } from "pino";
import type { AlertEvent } from "../../src/alerts/alert-event.ts";
import type { AlertDeliveryResult } from "../../src/alerts/alert-outcome.ts";
import type { AlertDeliveryTuning } from "../../src/alerts/create-alert-delivery.ts";
import { enqueueAlert } from "../../src/alerts/enqueue-alert.ts";
import type { OnceSummary } from "../../src/cli/once-summary.ts";
import type { AlertsConfig, Config, SlackConfig } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { createPipeline, type Pipeline } from "../../src/queue/pipeline.ts";
import { bullmqPrefix, QUEUE_NAMES } from "../../src/queue/queue-names.ts";
import { SweepWaiter } from "../../src/queue/sweep-waiter.ts";
import { AlertThreadStore } from "../../src/state/alert-thread-store.ts";
import type { PipelineFixture } from "../support/pipeline-fixture.ts";
import { connectTestRedis } from "../support/redis.ts";

/**
 * Timings that replay minutes of Slack trouble in about a second: a short digest window, 100 ms
 * between posts to a channel, and retries from 100 ms up to 500 ms.
 */
export const FAST_TUNING: AlertDeliveryTuning = {
  digestWindowMs: 300,
  channelIntervalMs: 100,
  backoff: { firstRetryDelayMs: 100, maxRetryDelayMs: 500 },
};

/** Settings a test changes in the fixture's config. */
export interface ConfigChanges {
  slack?: Partial<SlackConfig>;
  alerts?: Partial<AlertsConfig>;
}

/** One flexwatch process (a "replica") running against a pipeline fixture. */
export interface DeliveryReplica {
  config: Config;
  redis: Redis;
  metrics: Metrics;
  pipeline: Pipeline;
  threads: AlertThreadStore;
  /** JSON log lines of this replica. */
  logLines: string[];
  /** Runs one sweep and waits for its polls and alerts. */
  sweep(timeoutMs?: number): Promise<OnceSummary>;
  /** Queues an alert as a poll of sweep `sweepId` would, without a digest window. */
  enqueue(event: AlertEvent, sweepId?: string): Promise<string>;
  /** Waits for an alert job to complete and returns its result. */
  waitForAlert(jobId: string, timeoutMs?: number): Promise<AlertDeliveryResult>;
  /** Returns how often `metric` was incremented with `labels`. */
  count(metric: "alerts" | "slackPermanentErrors", labels: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Starts a replica on the fixture's config with `changes` applied, workers running. */
export async function startReplica(
  fixture: PipelineFixture,
  changes: ConfigChanges = {},
  tuning: AlertDeliveryTuning = FAST_TUNING,
): Promise<DeliveryReplica> {
  const loaded = await fixture.loadConfig();
  const config: Config = {
    ...loaded,
    slack: { ...loaded.slack, ...changes.slack },
    alerts: { ...loaded.alerts, ...changes.alerts },
  };
  const redis = connectTestRedis();
  const metrics = new Metrics();
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
  const pipeline = createPipeline({ config, redis, metrics, logger, alertTuning: tuning });
  const waiter = new SweepWaiter(redis, config.redis.keyPrefix, pipeline.queues);
  const eventsConnection = redis.duplicate();
  const events = new QueueEvents(QUEUE_NAMES.alert, {
    connection: eventsConnection,
    prefix: bullmqPrefix(config.redis.keyPrefix),
  });
  await Promise.all([waiter.ready(), events.waitUntilReady()]);
  pipeline.startWorkers();

  return {
    config,
    redis,
    metrics,
    pipeline,
    threads: new AlertThreadStore(redis, config.redis.keyPrefix),
    logLines,
    sweep: (timeoutMs = DEFAULT_TIMEOUT_MS) => waiter.sweepAndWait(Date.now() + timeoutMs),
    enqueue: (event, sweepId = `test-${Date.now()}`) =>
      enqueueAlert(pipeline.queues.alert, event, sweepId),
    async waitForAlert(jobId, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const job = await Job.fromId(pipeline.queues.alert, jobId);
      if (job === undefined) throw new Error(`alert job ${jobId} not found`);
      return (await job.waitUntilFinished(events, timeoutMs)) as AlertDeliveryResult;
    },
    async count(metric, labels) {
      const { values } = await metrics[metric].get();
      const matches = values.filter((value) =>
        Object.entries(labels).every(
          ([key, wanted]) => (value.labels as Record<string, unknown>)[key] === wanted,
        ),
      );
      return matches.reduce((sum, value) => sum + value.value, 0);
    },
    async close() {
      await waiter.close();
      await events.close();
      await pipeline.close();
      await eventsConnection.quit();
      await redis.quit();
    },
  };
}

/** Polls `check` every 50 ms until it holds, failing after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
