import { type Job, type Queue, UnrecoverableError } from "bullmq";
import type { AlertDigest } from "../src/alerts/alert-digest.ts";
import type { AlertEvent } from "../src/alerts/alert-event.ts";
import { enqueueAlert } from "../src/alerts/enqueue-alert.ts";
import type { OperatorAlertTracker } from "../src/alerts/operator-alert-tracker.ts";
import { AtlasApiError } from "../src/atlas/atlas-api-error.ts";
import type { AtlasClient } from "../src/atlas/atlas-client.ts";
import type { ClusterDropper } from "../src/atlas/cluster-dropper.ts";
import { listRestoreJobsForPoll } from "../src/atlas/list-restore-jobs-for-poll.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { AlertJobData, PollJobData, PollResult } from "../src/queue/job-data.ts";
import type { ClusterRef } from "../src/state/cluster-ref.ts";
import { commitPoll } from "../src/state/commit-poll.ts";
import type { AlertRules } from "../src/state/diff-restore-jobs.ts";
import type { PagingState } from "../src/state/paging-state.ts";
import type { StateStore } from "../src/state/state-store.ts";

export interface PollDependencies {
  atlas: Pick<AtlasClient, "listRestoreJobs">;
  store: StateStore;
  alertQueue: Queue<AlertJobData>;
  /** Registers each alert for its sweep's digest; undefined when digests or Slack are off. */
  digest?: Pick<AlertDigest, "register" | "windowMs">;
  /** Thresholds and switches of the alert kinds, from `config.alerts`. */
  alertRules: AlertRules;
  /** Counts polls that failed for good and resets the counts on success. */
  operatorAlerts: Pick<OperatorAlertTracker, "recordPollFailure" | "recordPollSuccess">;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
  /** Paging records for incremental reads; without them every poll reads every page. */
  paging?: PagingState;
  /** Every Nth poll of a cluster reads every page. @defaultValue 1 */
  fullReadEvery?: number;
  /** Confirms and drops discovered clusters that are gone; without it they are dropped at once. */
  clusterDropper?: Pick<ClusterDropper, "dropIfGone">;
}

/**
 * Creates the poll processor: read one cluster's restore jobs, diff them against the saved
 * state, save the new state atomically together with the alerts it produced (the outbox), and
 * enqueue those alerts. A retried poll finds its state already saved, so it adds nothing twice.
 */
export function createPollProcessor(deps: PollDependencies) {
  return async (job: Job<PollJobData>): Promise<PollResult> => {
    const { projectId, cluster, discovered } = job.data;
    const ref: ClusterRef = { projectId, cluster, discovered };
    const logger = deps.logger.child({ job: "poll", projectId, cluster, jobId: job.id });
    const labels = { project_id: projectId, cluster };
    const stopTimer = deps.metrics.pollDuration.startTimer(labels);

    try {
      const result = await pollCluster(deps, ref, job.data.sweepId, logger);
      deps.metrics.polls.inc({ ...labels, outcome: "success" });
      deps.metrics.pollSuccess.set(labels, 1);
      if (!result.dropped) await deps.operatorAlerts.recordPollSuccess(ref);
      return result;
    } catch (err) {
      deps.metrics.polls.inc({ ...labels, outcome: "error" });
      deps.metrics.pollSuccess.set(labels, 0);
      return await handlePollError(deps, job, ref, err, logger);
    } finally {
      stopTimer();
    }
  };
}

async function pollCluster(
  deps: PollDependencies,
  ref: ClusterRef,
  sweepId: string,
  logger: Logger,
) {
  const now = deps.now?.() ?? new Date();
  const listing = await listRestoreJobsForPoll(deps, ref);
  const committed = await commitPoll(deps.store, ref, listing, now, deps.alertRules);

  recordDiffMetrics(deps.metrics, ref, committed.transitions, committed.unknownStatuses, logger);
  const alertJobIds = await enqueueOutbox(deps, ref, sweepId);
  const jobsByStatus = await deps.store.countsByStatus(ref);

  logger.info(
    {
      jobs: listing.jobs.length,
      pages: listing.pages,
      transitions: committed.transitions.length,
      alerts: alertJobIds.length,
      baseline: committed.baseline,
    },
    "poll finished",
  );
  return {
    projectId: ref.projectId,
    cluster: ref.cluster,
    jobsByStatus,
    transitions: committed.transitions.length,
    alertJobIds,
    requests: listing.requests,
    baseline: committed.baseline,
    dropped: false,
  };
}

