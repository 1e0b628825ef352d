/**
 * Reasons for an operator alert, each a failure that keeps flexwatch from watching restores:
 * - `cluster-poll-failed`: polls of one cluster failed for good in consecutive sweeps.
 * - `project-poll-failed`: a project's clusters could not be listed or polled (a project-wide
 *   error such as a missing role or an unknown project id) in consecutive sweeps.
 * - `project-list-failed`: the projects of `projects: "*"` could not be listed in consecutive
 *   sweeps, so nothing was polled.
 * - `credentials-rejected`: Atlas rejected the service account, so every poll fails.
 * - `api-version-rejected`: Atlas rejected the versioned media type (HTTP 406 or 410).
 */
export const OPERATOR_ALERT_REASONS = [
  "cluster-poll-failed",
  "project-poll-failed",
  "project-list-failed",
  "credentials-rejected",
  "api-version-rejected",
] as const;

export type OperatorAlertReason = (typeof OPERATOR_ALERT_REASONS)[number];

/** Subject of an operator alert: one cluster, one project, or all of flexwatch. */
export type OperatorAlertSubject =
  | { scope: "cluster"; projectId: string; cluster: string }
  | { scope: "project"; projectId: string }
  | { scope: "global" };

/** Step that failed: a poll, or a discovery listing of projects or of a project's clusters. */
export type OperatorFailureSource = "poll" | "discovery";

/** One failure for good, as the operator alert counters record it. */
export interface OperatorFailure {
  subject: OperatorAlertSubject;
  reason: OperatorAlertReason;
  source: OperatorFailureSource;
  /** Sweep the failure belongs to. A subject counts at most one failure per sweep. */
  sweepId: string;
  /** Atlas `errorCode` or OAuth `error`, when the failure was an Atlas error. */
  errorCode: string | undefined;
  /** HTTP status of the failed Atlas request, when one arrived. */
  httpStatus: number | undefined;
  /** Error message. An `AtlasApiError` message contains no credential or token. */
  message: string;
}

/**
 * The saved state of one unresolved operator alert: consecutive failures since `since`, the
 * latest failure, and the alert messages queued or posted for it.
 */
export interface OperatorAlertEntry {
  /** Consecutive sweeps with a failure. */
  failures: number;
  /** Time of the run's first failure, ISO-8601 UTC. It identifies the run. */
  since: string;
  lastFailureAt: string;
  reason: OperatorAlertReason;
  source: OperatorFailureSource;
  errorCode: string | undefined;
  httpStatus: number | undefined;
  message: string;
  /** Job id of the alert queued and not posted yet. */
  pendingJobId: string | undefined;
  /** Last posted alert message, undefined until one is posted. */
  posted: PostedOperatorAlert | undefined;
}

/** The Slack message of the last operator alert posted for an entry. */
export interface PostedOperatorAlert {
  jobId: string;
  /** Channel id, empty when Slack is disabled and the alert was only logged. */
  channel: string;
  /** Slack message timestamp, empty when Slack is disabled. */
  ts: string;
  postedAt: string;
}

/** Data of an operator alert job: post the alert, or reply in its thread that it is resolved. */
export type OperatorAlertJobData =
  | { type: "failing"; subject: OperatorAlertSubject; reason: OperatorAlertReason; since: string }
  | {
      type: "resolved";
      subject: OperatorAlertSubject;
      reason: OperatorAlertReason;
      since: string;
      /** Consecutive failures before the success that resolved it. */
      failures: number;
      resolvedAt: string;
      /** The last posted alert, whose thread gets the reply. */
      thread: { channel: string; ts: string };
    };

/** Result of an operator alert job. */
export interface OperatorAlertResult {
  outcome: "sent" | "resolved" | "duplicate" | "stale" | "superseded" | "disabled";
  channel?: string;
  ts?: string;
}

/**
 * Returns the key of a subject, used in Redis fields, job ids and logs: `global`,
 * `project-<projectId>` or `cluster-<projectId>-<cluster>`. It contains no `:`, which BullMQ
 * job ids must not contain.
 */
export function operatorAlertKey(subject: OperatorAlertSubject): string {
  switch (subject.scope) {
    case "global":
      return "global";
    case "project":
      return `project-${subject.projectId}`;
    case "cluster":
      return `cluster-${subject.projectId}-${subject.cluster}`;
  }
}

/**
 * Returns the job id of an operator alert posted at `nowMs`. Every replica and retry in one
 * repeat interval computes the same id, so BullMQ keeps one job per subject and interval.
 */
export function operatorAlertJobId(
  subject: OperatorAlertSubject,
  nowMs: number,
  repeatIntervalMs: number,
): string {
  return `operator-${operatorAlertKey(subject)}-${Math.floor(nowMs / repeatIntervalMs)}`;
}

/** Returns the job id of the resolved reply that ends the run of failures begun at `since`. */
export function operatorResolvedJobId(subject: OperatorAlertSubject, since: string): string {
  return `operator-${operatorAlertKey(subject)}-resolved-${Date.parse(since)}`;
}
