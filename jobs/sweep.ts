import type { Job, Queue } from "bullmq";
import type { OperatorAlertTracker } from "../src/alerts/operator-alert-tracker.ts";
import type { ProjectConfig } from "../src/config/config.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { PollJobData, SweepJobData, SweepResult } from "../src/queue/job-data.ts";
import { pollJobId } from "../src/queue/queue-names.ts";
import type { ClusterRef } from "../src/state/cluster-ref.ts";
import type { StateStore } from "../src/state/state-store.ts";

export interface SweepDependencies {
  /** Projects to sweep: the configured ones, or the discovered ones for `projects: "*"`. */
  listProjects: () => Promise<readonly ProjectConfig[]>;
  resolveClusters: (project: ProjectConfig) => Promise<ClusterRef[]>;
  pollQueue: Queue<PollJobData>;
  store: StateStore;
  /** Counts failed project and cluster listings towards operator alerts. */
  operatorAlerts: Pick<
    OperatorAlertTracker,
    "recordDiscoveryFailure" | "recordDiscoverySuccess" | "recordProjectListFailure"
  >;
  metrics: Metrics;
  logger: Logger;
  /** Drops saved clusters the config no longer names; cron sweeps only. */
  dropUnconfiguredClusters?: () => Promise<void>;
}

/**
 * Creates the sweep processor: it resolves the clusters to watch and enqueues one poll job per
 * cluster. Poll job ids derive from the sweep id, so a retried sweep adds no second poll.
 */
export function createSweepProcessor(deps: SweepDependencies) {
  return async (job: Job<SweepJobData>): Promise<SweepResult> => {
    const { sweepId } = job.data;
    const logger = deps.logger.child({ job: "sweep", sweepId });
    const result: SweepResult = { pollJobIds: [], clusters: 0, discoveryErrors: [] };

    for (const project of await listProjects(deps, result, sweepId, logger)) {
      let clusters: ClusterRef[];
      try {
        clusters = await deps.resolveClusters(project);
      } catch (err) {
        // A project that cannot be listed must not stop the other projects' polls.
        logger.error({ err, projectId: project.id }, "failed to list flex clusters of project");
        result.discoveryErrors.push({ projectId: project.id, error: errorMessage(err) });
        await deps.operatorAlerts.recordDiscoveryFailure(project.id, sweepId, err);
        continue;
      }
      if (project.clusters === "*") await deps.operatorAlerts.recordDiscoverySuccess(project.id);
      const pollJobIds = await enqueuePolls(deps.pollQueue, clusters, sweepId);
      result.pollJobIds.push(...pollJobIds);
      result.clusters += clusters.length;
    }

    // `flexwatch once` may run with a config that names only some clusters, so only the
    // deployment's own cron sweeps drop what their config does not name.
    if (job.data.origin === "cron") await dropUnconfiguredClusters(deps, logger);
    await deps.store.recordSweepFinished(new Date());
    deps.metrics.sweeps.inc({ outcome: result.discoveryErrors.length > 0 ? "partial" : "success" });
    logger.info({ clusters: result.clusters, origin: job.data.origin }, "sweep enqueued polls");
    return result;
  };
}

async function enqueuePolls(
  queue: Queue<PollJobData>,
  clusters: ClusterRef[],
  sweepId: string,
): Promise<string[]> {
  const jobs = clusters.map((ref) => {
    const jobId = pollJobId(ref.projectId, ref.cluster, sweepId);
    const data: PollJobData = { ...ref, sweepId };
    return { name: "poll", data, opts: { jobId } };
  });
  if (jobs.length > 0) await queue.addBulk(jobs);

  return jobs.map((job) => job.opts.jobId);
}

async function listProjects(
  deps: SweepDependencies,
  result: SweepResult,
  sweepId: string,
  logger: Logger,
): Promise<readonly ProjectConfig[]> {
  try {
    return await deps.listProjects();
  } catch (err) {
    logger.error({ err }, "failed to list atlas projects");
    result.discoveryErrors.push({ projectId: "*", error: errorMessage(err) });
    await deps.operatorAlerts.recordProjectListFailure(sweepId, err);
    return [];
  }
}

// A failure here only delays the cleanup to a later sweep, so it must not fail this one.
async function dropUnconfiguredClusters(deps: SweepDependencies, logger: Logger): Promise<void> {
  try {
    await deps.dropUnconfiguredClusters?.();
  } catch (err) {
    logger.error({ err }, "failed to drop clusters the config no longer names");
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
