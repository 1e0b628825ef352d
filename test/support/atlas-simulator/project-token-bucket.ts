import { SECOND_MS } from "./generated-values.ts";
import type { SimulatorRateLimit } from "./simulator-types.ts";

/** The outcome of taking one token from a bucket. */
export interface BucketTake {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

/** Atlas's rate-limit buckets, one per key (endpoint set and project), refilled continuously. */
export class ProjectTokenBuckets {
  /** Bucket size and refill; tests may replace it while the simulator runs. */
  rateLimit: SimulatorRateLimit;
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(rateLimit: SimulatorRateLimit) {
    this.rateLimit = rateLimit;
  }

  /** Takes one token from bucket `key`, or returns how long until one is there. */
  take(key: string): BucketTake {
    const { capacity, refillAmount, refillIntervalMs } = this.rateLimit;
    const now = Date.now();
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedMs: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedMs) * refillAmount) / refillIntervalMs,
    );
    bucket.updatedMs = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const waitMs = ((1 - bucket.tokens) * refillIntervalMs) / refillAmount;
      return {
        allowed: false,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / SECOND_MS)),
      };
    }
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
  }
}
