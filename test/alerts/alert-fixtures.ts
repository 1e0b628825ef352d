import type { AlertEvent } from "../../src/alerts/alert-event.ts";
import type { RestoreJob } from "../../src/atlas/restore-job.ts";

export const PROJECT_ID = "32b6e34b3d91647abb20e7b8";

/** Returns a restore job id that differs for each `index`. */
export function restoreJobId(index: number): string {
  return `66b7d1c2e4a5f6a7b8c9${index.toString(16).padStart(4, "0")}`;
}

/** Builds an alert event of a FAILED restore job, with overrides. */
export function alertEvent(overrides: Partial<AlertEvent> = {}, job: Partial<RestoreJob> = {}) {
  const event: AlertEvent = {
    kind: "failed",
    projectId: PROJECT_ID,
    cluster: "orders-flex",
    previousStatus: "RUNNING",
    job: {
      id: restoreJobId(1),
      status: "FAILED",
      deliveryType: "RESTORE",
      restoreScheduledDate: "2026-08-10T03:03:29Z",
      restoreFinishedDate: "2026-08-10T03:05:10Z",
      expirationDate: "2026-08-10T09:03:29Z",
      ...job,
    },
    detectedAt: "2026-08-10T03:06:00Z",
    ...overrides,
  };
  return event;
}
