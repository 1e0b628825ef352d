import { atlasError } from "./atlas-error-response.ts";
import { type PageOptions, pagedResponse, versionedContentType } from "./paged-response.ts";
import { newestFirst } from "./restore-job-factory.ts";
import type { SimulatedCluster, SimulatedResponse } from "./simulator-types.ts";

/** Path of the restore-job list and of one restore job; groups are project id, cluster, job id. */
export const RESTORE_JOBS_PATH =
  /^\/api\/atlas\/v2\/groups\/([^/]+)\/flexClusters\/([^/]+)\/backup\/restoreJobs(?:\/([^/]+))?$/;

/** The request for one cluster's restore jobs, after routing. */
export interface RestoreJobsRequest {
  url: URL;
  cluster: SimulatedCluster | undefined;
  clusterName: string;
  /** Set for `GET .../restoreJobs/{restoreJobId}`. */
  jobId: string | undefined;
  page: PageOptions;
}

/**
 * Serves a flex cluster's restore jobs: one page of the list, newest first unless the
 * cluster's `listHooks` order it otherwise, or one job.
 * A missing cluster gets 404 `CLUSTER_NOT_FOUND`, a dedicated one 400
 * `CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API`.
 */
export function answerRestoreJobs(request: RestoreJobsRequest): SimulatedResponse {
  const { url, cluster, clusterName, jobId, page } = request;
  if (!cluster) {
    return atlasError(
      404,
      "CLUSTER_NOT_FOUND",
      `No cluster named ${clusterName} exists in this group.`,
    );
  }
  if (cluster.kind !== "flex") {
    return atlasError(
      400,
      "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
      `Cluster ${clusterName} is not a flex cluster.`,
    );
  }
  if (jobId === undefined) {
    const hooks = cluster.listHooks;
    hooks?.beforePage?.(Number(url.searchParams.get("pageNum") ?? "1"));
    const listed = hooks?.order ? hooks.order(cluster.jobs) : newestFirst(cluster.jobs);
    const response = pagedResponse(url, listed, page);
    if (hooks?.totalCount && response.status === 200) {
      response.body = { ...(response.body as object), totalCount: hooks.totalCount(listed.length) };
    }
    return response;
  }

  const job = cluster.jobs.find((candidate) => candidate.id === jobId);
  // NOTE: the error code for an unknown restore job id is not documented, so this one is a guess.
  return job
    ? { status: 200, body: job, headers: versionedContentType(page.version) }
    : atlasError(404, "RESOURCE_NOT_FOUND", `No restore job ${jobId}.`);
}
