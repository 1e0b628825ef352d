import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { AtlasRateLimitConfig } from "../config/config.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { AtlasApiError } from "./atlas-api-error.ts";
import type { AtlasErrorContext } from "./atlas-fetch.ts";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/**
 * One token bucket per hash, refilled continuously, timed by the Redis server clock so that
 * replicas with skewed clocks agree. Mode "take" reserves one token when it is available within
 * ARGV[4] ms and returns {1, waitMs}, else reserves nothing and returns {0, waitMs}; tokens go
 * negative while requests wait for them. Mode "cap" lowers the tokens to at most ARGV[4] and
 * returns {1, 0}. The key expires once the bucket would be full again, plus a minute.
 */
const TOKEN_BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[2])
local perMs = tonumber(ARGV[3]) / 60000
local limit = tonumber(ARGV[4])
local time = redis.call("TIME")
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call("HMGET", KEYS[1], "tokens", "updatedMs")
local tokens = tonumber(state[1]) or capacity
local updatedMs = tonumber(state[2]) or nowMs
tokens = math.min(capacity, tokens + math.max(0, nowMs - updatedMs) * perMs)
local reserved = 1
local waitMs = 0
if ARGV[1] == "take" then
  waitMs = math.max(0, math.ceil((1 - tokens) / perMs))
  if waitMs <= limit then tokens = tokens - 1 else reserved = 0 end
else
  tokens = math.min(tokens, limit)
end
redis.call("HSET", KEYS[1], "tokens", tostring(tokens), "updatedMs", tostring(nowMs))
redis.call("PEXPIRE", KEYS[1], math.ceil((capacity - tokens) / perMs) + 60000)
return {reserved, waitMs}`;

export interface ProjectRateLimiterOptions {
  redis: Redis;
  /** Prefix of the Redis keys; a bucket is `<keyPrefix>:ratelimit:{<projectId>}`. */
  keyPrefix: string;
  rateLimit: AtlasRateLimitConfig;
  metrics: Metrics;
}

/**
 * flexwatch's own request budget per Atlas project, a token bucket in Redis that every replica
 * shares. Atlas keeps one bucket per project for the flex endpoints (1,200 requests, refilled
 * at 500 a minute), and the project's other API users draw from it too. So flexwatch takes a
 * token before each request, and empties its own bucket when Atlas reports that few remain.
 */
export class ProjectRateLimiter {
  readonly #options: ProjectRateLimiterOptions;

  constructor(options: ProjectRateLimiterOptions) {
    this.#options = options;
  }

  /**
   * Takes one request token for `projectId`, sleeping until one is available, and returns how
   * long it slept in ms.
   *
   * @throws AtlasApiError CLIENT_RATE_LIMITED (retryable) when the wait would exceed
   * `maxWaitMs`; no token is taken then.
   */
  async acquire(projectId: string, maxWaitMs: number, context: LimitedRequest): Promise<number> {
    const [reserved, waitMs] = await this.#run("take", projectId, maxWaitMs);
    if (reserved !== 1) {
      throw new AtlasApiError({
        ...context.context,
        status: undefined,
        errorCode: "CLIENT_RATE_LIMITED",
        detail: `the next request token of project ${projectId} is ${waitMs} ms away, more than the ${maxWaitMs} ms request timeout`,
        endpoint: context.endpoint,
        retryAfterMs: waitMs,
      });
    }
    if (waitMs <= 0) return 0;

    this.#options.metrics.atlasRateLimitWait.inc({ project_id: projectId }, waitMs / SECOND_MS);
    await sleep(waitMs);
    return waitMs;
  }

  /**
   * Reads Atlas's `RateLimit-Remaining` of a response. Below `minRemaining`, the shared bucket
   * is lowered to `remaining - minRemaining` tokens (negative when fewer remain), so every
   * replica waits until Atlas has refilled its bucket above the reserve.
   */
  async observeRemaining(projectId: string, remaining: number): Promise<void> {
    const { minRemaining } = this.#options.rateLimit;
    if (!Number.isFinite(remaining) || remaining >= minRemaining) return;
    await this.#run("cap", projectId, remaining - minRemaining);
  }

  /** Empties the shared bucket so that the next request of any replica waits `delayMs`. */
  async pause(projectId: string, delayMs: number): Promise<void> {
    const perMs = this.#options.rateLimit.refillPerMinute / MINUTE_MS;
    await this.#run("cap", projectId, 1 - delayMs * perMs);
  }

  async #run(mode: "take" | "cap", projectId: string, limit: number): Promise<[number, number]> {
    const { redis, keyPrefix, rateLimit } = this.#options;
    const key = `${keyPrefix}:ratelimit:{${projectId}}`;
    const result = (await redis.eval(
      TOKEN_BUCKET_SCRIPT,
      1,
      key,
      mode,
      rateLimit.capacity,
      rateLimit.refillPerMinute,
      limit,
    )) as [number, number];
    return result;
  }
}

/** The request a token is taken for, named in the error when the wait is too long. */
export interface LimitedRequest {
  endpoint: string;
  context: AtlasErrorContext;
}
