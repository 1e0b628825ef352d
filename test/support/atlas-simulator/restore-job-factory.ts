import { HOUR_MS, isoSeconds, randomHex, SECOND_MS } from "./generated-values.ts";
import type { SimulatedRestoreJob } from "./simulator-types.ts";

/** Statuses after which a restore job no longer changes. */
export const TERMINAL_STATUSES = new Set(["FAILED", "COMPLETED"]);

/** Where a new restore job belongs and when it was scheduled. */
export interface RestoreJobPlacement {
  baseUrl: string;
  projectId: string;
  cluster: string;
  scheduledMs: number;
}

/**
 * Builds a restore job with every field Atlas sends, as a RESTORE job COMPLETED 90 s after it was
 * scheduled unless `partial` says otherwise. DOWNLOAD jobs get a fake `snapshotUrl`.
 */
export function buildRestoreJob(
  placement: RestoreJobPlacement,
  partial: Partial<SimulatedRestoreJob> = {},
): SimulatedRestoreJob {
  const { baseUrl, projectId, cluster, scheduledMs } = placement;
  const id = randomHex(24);
  const status = partial.status ?? "COMPLETED";
  const deliveryType = partial.deliveryType ?? "RESTORE";
  return {
    id,
    status,
    deliveryType,
    instanceName: cluster,
    projectId,
    snapshotId: randomHex(24),
    snapshotFinishedDate: isoSeconds(scheduledMs - 2 * HOUR_MS),
    restoreScheduledDate: isoSeconds(scheduledMs),
    ...(TERMINAL_STATUSES.has(status)
      ? { restoreFinishedDate: isoSeconds(scheduledMs + 90 * SECOND_MS) }
      : {}),
    expirationDate: isoSeconds(scheduledMs + 6 * HOUR_MS),
    targetDeploymentItemName: cluster,
    targetProjectId: projectId,
    ...(deliveryType === "DOWNLOAD"
      ? { snapshotUrl: `https://restore-sim.invalid/download/${id}?signature=${randomHex(32)}` }
      : {}),
    links: [
      {
        rel: "self",
        href: `${baseUrl}/api/atlas/v2/groups/${projectId}/flexClusters/${cluster}/backup/restoreJobs/${id}`,
      },
    ],
    ...partial,
  };
}

/** Returns jobs newest `restoreScheduledDate` first, later-added first on ties, as Atlas lists them. */
export function newestFirst(jobs: SimulatedRestoreJob[]): SimulatedRestoreJob[] {
  return [...jobs]
    .reverse()
    .sort((a, b) =>
      String(b.restoreScheduledDate ?? "").localeCompare(String(a.restoreScheduledDate ?? "")),
    );
}
