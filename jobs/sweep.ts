import type { Job, Queue } from "bullmq";
import type { ProjectConfig } from "../src/config/config.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { PollJobData, SweepJobData, SweepResult } from "../src/queue/job-data.ts";
import { pollJobId } from "../src/queue/queue-names.ts";
import type { ClusterRef } from "../src/state/cluster-ref.ts";
import type { StateStore } from "../src/state/state-store.ts";

export interface SweepDependencies {
  projects: readonly ProjectConfig[];
  resolveClusters: (project: ProjectConfig) => Promise<ClusterRef[]>;
  pollQueue: Queue<PollJobData>;
  store: StateStore;
  metrics: Metrics;
  logger: Logger;
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

    for (const project of deps.projects) {
      let clusters: ClusterRef[];
      try {
        clusters = await deps.resolveClusters(project);
      } catch (err) {
        // A project that cannot be listed must not stop the other projects' polls.
        logger.error({ err, projectId: project.id }, "failed to list flex clusters of project");
        result.discoveryErrors.push({ projectId: project.id, error: errorMessage(err) });
        continue;
      }
      const pollJobIds = await enqueuePolls(deps.pollQueue, clusters, sweepId);
      result.pollJobIds.push(...pollJobIds);
      result.clusters += clusters.length;
    }

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

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
