import { type Processor, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createPollProcessor } from "../../jobs/poll-cluster.ts";
import { createSendAlertProcessor } from "../../jobs/send-alert.ts";
import { createSendOperatorAlertProcessor } from "../../jobs/send-operator-alert.ts";
import { createSweepProcessor } from "../../jobs/sweep.ts";
import { enabledAlertKinds } from "../alerts/alert-event.ts";
import {
  type AlertDeliveryTuning,
  alertWorkerTimings,
  createAlertDelivery,
} from "../alerts/create-alert-delivery.ts";
import { OperatorAlertTracker } from "../alerts/operator-alert-tracker.ts";
import { SlackAlertSender } from "../alerts/slack-alert-sender.ts";
import { SlackErrorReporter } from "../alerts/slack-error-reporter.ts";
import { AtlasClient } from "../atlas/atlas-client.ts";
import { ClusterDropper } from "../atlas/cluster-dropper.ts";
import { DiscoveryCache } from "../atlas/discovery-cache.ts";
import { ClusterResolver } from "../atlas/resolve-clusters.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { AlertRules } from "../state/diff-restore-jobs.ts";
import { OperatorAlertStore } from "../state/operator-alert-store.ts";
import { PagingState } from "../state/paging-state.ts";
import { StateStore } from "../state/state-store.ts";
import { createAlertBackoff } from "./alert-backoff.ts";
import { bullmqPrefix, QUEUE_NAMES } from "./queue-names.ts";
import { closeQueues, createQueues, type Queues } from "./queues.ts";

/**
 * Slack allows about one message per second per channel. Operator alerts go to one channel,
 * and BullMQ's limiter is shared by every worker of the queue, so one per second across all
 * replicas stays within it.
 */
const OPERATOR_ALERT_RATE_LIMIT = { max: 1, duration: 1000 };

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
  /** Shorter alert delivery timings for tests. */
  alertTuning?: AlertDeliveryTuning;
}

/** Wires the Atlas client, state store, Slack sender and queues into one pipeline. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { config, redis, metrics, logger } = options;
  const keyPrefix = config.redis.keyPrefix;
  const queues = createQueues(redis, keyPrefix, config.queue.pollAttempts);
  const store = new StateStore(redis, keyPrefix);
  const atlas = new AtlasClient({ atlas: config.atlas, redis, keyPrefix, metrics, logger });
  const sender = createSender(config, metrics, logger);
  const alerts =
    sender === null
      ? undefined
      : createAlertDelivery({
          config,
          redis,
          sender,
          queue: queues.alert,
          metrics,
          logger,
          tuning: options.alertTuning,
        });
  const paging = new PagingState(redis, keyPrefix);
  const cache = new DiscoveryCache(redis, keyPrefix, config.atlas.discoveryCacheTtlMs);
  const dropper = new ClusterDropper({ atlas, store, paging, cache, metrics, logger });
  const resolver = new ClusterResolver({
    projects: config.projects,
    atlas,
    cache,
    store,
    dropper,
    logger,
  });
  const operatorStore = new OperatorAlertStore(redis, keyPrefix);
  const operatorAlerts = new OperatorAlertTracker({
    store: operatorStore,
    pollFailures: store.pollFailures,
    queue: queues.operatorAlert,
    policy: {
      threshold: config.alerts.operatorFailureThreshold,
      repeatIntervalMs: config.alerts.operatorRepeatIntervalMs,
    },
    logger,
  });
  const slackErrors =
    sender === null
      ? undefined
      : new SlackErrorReporter({
          redis,
          keyPrefix,
          sender,
          operatorChannel: config.slack.operatorChannel,
          repeatIntervalMs: config.alerts.operatorRepeatIntervalMs,
          metrics,
          logger,
        });
  const processors = {
    sweep: createSweepProcessor({
      listProjects: () => resolver.listProjects(),
      resolveClusters: (project) => resolver.resolveClusters(project),
      dropUnconfiguredClusters: () => resolver.dropUnconfiguredClusters(),
      pollQueue: queues.poll,
      store,
      operatorAlerts,
      metrics,
      logger,
    }),
    poll: createPollProcessor({
      atlas,
      store,
      paging,
      fullReadEvery: config.atlas.fullReadEvery,
      clusterDropper: dropper,
      alertQueue: queues.alert,
      digest: alerts?.digest,
      alertRules: alertRulesOf(config),
      operatorAlerts,
      metrics,
      logger,
    }),
    alert: createSendAlertProcessor({
      delivery: alerts?.delivery ?? null,
      metrics,
      logger,
      onPermanentError: slackErrors ? (report) => slackErrors.report(report) : undefined,
    }),
    operatorAlert: createSendOperatorAlertProcessor({
      sender,
      store: operatorStore,
      channel: config.slack.operatorChannel,
      repeatIntervalMs: config.alerts.operatorRepeatIntervalMs,
      metrics,
      logger,
    }),
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
    requestTimeoutMs: config.slack.requestTimeoutMs,
    metrics,
    logger,
  });
}

function alertRulesOf(config: Config): AlertRules {
  return {
    lookbackMs: config.alerts.lookbackMs,
    expiringLeadTimeMs: config.alerts.expiringLeadTimeMs,
    stuckAfterMs: config.alerts.stuckAfterMs,
    enabledKinds: enabledAlertKinds(config.alerts.kinds),
  };
}

function createWorkers(
  options: PipelineOptions,
  processors: { sweep: Processor; poll: Processor; alert: Processor; operatorAlert: Processor },
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
    // No queue-wide limiter: alert delivery spaces posts per channel (channel-rate-limiter.ts),
    // and jobs that post nothing (duplicates, silences, waits) need no slot.
    new Worker(QUEUE_NAMES.alert, processors.alert, {
      connection: redis,
      prefix,
      concurrency: config.queue.alertConcurrency,
      ...alertWorkerTimings(options.alertTuning),
      settings: {
        backoffStrategy: createAlertBackoff({
          deliveryTimeoutMs: config.alerts.deliveryTimeoutMs,
          ...options.alertTuning?.backoff,
        }),
      },
    }),
    new Worker(QUEUE_NAMES.operatorAlert, processors.operatorAlert, {
      connection: redis,
      prefix,
      concurrency: 1,
      limiter: OPERATOR_ALERT_RATE_LIMIT,
      settings: {
        backoffStrategy: createAlertBackoff({ deliveryTimeoutMs: config.alerts.deliveryTimeoutMs }),
      },
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
    if (worker.name === QUEUE_NAMES.operatorAlert) {
      options.metrics.operatorAlerts.inc({ reason: String(job.data.reason), outcome: "given-up" });
      logger.error({ err, jobId: job.id, attempts: job.attemptsMade }, "operator alert given up");
      return;
    }
    logger.error({ err, jobId: job.id, attempts: job.attemptsMade }, "job failed for good");
  });
}
