import type { Redis } from "ioredis";
import { OwnedLocks } from "../state/owned-locks.ts";
import type { AlertEvent } from "./alert-event.ts";
import type { PostingIntent } from "./sent-record.ts";

/** A posted digest: where it is and which alerts it lists. */
export interface PostedDigest {
  channel: string;
  ts: string;
  alertIds: string[];
  postedAt: string;
}

/**
 * Alerts are kept as long as alert jobs are (7 days), because a Slack outage can hold back the
 * jobs of one sweep for the whole delivery timeout.
 */
const DIGEST_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The Redis side of digests: per (sweep, channel) the alerts registered for it, a claim lock,
 * the posting intent and the posted digest. The keys of one digest share the hash tag
 * `{digest-<sweepId>-<channel>}`, one slot on Redis Cluster, apart from any cluster's state.
 */
export class DigestStore {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #locks: OwnedLocks;

  constructor(redis: Redis, keyPrefix: string) {
    this.#redis = redis;
    this.#keyPrefix = keyPrefix;
    this.#locks = new OwnedLocks(redis);
  }

  /** Adds an alert to the digest of its sweep and channel; adding it again changes nothing. */
  async register(sweepId: string, channel: string, alertId: string, event: AlertEvent) {
    const key = this.#keys(sweepId, channel).alerts;
    await this.#redis
      .multi()
      .hset(key, alertId, JSON.stringify(event))
      .expire(key, DIGEST_TTL_SECONDS)
      .exec();
  }

  async count(sweepId: string, channel: string): Promise<number> {
    return this.#redis.hlen(this.#keys(sweepId, channel).alerts);
  }

  /** Returns the registered alerts by alert id. */
  async members(sweepId: string, channel: string): Promise<Map<string, AlertEvent>> {
    const raw = await this.#redis.hgetall(this.#keys(sweepId, channel).alerts);
    const members = new Map<string, AlertEvent>();
    for (const [alertId, json] of Object.entries(raw)) {
      members.set(alertId, parseJson<AlertEvent>(this.#keys(sweepId, channel).alerts, json));
    }
    return members;
  }

  async getPosted(sweepId: string, channel: string): Promise<PostedDigest | null> {
    const key = this.#keys(sweepId, channel).posted;
    const raw = await this.#redis.get(key);
    return raw === null ? null : parseJson<PostedDigest>(key, raw);
  }

  async putPosted(sweepId: string, channel: string, digest: PostedDigest): Promise<void> {
    const key = this.#keys(sweepId, channel).posted;
    await this.#redis.set(key, JSON.stringify(digest), "EX", DIGEST_TTL_SECONDS);
  }

  async getIntent(sweepId: string, channel: string): Promise<PostingIntent | null> {
    const key = this.#keys(sweepId, channel).posting;
    const raw = await this.#redis.get(key);
    return raw === null ? null : parseJson<PostingIntent>(key, raw);
  }

  async putIntent(sweepId: string, channel: string, intent: PostingIntent): Promise<void> {
    const key = this.#keys(sweepId, channel).posting;
    await this.#redis.set(key, JSON.stringify(intent), "EX", DIGEST_TTL_SECONDS);
  }

  /** Takes the digest's claim for `ttlMs`. Returns false when another worker has it. */
  async claim(sweepId: string, channel: string, ttlMs: number): Promise<boolean> {
    return this.#locks.acquire(this.#keys(sweepId, channel).claim, ttlMs);
  }

  async release(sweepId: string, channel: string): Promise<void> {
    await this.#locks.release(this.#keys(sweepId, channel).claim);
  }

  #keys(sweepId: string, channel: string) {
    const name = channel
      .replace(/^#/, "")
      .replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0)}`);
    const base = `${this.#keyPrefix}:{digest-${sweepId}-${name}}`;
    return {
      alerts: `${base}:alerts`,
      claim: `${base}:claim`,
      posted: `${base}:posted`,
      posting: `${base}:posting`,
    };
  }
}

function parseJson<T>(key: string, raw: string): T {
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new Error(`invalid JSON in Redis key ${key}: delete the key, and the digest is rebuilt`, {
      cause: err,
    });
  }
}
