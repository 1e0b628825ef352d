import type { MinimalJob } from "bullmq";
import { SlackDeliveryError } from "../alerts/slack-delivery-error.ts";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** First retry delay of an alert; it doubles per attempt up to `MAX_RETRY_DELAY_MS`. */
const FIRST_RETRY_DELAY_MS = 5 * SECOND_MS;
const MAX_RETRY_DELAY_MS = 5 * MINUTE_MS;

/**
 * Delay before retrying an alert that failed permanently (bad channel, revoked token). It is
 * not retried hot, but still retried, so that fixing the config delivers the alert.
 */
const PERMANENT_ERROR_RETRY_DELAY_MS = 15 * MINUTE_MS;

/**
 * Returns the BullMQ backoff strategy of alert jobs: Slack's `Retry-After` when it sent one,
 * exponential with jitter otherwise, and -1 (give up) once `deliveryTimeoutMs` has passed since
 * the job was created.
 */
export function createAlertBackoff(deliveryTimeoutMs: number, now: () => number = Date.now) {
  return (attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob): number => {
    const delayMs = retryDelayMs(attemptsMade, err);
    const createdAt = job?.timestamp ?? now();
    if (now() + delayMs - createdAt > deliveryTimeoutMs) return -1;

    return delayMs;
  };
}

function retryDelayMs(attemptsMade: number, err: Error | undefined): number {
  if (err instanceof SlackDeliveryError && err.retryAfterMs !== undefined) {
    return err.retryAfterMs;
  }
  if (err instanceof SlackDeliveryError && !err.retryable) return PERMANENT_ERROR_RETRY_DELAY_MS;

  const exponentialMs = FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1);
  const cappedMs = Math.min(exponentialMs, MAX_RETRY_DELAY_MS);
  // Jitter spreads the retries of many alerts queued during one Slack outage.
  return Math.round(cappedMs * (0.5 + Math.random() * 0.5));
}
