import { Job, type JobState, type Queue } from "bullmq";
import type { AlertThreadStore } from "../state/alert-thread-store.ts";
import { ALERT_KINDS, type AlertEvent, type AlertKind, alertJobId } from "./alert-event.ts";

/**
 * Order of kinds detected in the same poll: warnings before the outcome, so the thread reads
 * as it happened and the top-level message ends on the latest state.
 */
const KIND_ORDER: readonly AlertKind[] = [
  "unknown-status",
  "expiring",
  "stuck",
  "expired",
  "failed",
  "recovered",
];

/** States of a job that may still deliver; completed and failed (given up) jobs never will. */
const PENDING_STATES: ReadonlySet<JobState | "unknown"> = new Set([
  "waiting",
  "delayed",
  "active",
  "prioritized",
  "waiting-children",
]);

const MIN_WAIT_MS = 250;
const MAX_WAIT_MS = 60_000;
/** Wait for an earlier alert that is running or waiting for a worker. */
const BUSY_WAIT_MS = 1000;
/** Extra wait after an earlier alert's due time, so it has run by the time this one looks. */
const AFTER_DUE_MS = 200;

/** An earlier alert of the same restore job that is not delivered yet. */
export interface EarlierAlert {
  alertId: string;
  /** How long to wait before looking again, in milliseconds. */
  waitMs: number;
}

/** Sources that `findEarlierAlert` reads. */
export interface DeliveryOrderSources {
  queue: Queue;
  threads: Pick<AlertThreadStore, "getSentMany">;
  nowMs: number;
}

/**
 * Returns an alert of the same restore job that comes earlier (by `detectedAt`, then by kind)
 * and is neither delivered nor given up, or undefined when there is none. Waiting for it keeps
 * the alerts of one job in order, also when a Slack outage queued several of them.
 */
export async function findEarlierAlert(
  event: AlertEvent,
  sources: DeliveryOrderSources,
): Promise<EarlierAlert | undefined> {
  const others = ALERT_KINDS.filter((kind) => kind !== event.kind).map((kind) =>
    alertJobId({ kind, job: event.job }),
  );
  const ref = { projectId: event.projectId, cluster: event.cluster };
  const delivered = await sources.threads.getSentMany(ref, others);

  for (const alertId of others) {
    if (delivered.has(alertId)) continue;
    const job = await Job.fromId<AlertEvent>(sources.queue, alertId);
    if (job === undefined || !comesBefore(job.data, event)) continue;

    const state = await job.getState();
    if (PENDING_STATES.has(state)) return { alertId, waitMs: waitFor(job, state, sources.nowMs) };
  }
  return undefined;
}

/** Tests whether `a` is delivered before `b`. */
export function comesBefore(
  a: Pick<AlertEvent, "detectedAt" | "kind">,
  b: Pick<AlertEvent, "detectedAt" | "kind">,
): boolean {
  const byTime = Date.parse(a.detectedAt) - Date.parse(b.detectedAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime < 0;
  return KIND_ORDER.indexOf(a.kind) < KIND_ORDER.indexOf(b.kind);
}

function waitFor(job: Job, state: JobState | "unknown", nowMs: number): number {
  if (state !== "delayed") return BUSY_WAIT_MS;

  // BullMQ keeps the last delay and the start of the last attempt, not the due time itself.
  const dueMs = (job.processedOn ?? job.timestamp) + (job.delay ?? 0);
  return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, dueMs - nowMs + AFTER_DUE_MS));
}
