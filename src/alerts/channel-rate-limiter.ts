import type { Redis } from "ioredis";

/** Options of `ChannelRateLimiter`. */
export interface ChannelRateLimiterOptions {
  redis: Redis;
  keyPrefix: string;
  /** Time between two posts to one channel, in milliseconds. @defaultValue 1000 */
  intervalMs?: number;
}

/**
 * Slack's rate-limit documentation (api.slack.com/docs/rate-limits) allows `chat.postMessage`
 * about one message per second per channel, with short bursts over that.
 */
const DEFAULT_INTERVAL_MS = 1000;
/** A post this early on its reserved slot still goes, because a delayed job may wake early. */
const EARLY_TOLERANCE_MS = 50;
/** How long a channel's keys outlive its last reserved slot. */
const KEEP_MS = 3_600_000;

/**
 * KEYS: the channel's next free slot (epoch ms), its reservations (hash holder → slot ms).
 * ARGV: interval ms, holder id, early tolerance ms, keep ms.
 * Returns 0 when the holder may post now, else the milliseconds until its reserved slot. The
 * clock is Redis's own, so replicas with skewed clocks share one schedule.
 */
const ACQUIRE_LUA = `
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval, holder = tonumber(ARGV[1]), ARGV[2]
local earlyMs, keepMs = tonumber(ARGV[3]), tonumber(ARGV[4])

local reservedSlot = redis.call('HGET', KEYS[2], holder)
if reservedSlot then
  reservedSlot = tonumber(reservedSlot)
  if reservedSlot <= now + earlyMs then
    redis.call('HDEL', KEYS[2], holder)
    return 0
  end
  return reservedSlot - now
end

local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree <= now then
  redis.call('SET', KEYS[1], now + interval, 'PX', interval + keepMs)
  return 0
end
redis.call('SET', KEYS[1], nextFree + interval, 'PX', nextFree + interval - now + keepMs)
redis.call('HSET', KEYS[2], holder, nextFree)
redis.call('PEXPIRE', KEYS[2], nextFree - now + keepMs)
return nextFree - now
`;

/** KEYS: the channel's next free slot. ARGV: delay ms, keep ms. */
const DEFER_LUA = `
redis.replicate_commands()
local time = redis.call('TIME')
local target = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < target then
  redis.call('SET', KEYS[1], target, 'PX', tonumber(ARGV[1]) + tonumber(ARGV[2]))
end
return 0
`;

interface LimiterCommands {
  flexwatchAcquireSlot(
    nextKey: string,
    reservationsKey: string,
    ...argv: string[]
  ): Promise<number>;
  flexwatchDeferChannel(nextKey: string, ...argv: string[]): Promise<number>;
}

/**
 * Spaces posts to each Slack channel `intervalMs` apart across every replica. A caller that
 * cannot post now gets a slot reserved for it and the wait until that slot. An alert job is
 * then delayed to exactly that time instead of sleeping or polling, so many waiting jobs post
 * one after another without retrying against each other.
 */
export class ChannelRateLimiter {
  readonly #commands: LimiterCommands;
  readonly #keyPrefix: string;
  readonly #intervalMs: number;

  constructor(options: ChannelRateLimiterOptions) {
    options.redis.defineCommand("flexwatchAcquireSlot", { numberOfKeys: 2, lua: ACQUIRE_LUA });
    options.redis.defineCommand("flexwatchDeferChannel", { numberOfKeys: 1, lua: DEFER_LUA });
    this.#commands = options.redis as unknown as LimiterCommands;
    this.#keyPrefix = options.keyPrefix;
    this.#intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  /**
   * Returns 0 when `holderId` may post to `channel` now, else the milliseconds to wait for the
   * slot reserved for it. Calling again with the same holder after the wait returns 0.
   */
  async acquire(channel: string, holderId: string): Promise<number> {
    const keys = this.#keys(channel);
    return this.#commands.flexwatchAcquireSlot(
      keys.next,
      keys.reservations,
      String(this.#intervalMs),
      holderId,
      String(EARLY_TOLERANCE_MS),
      String(KEEP_MS),
    );
  }

  /** Keeps every post to `channel` at least `delayMs` away, after Slack returned 429. */
  async deferChannel(channel: string, delayMs: number): Promise<void> {
    await this.#commands.flexwatchDeferChannel(
      this.#keys(channel).next,
      String(Math.ceil(delayMs)),
      String(KEEP_MS),
    );
  }

  #keys(channel: string) {
    // Percent-encoding keeps ids and plain names readable in keys and any other name safe.
    const name = channel
      .replace(/^#/, "")
      .replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0)}`);
    const base = `${this.#keyPrefix}:{slack-rate-${name}}`;
    return { next: `${base}:next`, reservations: `${base}:reservations` };
  }
}
