import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { AlertBackoffOptions } from "../queue/alert-backoff.ts";
import { AlertThreadStore } from "../state/alert-thread-store.ts";
import { AlertDelivery } from "./alert-delivery.ts";
import { AlertDigest } from "./alert-digest.ts";
import { ChannelRateLimiter } from "./channel-rate-limiter.ts";
import type { DeliveryContext } from "./delivery-context.ts";
import { DigestStore } from "./digest-store.ts";
import type { SlackAlertSender } from "./slack-alert-sender.ts";
import { SlackChannelDirectory } from "./slack-channel-directory.ts";

/** Timings of alert delivery that tests shorten; production uses the defaults. */
export interface AlertDeliveryTuning {
  /** Delay of alert jobs so a sweep's alerts can be counted for a digest. @defaultValue 5000 */
  digestWindowMs?: number;
  /** Time between two posts to one channel. @defaultValue 1000 */
  channelIntervalMs?: number;
  /** Retry delays of alert jobs. @defaultValue those of `createAlertBackoff` */
  backoff?: Pick<
    AlertBackoffOptions,
    "firstRetryDelayMs" | "maxRetryDelayMs" | "permanentErrorRetryDelayMs"
  >;
  /**
   * How often the alert worker looks for jobs of a dead worker, and how long a job's lock
   * lasts, in milliseconds. @defaultValue BullMQ's 30000 each
   */
  stalledIntervalMs?: number;
  lockDurationMs?: number;
}

/** The alert delivery of one process, and the digest polls register alerts with. */
export interface AlertDeliveryParts {
  delivery: AlertDelivery;
  digest: AlertDigest;
}

const DEFAULT_DIGEST_WINDOW_MS = 5000;
/**
 * A delivery makes up to four Slack calls (history search, post, update, and a channel
 * lookup), each bounded by the request timeout, and its lock must outlast them all.
 */
const CLAIM_TTL_REQUEST_TIMEOUTS = 6;

/** Wires the stores, rate limiter, channel directory, digest and delivery of restore alerts. */
export function createAlertDelivery(options: {
  config: Config;
  redis: Redis;
  sender: SlackAlertSender;
  queue: Queue;
  metrics: Metrics;
  logger: Logger;
  tuning?: AlertDeliveryTuning;
}): AlertDeliveryParts {
  const { config, redis, sender, metrics, logger, tuning = {} } = options;
  const keyPrefix = config.redis.keyPrefix;
  const context: DeliveryContext = {
    sender,
    directory: new SlackChannelDirectory({ redis, keyPrefix, sender, logger }),
    limiter: new ChannelRateLimiter({ redis, keyPrefix, intervalMs: tuning.channelIntervalMs }),
    threads: new AlertThreadStore(redis, keyPrefix),
    metrics,
    logger,
    claimTtlMs: CLAIM_TTL_REQUEST_TIMEOUTS * config.slack.requestTimeoutMs,
    now: Date.now,
  };
  const routing = config.slack;
  const digest = new AlertDigest({
    context,
    store: new DigestStore(redis, keyPrefix),
    routing,
    silences: config.alerts.silences,
    threshold: config.alerts.digestThreshold,
    windowMs: tuning.digestWindowMs ?? DEFAULT_DIGEST_WINDOW_MS,
  });
  const delivery = new AlertDelivery({
    context,
    queue: options.queue,
    routing,
    links: { atlasUiBaseUrl: config.slack.atlasUiBaseUrl, runbookUrl: config.slack.runbookUrl },
    silences: config.alerts.silences,
    digest,
  });
  return { delivery, digest };
}

/** Returns the alert worker's stalled-job timings set in `tuning`, leaving BullMQ's defaults. */
export function alertWorkerTimings(tuning: AlertDeliveryTuning = {}) {
  const timings: { stalledInterval?: number; lockDuration?: number } = {};
  if (tuning.stalledIntervalMs !== undefined) timings.stalledInterval = tuning.stalledIntervalMs;
  if (tuning.lockDurationMs !== undefined) timings.lockDuration = tuning.lockDurationMs;
  return timings;
}
