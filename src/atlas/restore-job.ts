/** Statuses the Atlas specification (resource version 2024-11-13) lists for a flex restore job. */
export const KNOWN_STATUSES = ["PENDING", "QUEUED", "RUNNING", "FAILED", "COMPLETED"] as const;

export type KnownStatus = (typeof KNOWN_STATUSES)[number];

/** Statuses after which Atlas does not change a job again. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["FAILED", "COMPLETED"]);

/** Statuses during which a job can pass its `expirationDate` and expire. */
export const IN_FLIGHT_STATUSES: ReadonlySet<string> = new Set(["PENDING", "QUEUED", "RUNNING"]);

export function isKnownStatus(status: string): status is KnownStatus {
  return (KNOWN_STATUSES as readonly string[]).includes(status);
}

/**
 * A flex restore job as flexwatch keeps it: the fields of `FlexBackupRestoreJob20241113` that
 * alerts need. `snapshotUrl` is dropped when the response is parsed, because it is a
 * credential-bearing link. Dates are ISO-8601 UTC strings exactly as Atlas sent them.
 */
export interface RestoreJob {
  id: string;
  /** A documented status, or any other string Atlas sends. */
  status: string;
  deliveryType?: string;
  instanceName?: string;
  projectId?: string;
  snapshotId?: string;
  snapshotFinishedDate?: string;
  restoreScheduledDate?: string;
  restoreFinishedDate?: string;
  expirationDate?: string;
  targetDeploymentItemName?: string;
  targetProjectId?: string;
}

/** Status given to a job that Atlas listed without a `status`, so it is reported as unknown. */
export const MISSING_STATUS = "MISSING";
