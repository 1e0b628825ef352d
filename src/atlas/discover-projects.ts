import type { AtlasClient } from "./atlas-client.ts";
import type { DiscoveryCache } from "./discovery-cache.ts";
import type { DiscoveryResult } from "./discovery-result.ts";

/**
 * Finds every project the credentials can see, for `projects: "*"`. The ids are cached; a
 * list cut at the page limit is used but not cached.
 */
export async function discoverProjects(
  atlas: Pick<AtlasClient, "listProjects">,
  cache: Pick<DiscoveryCache, "getProjects" | "setProjects">,
): Promise<DiscoveryResult> {
  const cached = await cache.getProjects();
  if (cached !== null) return { watched: cached, freshlyListed: undefined };

  const listing = await atlas.listProjects();
  const watched = listing.items.map((project) => project.id);
  if (!listing.complete) return { watched, freshlyListed: undefined };

  await cache.setProjects(watched);
  return { watched, freshlyListed: new Set(watched) };
}
