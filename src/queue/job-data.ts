import type { AlertEvent } from "../alerts/alert-event.ts";
import type { AlertDeliveryResult } from "../alerts/alert-outcome.ts";

/** Data of a sweep job. */
export interface SweepJobData {
  /** The sweep's own id: `sweep-<slot ms>` for cron slots, `once-<uuid>` for `flexwatch once`. */
  sweepId: string;
  /** Cron slot start in epoch ms; null for `once`. */
  slotMs: number | null;
  origin: "cron" | "once";
}

/** Result of a sweep job: the poll jobs it enqueued. */
export interface SweepResult {
  pollJobIds: string[];
  clusters: number;
  /** Projects whose cluster list could not be resolved, with the reason; `projectId` is `"*"` when the project list itself failed. */
  discoveryErrors: { projectId: string; error: string }[];
}

/** Data of a poll job; self-contained so that a poll can be enqueued on its own. */
export interface PollJobData {
  projectId: string;
  cluster: string;
  discovered: boolean;
  sweepId: string;
}

/** Result of a poll job, as `flexwatch once` summarises it. */
export interface PollResult {
  projectId: string;
  cluster: string;
  jobsByStatus: Record<string, number>;
  transitions: number;
  alertJobIds: string[];
  requests: number;
  baseline: boolean;
  /** True when a discovered cluster was found gone and dropped. */
  dropped: boolean;
}

/** Data of an alert job. */
export type AlertJobData = AlertEvent;

/** Result of an alert job. */
export type AlertResult = AlertDeliveryResult;