/**
 * Enqueues every alert in the cluster's outbox, including ones left by an earlier attempt that
 * died after saving its state. Alert job ids are fixed per (restore job, kind), so an alert
 * already queued is not queued twice. The outbox entry goes only once the job is stored.
 */
async function enqueueOutbox(
  deps: PollDependencies,
  ref: ClusterRef,
  sweepId: string,
): Promise<string[]> {
  const pending: AlertEvent[] = await deps.store.pendingAlerts(ref);
  const ids: string[] = [];
  for (const event of pending) {
    const jobId = await enqueueAlert(deps.alertQueue, event, sweepId, deps.digest);
    await deps.store.ackAlert(ref, jobId);
    ids.push(jobId);
  }

  return ids;
}

function recordDiffMetrics(
  metrics: Metrics,
  ref: ClusterRef,
  transitions: readonly { restoreJobId: string; from: string | null; to: string }[],
  unknownStatuses: readonly { restoreJobId: string; status: string }[],
  logger: Logger,
): void {
  const labels = { project_id: ref.projectId, cluster: ref.cluster };
  for (const transition of transitions) {
    metrics.transitions.inc({
      ...labels,
      from_status: transition.from ?? "NONE",
      to_status: transition.to,
    });
  }
  for (const unknown of unknownStatuses) {
    metrics.unknownStatuses.inc({ ...labels, status: unknown.status });
    logger.warn(
      { restoreJobId: unknown.restoreJobId, status: unknown.status },
      "restore job has a status outside the documented enum",
    );
  }
}

/**
 * Sorts a failed poll. A discovered cluster that is gone is dropped quietly. Other permanent
 * Atlas errors fail the job at once (retrying cannot fix them); the rest are retried by BullMQ.
 */
async function handlePollError(
  deps: PollDependencies,
  job: Job<PollJobData>,
  ref: ClusterRef,
  err: unknown,
  logger: Logger,
): Promise<PollResult> {
  if (err instanceof AtlasApiError && err.errorCode === "CLUSTER_NOT_FOUND" && ref.discovered) {
    if (await dropIfGone(deps, ref, logger)) return droppedResult(ref);
  }
  // A poll that BullMQ will not retry again counts towards an operator alert.
  const retryable = !(err instanceof AtlasApiError) || err.retryable;
  if (!retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
    await deps.operatorAlerts.recordPollFailure(ref, job.data.sweepId, err);
  }
  if (err instanceof AtlasApiError && !err.retryable) {
    logger.error({ err, errorCode: err.errorCode, status: err.status }, "poll failed");
    throw new UnrecoverableError(err.message);
  }

  logger.warn({ err }, "poll failed; BullMQ retries it");
  throw err;
}

/**
 * Drops a discovered cluster whose restore job list returned 404, once Atlas confirms that the
 * cluster itself is gone. Returns false, keeping the state, when it still exists or the
 * confirmation failed. The poll then fails as usual.
 */
async function dropIfGone(
  deps: PollDependencies,
  ref: ClusterRef,
  logger: Logger,
): Promise<boolean> {
  if (deps.clusterDropper === undefined) {
    await deps.store.removeCluster(ref);
    logger.info(
      { errorCode: "CLUSTER_NOT_FOUND" },
      "discovered cluster is gone; dropped from state",
    );
    return true;
  }

  try {
    return await deps.clusterDropper.dropIfGone(ref);
  } catch (err) {
    logger.warn({ err }, "failed to confirm that a cluster is gone, keeping its state");
    return false;
  }
}

function droppedResult(ref: ClusterRef): PollResult {
  return {
    projectId: ref.projectId,
    cluster: ref.cluster,
    jobsByStatus: {},
    transitions: 0,
    alertJobIds: [],
    requests: 0,
    baseline: false,
    dropped: true,
  };
}
