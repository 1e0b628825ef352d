import type { ProjectConfig } from "../config/config.ts";
import type { ClusterRef } from "../state/cluster-ref.ts";
import type { AtlasClient } from "./atlas-client.ts";

/** Flex cluster states whose restore jobs are no longer worth polling. */
const SKIPPED_STATES: ReadonlySet<string> = new Set(["DELETING"]);

/**
 * Returns the clusters of one configured project: the named ones, or for `"*"` every flex
 * cluster the project lists, leaving out clusters being deleted and ones with backups off.
 */
export async function resolveClusters(
  atlas: Pick<AtlasClient, "listFlexClusters">,
  project: ProjectConfig,
): Promise<ClusterRef[]> {
  if (project.clusters !== "*") {
    return project.clusters.map((cluster) => ({
      projectId: project.id,
      cluster,
      discovered: false,
    }));
  }

  const clusters = await atlas.listFlexClusters(project.id);
  return clusters
    .filter((cluster) => !SKIPPED_STATES.has(cluster.stateName ?? ""))
    .filter((cluster) => cluster.backupEnabled !== false)
    .map((cluster) => ({ projectId: project.id, cluster: cluster.name, discovered: true }));
}
