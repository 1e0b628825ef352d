import type { AlertEvent, AlertKind } from "../alerts/alert-event.ts";
import { IN_FLIGHT_STATUSES, isKnownStatus, type RestoreJob } from "../atlas/restore-job.ts";

/** A restore job as saved in Redis after a poll: the fields alerts and metrics need. */
export interface SavedJob {
  status: string;
  deliveryType?: string;
  snapshotId?: string;
  restoreScheduledDate?: string;
  restoreFinishedDate?: string;
  expirationDate?: string;
  targetDeploymentItemName?: string;
  targetProjectId?: string;
  /** True once the job was seen in flight past its `expirationDate`, so expiry alerts once. */
  expired?: boolean;
  /** True once the job's status outside the documented enum was reported. */
  unknownReported?: boolean;
  /** True once the job was seen in flight within the lead time of its `expirationDate`. */
  expiringReported?: boolean;
  /** True once the job was seen in flight for longer than the stuck threshold. */
  stuckReported?: boolean;
  /**
   * True once a warning (`expiring`, `stuck` or `unknown-status`) was raised for the job, so
   * its completion raises `recovered`. A warning of a disabled kind does not set it.
   */
  warned?: boolean;
  /** True once the job's completion after a warning was handled, so `recovered` fires once. */
  recoveredReported?: boolean;
}

/** Status a transition goes to when a complete read no longer lists the job. */
export const ABSENT_STATUS = "ABSENT";

/** A change of one restore job's status between the saved state and this poll. */
export interface Transition {
  restoreJobId: string;
  /** Saved status, or null for a job seen for the first time. */
  from: string | null;
  /** New status, or `ABSENT_STATUS` when a complete read no longer lists the job. */
  to: string;
}

/** Thresholds and switches of the alert kinds, set from `AlertsConfig`. */
export interface AlertRules {
  /** How far back the baseline still alerts on failures and expiries, in milliseconds. */
  lookbackMs: number;
  /** `expiring` fires when a job in flight is this close to its `expirationDate`, in milliseconds. */
  expiringLeadTimeMs: number;
  /** `stuck` fires when a job is still in flight this long after `restoreScheduledDate`, in milliseconds. */
  stuckAfterMs: number;
  /**
   * Kinds that produce alerts. A disabled kind still marks the saved job, so enabling the kind
   * later does not post old news.
   */
  enabledKinds: ReadonlySet<AlertKind>;
}

/** Everything one diff needs. The clock is an input, so the diff stays pure. */
export interface DiffInput extends AlertRules {
  projectId: string;
  cluster: string;
  /** Saved jobs by restore job id, or null when the cluster was never polled (the baseline). */
  saved: Record<string, SavedJob> | null;
  /** Jobs read from Atlas in this poll. When an id repeats, its last occurrence wins. */
  jobs: RestoreJob[];
  /** False for a partial read: saved jobs that were not read are kept unchanged. */
  complete: boolean;
  now: Date;
}

/** The new saved state and what changed. */
export interface DiffResult {
  /** Jobs to save, by restore job id. */
  jobs: Record<string, SavedJob>;
  transitions: Transition[];
  alerts: AlertEvent[];
  /** Jobs whose status outside the documented enum is reported by this diff (once per job). */
  unknownStatuses: { restoreJobId: string; status: string }[];
}

// A strict shape check, because V8's Date.parse also accepts strings such as "1" (a date in
// 2001), which would turn a garbled date into an old one instead of a missing one.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const RESTORE_JOB_FIELDS = [
  "deliveryType",
  "instanceName",
  "projectId",
  "snapshotId",
  "snapshotFinishedDate",
  "restoreScheduledDate",
  "restoreFinishedDate",
  "expirationDate",
  "targetDeploymentItemName",
  "targetProjectId",
] as const;

const SAVED_JOB_FIELDS = [
  "deliveryType",
  "snapshotId",
  "restoreScheduledDate",
  "restoreFinishedDate",
  "expirationDate",
  "targetDeploymentItemName",
  "targetProjectId",
] as const;

/** Flags a saved job keeps from poll to poll, so each alert of a job fires once. */
const SAVED_JOB_FLAGS = [
  "expired",
  "unknownReported",
  "expiringReported",
  "stuckReported",
  "warned",
  "recoveredReported",
] as const;

/**
 * Compares the restore jobs of one poll with the saved state and returns the state to save,
 * the status transitions, and the alerts to send. Pure: no I/O, and `input.now` is the clock.
 * Diffing the same jobs against the returned `jobs` gives no transitions and no alerts.
 */
export function diffRestoreJobs(input: DiffInput): DiffResult {
  const result: DiffResult = { jobs: {}, transitions: [], alerts: [], unknownStatuses: [] };
  const fresh = new Map<string, RestoreJob>();
  for (const job of input.jobs) fresh.set(job.id, job);

  for (const job of fresh.values()) diffJob(input, job, result);
  diffUnseenJobs(input, fresh, result);

  return result;
}

/** One job's diff in progress: what was saved, what will be saved, and how to raise alerts. */
interface JobDiff {
  job: RestoreJob;
  previous: SavedJob | undefined;
  next: SavedJob;
  /** Adds an alert of `kind` unless the kind is disabled, and returns whether it was added. */
  raise: (kind: AlertKind) => boolean;
}

