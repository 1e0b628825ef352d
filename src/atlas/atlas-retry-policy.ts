import type { AtlasRetryConfig } from "../config/config.ts";
import { AtlasApiError } from "./atlas-api-error.ts";

/**
 * Retry settings for one Atlas request that failed with a retryable error. Poll jobs have their
 * own BullMQ attempts on top, so these settings only ride out short failures. The client takes
 * them from `atlas.retry`.
 */
export interface AtlasRetryPolicy {
  /** Attempts of one request, the first included. */
  maxAttempts: number;
  /** Backoff before the second attempt, doubled for each further attempt. */
  baseDelayMs: number;
  /**
   * Maximum wait before an attempt. A `Retry-After` above it ends the retries, so the poll
   * job fails now and BullMQ retries it later instead of holding a worker slot.
   */
  maxDelayMs: number;
}

/** Converts the `atlas.retry` section of the configuration into a retry policy. */
export function retryPolicyFromConfig(retry: AtlasRetryConfig): AtlasRetryPolicy {
  return {
    maxAttempts: retry.attempts,
    baseDelayMs: retry.baseDelayMs,
    maxDelayMs: retry.maxDelayMs,
  };
}

/**
 * Returns how long to wait before attempt `attempt + 1` after `error`, or undefined when the
 * request must not be sent again. The delay is exponential backoff with jitter, and never
 * shorter than the server's `Retry-After`.
 */
export function atlasRetryDelayMs(
  policy: AtlasRetryPolicy,
  attempt: number,
  error: unknown,
): number | undefined {
  if (!(error instanceof AtlasApiError) || !error.retryable) return undefined;
  if (attempt >= policy.maxAttempts) return undefined;

  const backoffMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Jitter spreads the retries of replicas that failed at the same moment.
  const jitteredMs = backoffMs / 2 + Math.random() * (backoffMs / 2);
  const retryAfterMs = error.retryAfterMs ?? 0;
  if (retryAfterMs > policy.maxDelayMs) return undefined;

  return Math.round(Math.max(jitteredMs, retryAfterMs));
}
