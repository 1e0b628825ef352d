import type { IncomingMessage } from "node:http";
import { readBody } from "./request-parsing.ts";
import { newestFirst } from "./restore-job-factory.ts";
import type { SimulatedEstate, SimulatedResponse } from "./simulator-types.ts";

/** What the control routes read and change in the simulator. */
export interface ControlTarget {
  url: string;
  estate: SimulatedEstate;
  tokenRequests: number;
  requestCount: number;
  getRestoreJobs(projectId: string, cluster: string): { id: string }[];
  setRestoreJobStatus(
    projectId: string,
    cluster: string,
    jobId: string,
    status: string,
  ): { id: string; status: string };
}

/**
 * Serves the `/__sim/` routes that demos use: `GET /__sim/state` and
 * `POST /__sim/restore-jobs/status` with `{projectId, cluster, jobId?, status}` (newest job when
 * `jobId` is missing).
 */
export async function answerControl(
  target: ControlTarget,
  method: string,
  path: string,
  req: IncomingMessage,
): Promise<SimulatedResponse> {
  if (method === "GET" && path === "/__sim/state")
    return { status: 200, body: describeState(target) };
  if (method !== "POST" || path !== "/__sim/restore-jobs/status")
    return { status: 404, body: { error: `no control route ${method} ${path}` } };

  try {
    const { projectId, cluster, jobId, status } = JSON.parse(await readBody(req)) as Record<
      string,
      string
    >;
    if (!projectId || !cluster || !status)
      throw new Error("projectId, cluster and status are required");
    const id = jobId ?? target.getRestoreJobs(projectId, cluster)[0]?.id;
    if (!id) throw new Error(`cluster ${projectId}/${cluster} has no restore jobs`);
    const job = target.setRestoreJobStatus(projectId, cluster, id, status);
    return { status: 200, body: { id: job.id, status: job.status } };
  } catch (err) {
    return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}

function describeState(target: ControlTarget): unknown {
  const projects = [...target.estate].map(([id, clusters]) => ({
    id,
    clusters: [...clusters.values()].map((cluster) => ({
      name: cluster.name,
      kind: cluster.kind,
      stateName: cluster.stateName,
      restoreJobs: cluster.jobs.length,
      newestJob: newestFirst(cluster.jobs)[0]?.id,
      statuses: Object.fromEntries(
        [...new Set(cluster.jobs.map((job) => job.status))].map((status) => [
          status,
          cluster.jobs.filter((job) => job.status === status).length,
        ]),
      ),
    })),
  }));
  return {
    url: target.url,
    tokenRequests: target.tokenRequests,
    requestCount: target.requestCount,
    projects,
  };
}
