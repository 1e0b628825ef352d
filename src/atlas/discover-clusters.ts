import type { AtlasClient } from "./atlas-client.ts";
import type { DiscoveryCache } from "./discovery-cache.ts";
import type { DiscoveryResult } from "./discovery-result.ts";
import type { FlexCluster } from "./flex-cluster.ts";

/** Flex cluster states whose restore jobs are no longer worth polling. */
const SKIPPED_STATES: ReadonlySet<string> = new Set(["DELETING"]);

/**
 * Finds the flex clusters of a project to watch: every cluster Atlas lists, except ones being
 * deleted and ones with backups turned off. The watched names are cached; a list cut at the
 * page limit is used but not cached.
 */
export async function discoverClusters(
  atlas: Pick<AtlasClient, "listFlexClusters">,
  cache: Pick<DiscoveryCache, "getClusters" | "setClusters">,
  projectId: string,
): Promise<DiscoveryResult> {
  const cached = await cache.getClusters(projectId);
  if (cached !== null) return { watched: cached, freshlyListed: undefined };

  const listing = await atlas.listFlexClusters(projectId);
  const watched = listing.items.filter(isWatched).map((cluster) => cluster.name);
  if (!listing.complete) return { watched, freshlyListed: undefined };

  await cache.setClusters(projectId, watched);
  return { watched, freshlyListed: new Set(listing.items.map((cluster) => cluster.name)) };
}

function isWatched(cluster: FlexCluster): boolean {
  return !SKIPPED_STATES.has(cluster.stateName ?? "") && cluster.backupEnabled !== false;
}
