import { type Processor, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createPollProcessor } from "../../jobs/poll-cluster.ts";
import { createSendAlertProcessor } from "../../jobs/send-alert.ts";
import { createSweepProcessor } from "../../jobs/sweep.ts";
import { SlackAlertSender } from "../alerts/slack-alert-sender.ts";
import { AtlasClient } from "../atlas/atlas-client.ts";
import { resolveClusters } from "../atlas/resolve-clusters.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { StateStore } from "../state/state-store.ts";
import { createAlertBackoff } from "./alert-backoff.ts";
import { bullmqPrefix, QUEUE_NAMES } from "./queue-names.ts";
import { closeQueues, createQueues, type Queues } from "./queues.ts";

/**
 * Slack allows about one message per second per channel. BullMQ's limiter is shared by every
 * worker of the queue, so this holds across replicas.
 */
const ALERT_RATE_LIMIT = { max: 1, duration: 1000 };

/** Everything one flexwatch process uses to run sweeps, polls and alerts. */
export interface Pipeline {
  queues: Queues;
  store: StateStore;
  atlas: AtlasClient;
  /** Starts the queue workers of this process. */
  startWorkers(): void;
  workersRunning(): boolean;
  /** Stops taking new jobs, waits for running ones, and closes queues. */
  close(): Promise<void>;
}

export interface PipelineOptions {
  config: Config;
  redis: Redis;
  metrics: Metrics;
  logger: Logger;
}

/** Wires the Atlas client, state store, Slack sender and queues into one pipeline. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { config, redis, metrics, logger } = options;
  const keyPrefix = config.redis.keyPrefix;
  const queues = createQueues(redis, keyPrefix, config.queue.pollAttempts);
  const store = new StateStore(redis, keyPrefix);
  const atlas = new AtlasClient({ atlas: config.atlas, redis, keyPrefix, metrics, logger });
  const sender = createSender(config, metrics, logger);
  const processors = {
    sweep: createSweepProcessor({
      projects: config.projects,
      resolveClusters: (project) => resolveClusters(atlas, project),
      pollQueue: queues.poll,
      store,
      metrics,
      logger,
    }),
    poll: createPollProcessor({
      atlas,
      store,
      alertQueue: queues.alert,
      lookbackMs: config.alerts.lookbackMs,
      metrics,
      logger,
    }),
    alert: createSendAlertProcessor({ sender, store, metrics, logger }),
  };
  let workers: Worker[] = [];

  return {
    queues,
    store,
    atlas,
    startWorkers() {
      workers = createWorkers(options, processors);
    },
    workersRunning: () => workers.length > 0 && workers.every((worker) => worker.isRunning()),
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      workers = [];
      await closeQueues(queues);
    },
  };
}

function createSender(config: Config, metrics: Metrics, logger: Logger): SlackAlertSender | null {
  if (!config.slack.enabled || config.slack.token === undefined) return null;

  return new SlackAlertSender({
    token: config.slack.token,
    apiUrl: config.slack.apiUrl,
    channel: config.slack.channel,
    requestTimeoutMs: config.slack.requestTimeoutMs,
    metrics,
    logger,
  });
}

function createWorkers(
  options: PipelineOptions,
  processors: { sweep: Processor; poll: Processor; alert: Processor },
): Worker[] {
  const { config, redis } = options;
  const prefix = bullmqPrefix(config.redis.keyPrefix);
  const workers = [
    new Worker(QUEUE_NAMES.sweep, processors.sweep, { connection: redis, prefix, concurrency: 1 }),
    new Worker(QUEUE_NAMES.poll, processors.poll, {
      connection: redis,
      prefix,
      concurrency: config.queue.pollConcurrency,
    }),
    new Worker(QUEUE_NAMES.alert, processors.alert, {
      connection: redis,
      prefix,
      concurrency: config.queue.alertConcurrency,
      limiter: ALERT_RATE_LIMIT,
      settings: { backoffStrategy: createAlertBackoff(config.alerts.deliveryTimeoutMs) },
    }),
  ];
  for (const worker of workers) watchWorker(worker, options);

  return workers;
}

function watchWorker(worker: Worker, options: PipelineOptions): void {
  const logger = options.logger.child({ queue: worker.name });
  worker.on("error", (err) => logger.error({ err }, "queue worker error"));
  worker.on("failed", (job, err) => {
    if (job === undefined || job.finishedOn === undefined) return;
    // finishedOn is set only when BullMQ will not retry the job again.
    if (worker.name === QUEUE_NAMES.alert) {
      options.metrics.alerts.inc({ kind: String(job.name), outcome: "given-up" });
      logger.error({ err, jobId: job.id, attempts: job.attemptsMade }, "alert given up");
      return;
    }
    logger.error({ err, jobId: job.id, attempts: job.attemptsMade }, "job failed for good");
  });
}
