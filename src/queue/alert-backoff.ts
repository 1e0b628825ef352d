import type { MinimalJob } from "bullmq";
import { SlackDeliveryError } from "../alerts/slack-delivery-error.ts";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** Retry delays of alert jobs; tests shorten them to replay hours of outage in seconds. */
export interface AlertBackoffOptions {
  /** How long after its creation an alert job is given up, in milliseconds. */
  deliveryTimeoutMs: number;
  /** First retry delay; it doubles per attempt up to `maxRetryDelayMs`. @defaultValue 5000 */
  firstRetryDelayMs?: number;
  /**
   * Largest retry delay, which bounds how late an alert arrives after Slack is back.
   * @defaultValue 300000 (5 min)
   */
  maxRetryDelayMs?: number;
  /**
   * Delay before retrying an alert that failed permanently (bad channel, revoked token). It is
   * not retried hot, but still retried, so that fixing the config delivers the alert.
   * @defaultValue 900000 (15 min)
   */
  permanentErrorRetryDelayMs?: number;
  /** The clock, epoch ms. @defaultValue Date.now */
  now?: () => number;
}

/**
 * Returns the BullMQ backoff strategy of alert jobs: Slack's `Retry-After` when it sent one,
 * exponential with jitter otherwise, and -1 (give up) once a retry would start more than
 * `deliveryTimeoutMs` after the job was created.
 */
export function createAlertBackoff(options: AlertBackoffOptions) {
  const delays = {
    firstMs: options.firstRetryDelayMs ?? 5 * SECOND_MS,
    maxMs: options.maxRetryDelayMs ?? 5 * MINUTE_MS,
    permanentMs: options.permanentErrorRetryDelayMs ?? 15 * MINUTE_MS,
  };
  const now = options.now ?? Date.now;

  return (attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob): number => {
    const delayMs = retryDelayMs(attemptsMade, err, delays);
    const createdAt = job?.timestamp ?? now();
    if (now() + delayMs - createdAt > options.deliveryTimeoutMs) return -1;

    return delayMs;
  };
}

function retryDelayMs(
  attemptsMade: number,
  err: Error | undefined,
  delays: { firstMs: number; maxMs: number; permanentMs: number },
): number {
  if (err instanceof SlackDeliveryError && err.retryAfterMs !== undefined) {
    return err.retryAfterMs;
  }
  if (err instanceof SlackDeliveryError && !err.retryable) return delays.permanentMs;

  const exponentialMs = delays.firstMs * 2 ** Math.max(0, attemptsMade - 1);
  const cappedMs = Math.min(exponentialMs, delays.maxMs);
  // Jitter spreads the retries of many alerts queued during one Slack outage.
  return Math.round(cappedMs * (0.5 + Math.random() * 0.5));
}
