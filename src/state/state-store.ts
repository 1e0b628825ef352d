import type { Redis } from "ioredis";
import { type AlertEvent, alertJobId } from "../alerts/alert-event.ts";
import { KNOWN_STATUSES } from "../atlas/restore-job.ts";
import { type ClusterRef, clusterKey } from "./cluster-ref.ts";
import { type ClusterStateKeys, clusterStateKeys } from "./cluster-state-keys.ts";
import type { SavedJob } from "./diff-restore-jobs.ts";
import { execTransaction } from "./exec-transaction.ts";
import { parseStoredValue } from "./parse-stored-value.ts";
import { PollFailureCounter } from "./poll-failure-counter.ts";
import { COMMIT_STATE_LUA } from "./state-scripts.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/** One cluster's saved state as loaded for a poll. */
export interface ClusterState {
  /** Version to pass to `commit`, or 0 when the cluster was never committed. */
  version: number;
  /** Saved jobs by restore job id, or null when the cluster was never committed (baseline). */
  jobs: Record<string, SavedJob> | null;
}

/** Record of an alert's top-level Slack message, kept so later events update it. */
export interface SentRecord {
  /** Channel id the message was posted in. */
  channel: string;
  /** Slack message timestamp, the message's id within its channel. */
  ts: string;
  /** When the message was posted, ISO-8601 UTC. */
  postedAt: string;
}

interface StateCommands {
  flexwatchCommitState(
    jobsKey: string,
    metaKey: string,
    countsKey: string,
    outboxKey: string,
    sentKey: string,
    argv: string[],
  ): Promise<number>;
}

/**
 * Saved restore-job state of every watched cluster, in Redis. Each cluster's keys share one
 * hash tag, and nothing here runs a multi-key command across clusters, so the store works on
 * Redis Cluster too.
 */
export class StateStore {
  /** Consecutive failed polls per cluster. */
  readonly pollFailures: PollFailureCounter;
  readonly #redis: Redis;
  readonly #commands: StateCommands;
  readonly #keyPrefix: string;

  constructor(redis: Redis, keyPrefix: string) {
    if (keyPrefix === "") {
      throw new Error('invalid Redis key prefix "": set a non-empty prefix such as "flexwatch"');
    }

    redis.defineCommand("flexwatchCommitState", { numberOfKeys: 5, lua: COMMIT_STATE_LUA });
    this.#redis = redis;
    this.#commands = redis as unknown as StateCommands;
    this.#keyPrefix = keyPrefix;
    this.pollFailures = new PollFailureCounter(redis, keyPrefix);
  }

  /** Reads a cluster's version and saved jobs in one transaction, so they always match. */
  async load(ref: ClusterId): Promise<ClusterState> {
    const keys = this.#keys(ref);
    const [rawVersion, rawJobs] = await execTransaction(
      this.#redis.multi().hget(keys.meta, "version").hgetall(keys.jobs),
    );

    const version = parseVersion(keys.meta, rawVersion as string | null);
    if (version === 0) return { version, jobs: null };

    const jobs: Record<string, SavedJob> = {};
    for (const [id, raw] of Object.entries(rawJobs as Record<string, string>)) {
      jobs[id] = parseStoredValue("saved job", keys.jobs, id, raw);
    }
    return { version, jobs };
  }

  /**
   * Replaces a cluster's saved jobs and status counts and queues its alerts in the outbox, in
   * one Lua script, when the saved version is still `expectedVersion`. Returns false, writing
   * nothing, when another poll committed first: reload and diff again. An alert whose id is
   * already in the outbox or the sent records is not queued again.
   */
  async commit(
    ref: ClusterId,
    expectedVersion: number,
    jobs: Record<string, SavedJob>,
    alerts: AlertEvent[],
    nowIso: string,
  ): Promise<boolean> {
    const keys = this.#keys(ref);
    const jobArgs = Object.entries(jobs).flatMap(([id, job]) => [id, JSON.stringify(job)]);
    const countArgs = Object.entries(countStatuses(jobs)).flatMap(([status, count]) => [
      status,
      String(count),
    ]);
    const alertArgs = alerts.flatMap((event) => [alertJobId(event), JSON.stringify(event)]);
    const argv = [
      String(expectedVersion),
      nowIso,
      String(jobArgs.length),
      String(countArgs.length),
    ];

    // One array argument, which ioredis flattens, because spreading one value per job into a
    // call overflows the stack at over 100,000 values (measured on Node 20).
    const newVersion = await this.#commands.flexwatchCommitState(
      keys.jobs,
      keys.meta,
      keys.counts,
      keys.outbox,
      keys.sent,
      argv.concat(jobArgs, countArgs, alertArgs),
    );
    if (newVersion === 0) return false;

