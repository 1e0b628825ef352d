import { type Job, type Queue, UnrecoverableError } from "bullmq";
import { type AlertEvent, alertJobId } from "../src/alerts/alert-event.ts";
import { AtlasApiError } from "../src/atlas/atlas-api-error.ts";
import type { AtlasClient } from "../src/atlas/atlas-client.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { AlertJobData, PollJobData, PollResult } from "../src/queue/job-data.ts";
import type { ClusterRef } from "../src/state/cluster-ref.ts";
import { commitPoll } from "../src/state/commit-poll.ts";
import type { StateStore } from "../src/state/state-store.ts";

export interface PollDependencies {
  atlas: Pick<AtlasClient, "listRestoreJobs">;
  store: StateStore;
  alertQueue: Queue<AlertJobData>;
  lookbackMs: number;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
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
      const result = await pollCluster(deps, ref, logger);
      deps.metrics.polls.inc({ ...labels, outcome: "success" });
      deps.metrics.pollSuccess.set(labels, 1);
      return result;
    } catch (err) {
      deps.metrics.polls.inc({ ...labels, outcome: "error" });
      deps.metrics.pollSuccess.set(labels, 0);
      return await handlePollError(deps, ref, err, logger);
    } finally {
      stopTimer();
    }
  };
}

async function pollCluster(deps: PollDependencies, ref: ClusterRef, logger: Logger) {
  const now = deps.now?.() ?? new Date();
  const listing = await deps.atlas.listRestoreJobs(ref.projectId, ref.cluster);
  const committed = await commitPoll(deps.store, ref, listing, now, deps.lookbackMs);

  recordDiffMetrics(deps.metrics, ref, committed.transitions, committed.unknownStatuses, logger);
  const alertJobIds = await enqueueOutbox(deps, ref);
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
async function enqueueOutbox(deps: PollDependencies, ref: ClusterRef): Promise<string[]> {
  const pending: AlertEvent[] = await deps.store.pendingAlerts(ref);
  const ids: string[] = [];
  for (const event of pending) {
    const jobId = alertJobId(event);
    await deps.alertQueue.add(event.kind, event, { jobId });
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
 * Sorts a failed poll: a discovered cluster that is gone is dropped quietly; other permanent
 * Atlas errors fail the job at once (retrying cannot fix them); the rest are retried by BullMQ.
 */
async function handlePollError(
  deps: PollDependencies,
  ref: ClusterRef,
  err: unknown,
  logger: Logger,
): Promise<PollResult> {
  if (err instanceof AtlasApiError && err.errorCode === "CLUSTER_NOT_FOUND" && ref.discovered) {
    await deps.store.removeCluster(ref);
    logger.info({ errorCode: err.errorCode }, "discovered cluster is gone; dropped from state");
    return droppedResult(ref);
  }
  if (err instanceof AtlasApiError && !err.retryable) {
    logger.error({ err, errorCode: err.errorCode, status: err.status }, "poll failed");
    throw new UnrecoverableError(err.message);
  }

  logger.warn({ err }, "poll failed; BullMQ retries it");
  throw err;
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
