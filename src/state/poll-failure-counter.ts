import type { Redis } from "ioredis";
import { type ClusterRef, clusterKey } from "./cluster-ref.ts";
import { clusterStateKeys } from "./cluster-state-keys.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/**
 * Lua source that counts one failed poll of a cluster per sweep, so a poll job run twice for one
 * sweep (a stalled job picked up again) counts once.
 *
 * KEYS: the cluster's failed-polls hash. ARGV: sweep id. Returns the count.
 */
const COUNT_POLL_FAILURE_LUA = `
local key = KEYS[1]
if redis.call('HGET', key, 'sweepId') == ARGV[1] then
  return tonumber(redis.call('HGET', key, 'count'))
end
redis.call('HSET', key, 'sweepId', ARGV[1])
return redis.call('HINCRBY', key, 'count', 1)
`;

interface CounterCommands {
  flexwatchCountPollFailure(key: string, sweepId: string): Promise<number>;
}

/** A cluster and the number of its consecutive sweeps whose poll failed for good. */
export interface ClusterPollFailures {
  projectId: string;
  cluster: string;
  failures: number;
}

/**
 * Consecutive failed polls per cluster, whatever the error, behind the
 * `flexwatch_consecutive_poll_failures` gauge. The count is kept in
 * `<prefix>:{<projectId>/<cluster>}:failed-polls` under the cluster's hash tag, and
 * `<prefix>:failing-clusters` lists the clusters with a count, because a cluster that never
 * polled successfully is missing from the cluster registry.
 */
export class PollFailureCounter {
  readonly #redis: Redis;
  readonly #commands: CounterCommands;
  readonly #keyPrefix: string;

  constructor(redis: Redis, keyPrefix: string) {
    redis.defineCommand("flexwatchCountPollFailure", {
      numberOfKeys: 1,
      lua: COUNT_POLL_FAILURE_LUA,
    });
    this.#redis = redis;
    this.#commands = redis as unknown as CounterCommands;
    this.#keyPrefix = keyPrefix;
  }

  /** Counts a failed poll of a cluster, at most once per sweep, and returns the count. */
  async countFailure(ref: ClusterId, sweepId: string): Promise<number> {
    const count = await this.#commands.flexwatchCountPollFailure(this.#countKey(ref), sweepId);
    await this.#redis.sadd(this.#failingKey(), clusterKey(ref));
    return count;
  }

  /** Resets a cluster's count after a successful poll. */
  async reset(ref: ClusterId): Promise<void> {
    await this.#redis.del(this.#countKey(ref));
    await this.#redis.srem(this.#failingKey(), clusterKey(ref));
  }

  /** Lists the clusters whose last poll failed, sorted by project id and cluster name. */
  async list(): Promise<ClusterPollFailures[]> {
    const members = await this.#redis.smembers(this.#failingKey());
    const result: ClusterPollFailures[] = [];
    for (const member of members.sort()) {
      const slash = member.indexOf("/");
      const ref = { projectId: member.slice(0, slash), cluster: member.slice(slash + 1) };
      const count = await this.#redis.hget(this.#countKey(ref), "count");
      if (count !== null) result.push({ ...ref, failures: Number(count) });
    }
    return result;
  }

  #countKey(ref: ClusterId): string {
    clusterStateKeys(this.#keyPrefix, ref); // rejects a ref that would break the hash tag
    return `${this.#keyPrefix}:{${clusterKey(ref)}}:failed-polls`;
  }

  #failingKey(): string {
    return `${this.#keyPrefix}:failing-clusters`;
  }
}