    // The registry key is in another hash slot, so it cannot be written by the script. SADD is
    // idempotent, and the next commit repairs a registration lost to a crash right here.
    await this.registerCluster(ref);
    return true;
  }

  /** Returns the alerts queued for sending, oldest detection first. */
  async pendingAlerts(ref: ClusterId): Promise<AlertEvent[]> {
    const keys = this.#keys(ref);
    const raw = await this.#redis.hgetall(keys.outbox);

    return Object.keys(raw)
      .sort()
      .map((id) => parseStoredValue("alert event", keys.outbox, id, raw[id] as string))
      .sort((a, b) => a.detectedAt.localeCompare(b.detectedAt));
  }

  /** Removes an alert from the outbox without recording it as sent. */
  async ackAlert(ref: ClusterId, alertJobId: string): Promise<void> {
    await this.#redis.hdel(this.#keys(ref).outbox, alertJobId);
  }

  /** Returns the sent record of an alert, or null when it was never sent. */
  async getSent(ref: ClusterId, alertJobId: string): Promise<SentRecord | null> {
    const keys = this.#keys(ref);
    const raw = await this.#redis.hget(keys.sent, alertJobId);
    return raw === null ? null : parseStoredValue("sent record", keys.sent, alertJobId, raw);
  }

  /** Records an alert's Slack message and removes the alert from the outbox, atomically. */
  async recordSent(ref: ClusterId, alertJobId: string, record: SentRecord): Promise<void> {
    const keys = this.#keys(ref);
    await execTransaction(
      this.#redis
        .multi()
        .hset(keys.sent, alertJobId, JSON.stringify(record))
        .hdel(keys.outbox, alertJobId),
    );
  }

  /**
   * Returns the number of saved jobs by status. Every documented status is present (0 when no
   * job has it), so a gauge built from it drops to 0 instead of keeping a stale value.
   */
  async countsByStatus(ref: ClusterId): Promise<Record<string, number>> {
    const keys = this.#keys(ref);
    const raw = await this.#redis.hgetall(keys.counts);

    const counts: Record<string, number> = {};
    for (const status of KNOWN_STATUSES) counts[status] = 0;
    for (const [status, value] of Object.entries(raw)) {
      counts[status] = parseCount(keys.counts, status, value);
    }
    return counts;
  }

  /** Lists the registered clusters, sorted by project id and cluster name. */
  async listClusters(): Promise<{ projectId: string; cluster: string }[]> {
    const registryKey = this.#registryKey();
    const members = await this.#redis.smembers(registryKey);

    return members.sort().map((member) => {
      const slash = member.indexOf("/");
      if (slash <= 0 || slash === member.length - 1) {
        throw new Error(
          `invalid member ${JSON.stringify(member)} in Redis set ${registryKey}: expected "<projectId>/<cluster>". Remove it with SREM`,
        );
      }
      return { projectId: member.slice(0, slash), cluster: member.slice(slash + 1) };
    });
  }

  /** Adds a cluster to the registry; adding it again changes nothing. */
  async registerCluster(ref: ClusterId): Promise<void> {
    this.#keys(ref); // rejects a ref whose member could not be split back into its parts
    await this.#redis.sadd(this.#registryKey(), clusterKey(ref));
  }

  /**
   * Deletes a cluster's saved state, outbox and sent records, then its registry member and its
   * failed-poll count. Send locks in flight are left to expire.
   */
  async removeCluster(ref: ClusterId): Promise<void> {
    const keys = this.#keys(ref);
    // State first: a crash in between leaves a registered cluster without state, which reads
    // as a baseline, rather than state that nothing lists.
    await this.#redis.del(
      keys.jobs,
      keys.meta,
      keys.counts,
      keys.outbox,
      keys.sent,
      keys.threads,
      keys.posting,
    );
    await this.#redis.srem(this.#registryKey(), clusterKey(ref));
    await this.pollFailures.reset(ref);
  }

  /** Records when the last sweep finished. */
  async recordSweepFinished(at: Date): Promise<void> {
    await this.#redis.set(this.#sweepKey(), at.toISOString());
  }

  /** Returns when the last sweep finished, or null when none has. */
  async lastSweepFinishedAt(): Promise<Date | null> {
    const key = this.#sweepKey();
    const raw = await this.#redis.get(key);
    if (raw === null) return null;

    const at = new Date(raw);
    if (Number.isNaN(at.getTime())) {
      throw new Error(
        `invalid date ${JSON.stringify(raw)} in Redis key ${key}: expected an ISO-8601 date. Delete the key, and the next sweep rewrites it`,
      );
    }
    return at;
  }

  #keys(ref: ClusterId): ClusterStateKeys {
    return clusterStateKeys(this.#keyPrefix, ref);
  }

  #registryKey(): string {
    return `${this.#keyPrefix}:clusters`;
  }

  #sweepKey(): string {
    return `${this.#keyPrefix}:sweep:last`;
  }
}

function countStatuses(jobs: Record<string, SavedJob>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of Object.values(jobs)) counts[job.status] = (counts[job.status] ?? 0) + 1;
  return counts;
}

function parseVersion(metaKey: string, raw: string | null): number {
  if (raw === null) return 0;
  if (!/^\d+$/.test(raw)) {
    throw new Error(
      `invalid version ${JSON.stringify(raw)} in Redis hash ${metaKey} field version: expected a non-negative integer. Delete the cluster's keys to record a new baseline`,
    );
  }
  return Number(raw);
}

function parseCount(countsKey: string, status: string, raw: string): number {
  if (!/^\d+$/.test(raw)) {
    throw new Error(
      `invalid count ${JSON.stringify(raw)} in Redis hash ${countsKey} field ${status}: expected a non-negative integer. Delete the field, and the next poll rewrites it`,
    );
  }
  return Number(raw);
}
