import type { Redis } from "ioredis";
import {
  OPERATOR_ALERT_REASONS,
  type OperatorAlertEntry,
  type OperatorAlertReason,
  type OperatorAlertSubject,
  type OperatorFailure,
  type PostedOperatorAlert,
} from "../alerts/operator-alert.ts";
import { type ClusterRef, clusterKey } from "./cluster-ref.ts";
import { clusterStateKeys } from "./cluster-state-keys.ts";
import { DELETE_RUN_LUA, RECORD_FAILURE_LUA, RECORD_POSTED_LUA } from "./operator-alert-scripts.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/** When failures of one subject turn into an operator alert. */
export interface OperatorAlertPolicy {
  /** Consecutive sweeps with a failure before the first alert. */
  threshold: number;
  /** Time after which an alert still unresolved is queued again, in milliseconds. */
  repeatIntervalMs: number;
}

/** Outcome of counting one failure. */
export interface RecordedFailure {
  /** Consecutive sweeps with a failure, this one included. */
  failures: number;
  /** Job id of the alert to add to the queue, or undefined when none is due. */
  alertJobId: string | undefined;
  /** Time of the run's first failure, ISO-8601 UTC. It identifies the run. */
  since: string;
}

interface OperatorCommands {
  flexwatchRecordFailure(key: string, argv: string[]): Promise<[number, string, string]>;
  flexwatchRecordPosted(key: string, argv: string[]): Promise<number>;
  flexwatchDeleteRun(key: string, since: string): Promise<number>;
}

/**
 * Operator alert state in Redis: per subject, the consecutive failures and the alert queued or
 * posted for them. A cluster's entry `<prefix>:{<projectId>/<cluster>}:operator` shares the hash
 * tag of the cluster's state, a project's entry is `<prefix>:operator:{<projectId>}`, and the
 * global entry is `<prefix>:operator:global`. Every command touches one key.
 */
export class OperatorAlertStore {
  readonly #redis: Redis;
  readonly #commands: OperatorCommands;
  readonly #keyPrefix: string;

  constructor(redis: Redis, keyPrefix: string) {
    if (keyPrefix === "") {
      throw new Error('invalid Redis key prefix "": set a non-empty prefix such as "flexwatch"');
    }

    redis.defineCommand("flexwatchRecordFailure", { numberOfKeys: 1, lua: RECORD_FAILURE_LUA });
    redis.defineCommand("flexwatchRecordPosted", { numberOfKeys: 1, lua: RECORD_POSTED_LUA });
    redis.defineCommand("flexwatchDeleteRun", { numberOfKeys: 1, lua: DELETE_RUN_LUA });
    this.#redis = redis;
    this.#commands = redis as unknown as OperatorCommands;
    this.#keyPrefix = keyPrefix;
  }

  /**
   * Counts a failure of its subject, at most once per sweep, and returns the alert job to add
   * when the count reached the threshold and no alert was queued within the repeat interval.
   * `candidateJobId` names that job.
   */
  async recordFailure(
    failure: OperatorFailure,
    now: Date,
    policy: OperatorAlertPolicy,
    candidateJobId: string,
  ): Promise<RecordedFailure> {
    const [failures, jobId, since] = await this.#commands.flexwatchRecordFailure(
      this.#entryKey(failure.subject),
      [
        failure.sweepId,
        String(now.getTime()),
        now.toISOString(),
        String(policy.threshold),
        String(policy.repeatIntervalMs),
        candidateJobId,
        failure.reason,
        failure.source,
        failure.errorCode ?? "",
        failure.httpStatus === undefined ? "" : String(failure.httpStatus),
        failure.message,
      ],
    );
    return { failures, alertJobId: jobId === "" ? undefined : jobId, since };
  }

  /** Returns the subject's unresolved entry, or null when its last poll succeeded. */
  async get(subject: OperatorAlertSubject): Promise<OperatorAlertEntry | null> {
    const key = this.#entryKey(subject);
    const raw = await this.#redis.hgetall(key);
    return Object.keys(raw).length === 0 ? null : parseEntry(key, raw);
  }

  /**
   * Records the message posted for the run of failures begun at `since`. Returns false, saving
   * nothing, when that run was resolved in the meantime.
   */
  async recordPosted(
    subject: OperatorAlertSubject,
    since: string,
    posted: PostedOperatorAlert,
  ): Promise<boolean> {
    const reply = await this.#commands.flexwatchRecordPosted(this.#entryKey(subject), [
      since,
      posted.jobId,
      posted.channel,
      posted.ts,
      posted.postedAt,
    ]);
    return reply === 1;
  }

  /** Deletes the subject's entry if it still contains the run begun at `since`. */
  async deleteRun(subject: OperatorAlertSubject, since: string): Promise<boolean> {
    return (await this.#commands.flexwatchDeleteRun(this.#entryKey(subject), since)) === 1;
  }

  #entryKey(subject: OperatorAlertSubject): string {
    switch (subject.scope) {
      case "global":
        return `${this.#keyPrefix}:operator:global`;
      case "project":
        return `${this.#keyPrefix}:operator:{${subject.projectId}}`;
      case "cluster":
        return `${this.#clusterBase(subject)}:operator`;
    }
  }

  #clusterBase(ref: ClusterId): string {
    clusterStateKeys(this.#keyPrefix, ref); // rejects a ref that would break the hash tag
    return `${this.#keyPrefix}:{${clusterKey(ref)}}`;
  }
}

function parseEntry(key: string, raw: Record<string, string>): OperatorAlertEntry {
  const failures = Number(raw.failures);
  const reason = raw.reason as OperatorAlertReason;
  const valid =
    Number.isInteger(failures) &&
    typeof raw.since === "string" &&
    OPERATOR_ALERT_REASONS.includes(reason) &&
    (raw.source === "poll" || raw.source === "discovery");
  if (!valid) {
    throw new Error(
      `invalid operator alert entry in Redis hash ${key}: fields failures, since, reason or source are missing or invalid. Delete the key, and the next failure starts a new entry`,
    );
  }

  return {
    failures,
    since: raw.since as string,
    lastFailureAt: raw.lastFailureAt ?? (raw.since as string),
    reason,
    source: raw.source as "poll" | "discovery",
    errorCode: emptyToUndefined(raw.errorCode),
    httpStatus: raw.httpStatus ? Number(raw.httpStatus) : undefined,
    message: raw.message ?? "",
    pendingJobId: emptyToUndefined(raw.pendingJobId),
    posted: parsePosted(raw),
  };
}

function parsePosted(raw: Record<string, string>): PostedOperatorAlert | undefined {
  if (raw.postedJobId === undefined) return undefined;

  return {
    jobId: raw.postedJobId,
    channel: raw.postedChannel ?? "",
    ts: raw.postedTs ?? "",
    postedAt: raw.postedAt ?? "",
  };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
