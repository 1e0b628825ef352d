import type { Redis } from "ioredis";
import { type ClusterRef, clusterKey } from "./cluster-ref.ts";
import { clusterStateKeys } from "./cluster-state-keys.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/** Outcome of a cluster's recent restore job reads, used to choose the next read's mode. */
export interface PagingRecord {
  /** Polls since the last read that reached the last page; 0 right after one. */
  pollsSinceFullRead: number;
  /** True when the last read found the jobs out of newest-first order. */
  orderBroken: boolean;
}

/**
 * Per-cluster paging records in Redis, in the hash `<keyPrefix>:{<projectId>/<cluster>}:paging`
 * under the cluster's hash tag. A lost record only costs one full read.
 */
export class PagingState {
  readonly #redis: Redis;
  readonly #keyPrefix: string;

  constructor(redis: Redis, keyPrefix: string) {
    this.#redis = redis;
    this.#keyPrefix = keyPrefix;
  }

  /** Returns the cluster's record, or null when it has none or it is unreadable. */
  async load(ref: ClusterId): Promise<PagingRecord | null> {
    const raw = await this.#redis.hgetall(this.#key(ref));
    const polls = Number(raw.pollsSinceFullRead);
    if (raw.pollsSinceFullRead === undefined || !Number.isSafeInteger(polls) || polls < 0) {
      return null;
    }

    return { pollsSinceFullRead: polls, orderBroken: raw.orderBroken === "1" };
  }

  /** Records one read: a complete read restarts the count, any other adds one. */
  async record(ref: ClusterId, read: { complete: boolean; orderBroken: boolean }): Promise<void> {
    const key = this.#key(ref);
    const orderBroken = read.orderBroken ? "1" : "0";
    const transaction = this.#redis.multi();
    if (read.complete) transaction.hset(key, "pollsSinceFullRead", "0", "orderBroken", orderBroken);
    else transaction.hincrby(key, "pollsSinceFullRead", 1).hset(key, "orderBroken", orderBroken);

    const replies = await transaction.exec();
    const failed = replies?.find(([err]) => err !== null);
    if (failed?.[0]) throw failed[0];
  }

  /** Deletes the cluster's record. */
  async remove(ref: ClusterId): Promise<void> {
    await this.#redis.del(this.#key(ref));
  }

  #key(ref: ClusterId): string {
    clusterStateKeys(this.#keyPrefix, ref); // rejects ids that would break the hash tag
    return `${this.#keyPrefix}:{${clusterKey(ref)}}:paging`;
  }
}
