import { atlasError } from "./atlas-error-response.ts";
import { pagedResponse, versionedContentType } from "./paged-response.ts";
import { answerRestoreJobs, RESTORE_JOBS_PATH } from "./restore-jobs-route.ts";
import type {
  ApiRoute,
  SimulatedCluster,
  SimulatedEstate,
  SimulatedResponse,
} from "./simulator-types.ts";

/** The only media type version Atlas serves for the flex endpoints. */
export const FLEX_API_VERSION = "2024-11-13";
/** The media type version of `GET /groups`. */
export const GROUPS_API_VERSION = "2023-01-01";

const FLEX_CLUSTERS_PATH = /^\/api\/atlas\/v2\/groups\/([^/]+)\/flexClusters$/;
const FLEX_CLUSTER_PATH = /^\/api\/atlas\/v2\/groups\/([^/]+)\/flexClusters\/([^/]+)$/;

/** What routing needs from the simulator. */
export interface RouteContext {
  baseUrl: string;
  estate: SimulatedEstate;
  maxItemsPerPage: number | undefined;
}

/** Finds the API resource for a path under `/api/atlas/v2`, or undefined for an unknown one. */
export function routeApiRequest(url: URL, context: RouteContext): ApiRoute | undefined {
  if (url.pathname === "/api/atlas/v2/groups") return groupsRoute(url, context);

  const clustersMatch = FLEX_CLUSTERS_PATH.exec(url.pathname);
  if (clustersMatch)
    return flexClustersRoute(url, decodeURIComponent(clustersMatch[1] ?? ""), context);

  const clusterMatch = FLEX_CLUSTER_PATH.exec(url.pathname);
  if (clusterMatch) {
    const [projectId = "", name = ""] = clusterMatch
      .slice(1)
      .map((part) => decodeURIComponent(part));
    return flexClusterRoute(projectId, name, context);
  }

  const jobsMatch = RESTORE_JOBS_PATH.exec(url.pathname);
  if (!jobsMatch) return undefined;
  const [projectId = "", name = "", jobId] = jobsMatch
    .slice(1)
    .map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
  const page = pageOptions(context, FLEX_API_VERSION);
  const handle = () =>
    withProject(context, projectId, (clusters) =>
      answerRestoreJobs({ url, cluster: clusters.get(name), clusterName: name, jobId, page }),
    );
  return { version: FLEX_API_VERSION, bucket: `restoreJobs:${projectId}`, handle };
}

function groupsRoute(url: URL, context: RouteContext): ApiRoute {
  const projects = [...context.estate.keys()].map((id) => ({
    id,
    name: `project-${id.slice(-6)}`,
    clusterCount: context.estate.get(id)?.size,
  }));
  return {
    version: GROUPS_API_VERSION,
    bucket: "groups",
    handle: () => pagedResponse(url, projects, pageOptions(context, GROUPS_API_VERSION)),
  };
}

function flexClustersRoute(url: URL, projectId: string, context: RouteContext): ApiRoute {
  const handle = () =>
    withProject(context, projectId, (clusters) =>
      pagedResponse(
        url,
        [...clusters.values()]
          .filter((cluster) => cluster.kind === "flex")
          .map((cluster) => describeCluster(projectId, cluster)),
        pageOptions(context, FLEX_API_VERSION),
      ),
    );
  return { version: FLEX_API_VERSION, bucket: `flexClusters:${projectId}`, handle };
}

/** `GET /groups/{groupId}/flexClusters/{name}`: one flex cluster, or 404 once it is gone. */
function flexClusterRoute(projectId: string, name: string, context: RouteContext): ApiRoute {
  const handle = () =>
    withProject(context, projectId, (clusters) => {
      const cluster = clusters.get(name);
      if (!cluster) {
        return atlasError(
          404,
          "CLUSTER_NOT_FOUND",
          `No cluster named ${name} exists in this group.`,
        );
      }
      if (cluster.kind !== "flex") {
        return atlasError(
          400,
          "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
          `Cluster ${name} is not a flex cluster.`,
        );
      }
      return {
        status: 200,
        body: describeCluster(projectId, cluster),
        headers: versionedContentType(FLEX_API_VERSION),
      };
    });
  return { version: FLEX_API_VERSION, bucket: `flexClusters:${projectId}`, handle };
}

function pageOptions(context: RouteContext, version: string) {
  return { baseUrl: context.baseUrl, version, maxItemsPerPage: context.maxItemsPerPage };
}

function withProject(
  context: RouteContext,
  projectId: string,
  handle: (clusters: Map<string, SimulatedCluster>) => SimulatedResponse,
): SimulatedResponse {
  if (!/^[a-f0-9]{24}$/.test(projectId))
    return atlasError(404, "INVALID_GROUP_ID", `Invalid group ID ${projectId}.`);
  const clusters = context.estate.get(projectId);
  if (!clusters) return atlasError(404, "GROUP_NOT_FOUND", `No group with ID ${projectId} exists.`);
  return handle(clusters);
}

function describeCluster(projectId: string, cluster: SimulatedCluster): unknown {
  return {
    name: cluster.name,
    groupId: projectId,
    stateName: cluster.stateName,
    backupSettings: { enabled: cluster.backupEnabled },
    createDate: cluster.createDate,
    clusterType: "REPLICASET",
  };
}