function diffJob(input: DiffInput, job: RestoreJob, result: DiffResult): void {
  const previous = input.saved?.[job.id];
  const next = toSavedJob(job, previous);
  const raise = (kind: AlertKind): boolean => {
    if (!input.enabledKinds.has(kind)) return false;
    result.alerts.push(toAlertEvent(input, kind, job, previous));
    return true;
  };
  const jobDiff: JobDiff = { job, previous, next, raise };

  if (previous?.status !== job.status) {
    result.transitions.push({
      restoreJobId: job.id,
      from: previous?.status ?? null,
      to: job.status,
    });
  }

  if (isNewFailure(input, job, previous)) raise("failed");
  diffExpiry(input, jobDiff);
  diffStuck(input, jobDiff);

  // Reported on the baseline too: it means our model of Atlas is wrong, not old news.
  if (!isKnownStatus(job.status) && previous?.unknownReported !== true) {
    next.unknownReported = true;
    result.unknownStatuses.push({ restoreJobId: job.id, status: job.status });
    raiseWarning(jobDiff, "unknown-status");
  }

  diffRecovery(jobDiff);
  result.jobs[job.id] = next;
}

/**
 * Raises `expired` for a job in flight past its `expirationDate`, or `expiring` for one within
 * the lead time of it. Each fires once per job, and a job that expires between two polls gets
 * `expired` only.
 */
function diffExpiry(input: DiffInput, jobDiff: JobDiff): void {
  const { job, previous, next, raise } = jobDiff;
  const expirationMs = parseIsoDateMs(job.expirationDate);
  if (!IN_FLIGHT_STATUSES.has(job.status) || expirationMs === undefined) return;

  const nowMs = input.now.getTime();
  if (expirationMs < nowMs) {
    if (previous?.expired === true) return;
    // Set on the baseline too, so an expiry recorded silently there never alerts later.
    next.expired = true;
    if (input.saved !== null || isWithinLookback(expirationMs, input)) raise("expired");
    return;
  }

  if (expirationMs - nowMs <= input.expiringLeadTimeMs && previous?.expiringReported !== true) {
    next.expiringReported = true;
    raiseWarning(jobDiff, "expiring");
  }
}

/**
 * Raises `stuck` once for a job still in flight `stuckAfterMs` after `restoreScheduledDate`. A
 * job already past its expiration date is marked without an alert, because its `expired`
 * alert (or its silent baseline record) already covers it.
 */
function diffStuck(input: DiffInput, jobDiff: JobDiff): void {
  const { job, previous, next } = jobDiff;
  if (!IN_FLIGHT_STATUSES.has(job.status) || previous?.stuckReported === true) return;

  const scheduledMs = parseIsoDateMs(job.restoreScheduledDate);
  if (scheduledMs === undefined || input.now.getTime() - scheduledMs < input.stuckAfterMs) return;

  next.stuckReported = true;
  if (next.expired !== true) raiseWarning(jobDiff, "stuck");
}

/** Raises `recovered` once when a job that had a warning raised is seen `COMPLETED`. */
function diffRecovery({ job, previous, next, raise }: JobDiff): void {
  if (job.status !== "COMPLETED" || previous?.warned !== true) return;
  if (previous.recoveredReported === true) return;

  next.recoveredReported = true;
  raise("recovered");
}

function raiseWarning(jobDiff: JobDiff, kind: AlertKind): void {
  if (jobDiff.raise(kind)) jobDiff.next.warned = true;
}

function isNewFailure(input: DiffInput, job: RestoreJob, previous: SavedJob | undefined): boolean {
  if (job.status !== "FAILED") return false;
  if (previous !== undefined) return previous.status !== "FAILED";

  const finishedMs = parseIsoDateMs(job.restoreFinishedDate);
  // An undated new failure is news after the baseline, but history we cannot date on it.
  if (finishedMs === undefined) return input.saved !== null;

  return isWithinLookback(finishedMs, input);
}

function diffUnseenJobs(input: DiffInput, fresh: Map<string, RestoreJob>, result: DiffResult) {
  if (input.saved === null) return;

  for (const [restoreJobId, saved] of Object.entries(input.saved)) {
    if (fresh.has(restoreJobId)) continue;

    if (input.complete) {
      result.transitions.push({ restoreJobId, from: saved.status, to: ABSENT_STATUS });
    } else {
      result.jobs[restoreJobId] = saved;
    }
  }
}

function toSavedJob(job: RestoreJob, previous: SavedJob | undefined): SavedJob {
  const saved: SavedJob = { status: job.status };
  for (const field of SAVED_JOB_FIELDS) {
    const value = job[field];
    if (value !== undefined) saved[field] = value;
  }

  for (const flag of SAVED_JOB_FLAGS) {
    if (previous?.[flag] === true) saved[flag] = true;
  }

  return saved;
}

function toAlertEvent(
  input: DiffInput,
  kind: AlertKind,
  job: RestoreJob,
  previous: SavedJob | undefined,
): AlertEvent {
  return {
    kind,
    projectId: input.projectId,
    cluster: input.cluster,
    previousStatus: previous?.status,
    job: copyRestoreJob(job),
    detectedAt: input.now.toISOString(),
  };
}

// Copies only the declared fields, so a `snapshotUrl` that slipped past parsing never
// reaches an alert.
function copyRestoreJob(job: RestoreJob): RestoreJob {
  const copy: RestoreJob = { id: job.id, status: job.status };
  for (const field of RESTORE_JOB_FIELDS) {
    const value = job[field];
    if (value !== undefined) copy[field] = value;
  }
  return copy;
}

function isWithinLookback(dateMs: number, input: DiffInput): boolean {
  return dateMs >= input.now.getTime() - input.lookbackMs;
}

function parseIsoDateMs(value: string | undefined): number | undefined {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value)) return undefined;

  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
