import type { RestoreJob } from "../atlas/restore-job.ts";

/** Kinds of restore alert; each (restore job, kind) gives at most one top-level Slack message. */
export const ALERT_KINDS = [
  "failed",
  "expired",
  "expiring",
  "stuck",
  "unknown-status",
  "recovered",
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

export type AlertSeverity = "critical" | "warning";

export const ALERT_SEVERITY: Readonly<Record<AlertKind, AlertSeverity>> = {
  failed: "critical",
  expired: "critical",
  expiring: "warning",
  stuck: "warning",
  "unknown-status": "warning",
  recovered: "warning",
};

/**
 * One alert worth sending, produced by the state diff and carried by an alert job. It contains
 * everything the message needs, so the alert job never reads Atlas again.
 */
export interface AlertEvent {
  kind: AlertKind;
  projectId: string;
  cluster: string;
  /** Status saved before this poll; undefined for a job seen for the first time. */
  previousStatus: string | undefined;
  job: RestoreJob;
  /** When the diff found it, ISO-8601 UTC. */
  detectedAt: string;
  /**
   * The sweep whose poll enqueued the alert, set when the alert job is created. Alerts of one
   * sweep for one channel are counted together to decide on a digest.
   */
  sweepId?: string;
}

/** Returns the BullMQ job id of an alert; Redis keys and job ids must not contain `:`. */
export function alertJobId(event: Pick<AlertEvent, "kind" | "job">): string {
  return `alert-${event.job.id}-${event.kind}`;
}

/** Returns the kinds turned on in `alerts.kinds`, in `ALERT_KINDS` order. */
export function enabledAlertKinds(
  kinds: Readonly<Record<AlertKind, boolean>>,
): ReadonlySet<AlertKind> {
  return new Set(ALERT_KINDS.filter((kind) => kinds[kind]));
}
