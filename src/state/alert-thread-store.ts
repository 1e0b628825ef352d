import type { Redis } from "ioredis";
import type { AlertEvent, AlertKind } from "../alerts/alert-event.ts";
import type { PostingIntent, SentRecord } from "../alerts/sent-record.ts";
import type { ClusterRef } from "./cluster-ref.ts";
import { type ClusterStateKeys, clusterStateKeys } from "./cluster-state-keys.ts";
import { execTransaction } from "./exec-transaction.ts";
import { OwnedLocks } from "./owned-locks.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/**
 * The top-level Slack message of one restore job: every later alert of the job replies in its
 * thread, and its content is updated to show the job's latest state.
 */
export interface AlertThread {
  /** Channel id of the top-level message. */
  channel: string;
  /** Timestamp of the top-level message. */
  ts: string;
  /** True when the top-level message is a digest, which is never updated for one job. */
  digest: boolean;
  /** Kinds delivered for the job, in delivery order. */
  kinds: AlertKind[];
  /** The latest delivered alert of the job; its job object never contains `snapshotUrl`. */
  latest: AlertEvent;
  /** Alert id whose state the top-level message shows; behind `latest` until an update lands. */
  rootShows: string;
}

/** An alert's record plus, when it starts or continues a thread, the thread to store. */
export interface Delivery {
  alertId: string;
  record: SentRecord;
  thread?: { restoreJobId: string; value: AlertThread };
}

/**
 * Sent records, threads, posting intents and per-restore-job send locks of restore alerts, in
 * Redis under each cluster's hash tag, so every write for one delivery is one transaction in
 * one slot, on Redis Cluster too.
 */
export class AlertThreadStore {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #locks: OwnedLocks;

  constructor(redis: Redis, keyPrefix: string) {
    this.#redis = redis;
    this.#keyPrefix = keyPrefix;
    this.#locks = new OwnedLocks(redis);
  }

  /** Returns the record of an alert, or null when it was never delivered. */
  async getSent(ref: ClusterId, alertId: string): Promise<SentRecord | null> {
    const records = await this.getSentMany(ref, [alertId]);
    return records.get(alertId) ?? null;
  }

  /** Returns the records of those alerts that have one, by alert id. */
  async getSentMany(ref: ClusterId, alertIds: readonly string[]): Promise<Map<string, SentRecord>> {
    const found = new Map<string, SentRecord>();
    if (alertIds.length === 0) return found;

    const key = this.#keys(ref).sent;
    const raw = await this.#redis.hmget(key, ...alertIds);
    alertIds.forEach((id, index) => {
      const value = raw[index];
      if (value !== null && value !== undefined) found.set(id, parseSentRecord(key, id, value));
    });
    return found;
  }

  /** Returns the thread of a restore job, or null when none of its alerts was posted. */
  async getThread(ref: ClusterId, restoreJobId: string): Promise<AlertThread | null> {
    const key = this.#keys(ref).threads;
    const raw = await this.#redis.hget(key, restoreJobId);
    return raw === null ? null : parseStored(key, restoreJobId, raw, isAlertThread);
  }

  async putThread(ref: ClusterId, restoreJobId: string, thread: AlertThread): Promise<void> {
    await this.#redis.hset(this.#keys(ref).threads, restoreJobId, JSON.stringify(thread));
  }

  /** Returns the posting intent of an alert, or null when no try reached the post. */
  async getIntent(ref: ClusterId, alertId: string): Promise<PostingIntent | null> {
    const key = this.#keys(ref).posting;
    const raw = await this.#redis.hget(key, alertId);
    return raw === null ? null : parseStored(key, alertId, raw, isPostingIntent);
  }

  async putIntent(ref: ClusterId, alertId: string, intent: PostingIntent): Promise<void> {
    await this.#redis.hset(this.#keys(ref).posting, alertId, JSON.stringify(intent));
  }

  /**
   * Stores an alert's record and its thread, and removes the alert from the outbox and its
   * posting intent, in one transaction.
   */
  async recordDelivery(ref: ClusterId, delivery: Delivery): Promise<void> {
    const keys = this.#keys(ref);
    const transaction = this.#redis
      .multi()
      .hset(keys.sent, delivery.alertId, JSON.stringify(delivery.record))
      .hdel(keys.outbox, delivery.alertId)
      .hdel(keys.posting, delivery.alertId);
    if (delivery.thread !== undefined) {
      const { restoreJobId, value } = delivery.thread;
      transaction.hset(keys.threads, restoreJobId, JSON.stringify(value));
    }
    await execTransaction(transaction);
  }

  /**
   * Takes the send lock of a restore job for `ttlMs` milliseconds, so that two workers never
   * post alerts of one job at once, which could start two threads. Returns false when another
   * holder has it.
   */
  async claimJob(ref: ClusterId, restoreJobId: string, ttlMs: number): Promise<boolean> {
    return this.#locks.acquire(this.#keys(ref).sendingPrefix + restoreJobId, ttlMs);
  }

  /** Releases a restore job's send lock this store holds; another holder's lock stays. */
  async releaseJob(ref: ClusterId, restoreJobId: string): Promise<void> {
    await this.#locks.release(this.#keys(ref).sendingPrefix + restoreJobId);
  }

  #keys(ref: ClusterId): ClusterStateKeys {
    return clusterStateKeys(this.#keyPrefix, ref);
  }
}

function parseSentRecord(key: string, field: string, raw: string): SentRecord {
  return parseStored(key, field, raw, isSentRecord);
}

function parseStored<T>(
  key: string,
  field: string,
  raw: string,
  isValid: (value: Record<string, unknown>) => boolean,
): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`invalid JSON in Redis hash ${key} field ${field}: fix or delete the field`, {
      cause: err,
    });
  }
  if (typeof value !== "object" || value === null || !isValid(value as Record<string, unknown>)) {
    throw new Error(
      `invalid value in Redis hash ${key} field ${field}: the JSON lacks required fields. Fix or delete the field`,
    );
  }
  return value as T;
}

function isSentRecord(value: Record<string, unknown>): boolean {
  return (
    typeof value.channel === "string" &&
    typeof value.ts === "string" &&
    typeof value.postedAt === "string"
  );
}

function isAlertThread(value: Record<string, unknown>): boolean {
  return (
    typeof value.channel === "string" &&
    typeof value.ts === "string" &&
    Array.isArray(value.kinds) &&
    typeof value.latest === "object" &&
    value.latest !== null &&
    typeof value.rootShows === "string"
  );
}

function isPostingIntent(value: Record<string, unknown>): boolean {
  return typeof value.channel === "string" && typeof value.startedAt === "string";
}
