import type { AlertEvent } from "./alert-event.ts";
import { formatUtcWithRelative } from "./alert-presentation.ts";
import { MISSING_VALUE } from "./slack-blocks.ts";

/** A labelled field of a message; the value is raw text from the API, escaped when rendered. */
export type MessageField = readonly [label: string, value: string];

/**
 * Returns the fields that identify a restore job: project, cluster, job id, status change,
 * delivery type, target and snapshot. `snapshotUrl` is never read.
 */
export function restoreJobFields(event: AlertEvent): MessageField[] {
  const { job } = event;
  return [
    ["Project", event.projectId],
    ["Cluster", event.cluster],
    ["Restore job", job.id],
    ["Status", statusChange(event)],
    ["Delivery type", job.deliveryType ?? MISSING_VALUE],
    ["Target", restoreTarget(event)],
    ["Snapshot", job.snapshotId ?? MISSING_VALUE],
  ];
}

/** Returns the job's times in UTC, each with its distance from `nowMs`. */
export function restoreTimeFields(event: AlertEvent, nowMs: number): MessageField[] {
  const { job } = event;
  const time = (date: string | undefined, absent: string) =>
    date === undefined ? absent : formatUtcWithRelative(date, nowMs);
  return [
    ["Scheduled", time(job.restoreScheduledDate, MISSING_VALUE)],
    ["Finished", time(job.restoreFinishedDate, "not finished")],
    ["Expires", time(job.expirationDate, MISSING_VALUE)],
    ["Snapshot taken", time(job.snapshotFinishedDate, MISSING_VALUE)],
  ];
}

/** Returns `RUNNING → FAILED`, `CLOSED (first seen)` or `RUNNING (unchanged)`. */
export function statusChange(event: Pick<AlertEvent, "job" | "previousStatus">): string {
  const current = event.job.status;
  if (event.previousStatus === undefined) return `${current} (first seen)`;
  if (event.previousStatus === current) return `${current} (unchanged)`;
  return `${event.previousStatus} → ${current}`;
}

function restoreTarget(event: AlertEvent): string {
  const deployment = event.job.targetDeploymentItemName;
  const project = event.job.targetProjectId;
  if (deployment === undefined) return MISSING_VALUE;
  if (project === undefined || project === event.projectId) return `${deployment} (same project)`;
  return `${deployment} in project ${project}`;
}
