import type { Config, ProjectConfig } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { ClusterRef } from "../state/cluster-ref.ts";
import type { StateStore } from "../state/state-store.ts";
import type { AtlasClient } from "./atlas-client.ts";
import type { ClusterDropper } from "./cluster-dropper.ts";
import { discoverClusters } from "./discover-clusters.ts";
import { discoverProjects } from "./discover-projects.ts";
import type { DiscoveryCache } from "./discovery-cache.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

export interface ClusterResolverOptions {
  /** The configured projects, or `"*"` for every project the credentials can see. */
  projects: Config["projects"];
  atlas: Pick<AtlasClient, "listProjects" | "listFlexClusters">;
  cache: DiscoveryCache;
  store: Pick<StateStore, "listClusters">;
  dropper: Pick<ClusterDropper, "dropIfGone" | "drop">;
  logger: Logger;
}

/**
 * Turns the configured projects into the clusters a sweep polls, discovering `"*"` entries
 * through Atlas and the discovery cache. It also drops saved clusters that are no longer
 * watched: ones the config stopped naming at once, and discovered ones only after Atlas
 * confirms them gone.
 */
export class ClusterResolver {
  readonly #options: ClusterResolverOptions;

  constructor(options: ClusterResolverOptions) {
    this.#options = options;
  }

  /**
   * Lists the projects to sweep: the configured ones, or for `projects: "*"` every project the
   * credentials can see, each with all its flex clusters. After a fresh project list, saved
   * clusters of projects missing from it are dropped once Atlas confirms them gone.
   */
  async listProjects(): Promise<ProjectConfig[]> {
    const { projects, atlas, cache } = this.#options;
    if (projects !== "*") return projects;

    const found = await discoverProjects(atlas, cache);
    if (found.freshlyListed !== undefined) {
      const listed = found.freshlyListed;
      await this.#dropGone((ref) => !listed.has(ref.projectId));
    }
    return found.watched.map((id) => ({ id, clusters: "*" }));
  }

  /**
   * Resolves the clusters of one project: the named ones, or for `"*"` every flex cluster the
   * project lists, leaving out clusters being deleted and ones with backups off. After a fresh
   * cluster list, saved clusters missing from it are dropped once Atlas confirms them gone.
   */
  async resolveClusters(project: ProjectConfig): Promise<ClusterRef[]> {
    const { atlas, cache } = this.#options;
    if (project.clusters !== "*") {
      return project.clusters.map((cluster) => ({
        projectId: project.id,
        cluster,
        discovered: false,
      }));
    }

    const found = await discoverClusters(atlas, cache, project.id);
    if (found.freshlyListed !== undefined) {
      const listed = found.freshlyListed;
      await this.#dropGone((ref) => ref.projectId === project.id && !listed.has(ref.cluster));
    }
    return found.watched.map((cluster) => ({ projectId: project.id, cluster, discovered: true }));
  }

  /**
   * Drops saved clusters whose project the config no longer lists, or whose project lists
   * cluster names without them. Clusters of `"*"` projects are left to discovery.
   */
  async dropUnconfiguredClusters(): Promise<void> {
    const { projects, store, dropper } = this.#options;
    if (projects === "*") return;

    const byId = new Map(projects.map((project) => [project.id, project.clusters]));
    for (const ref of await store.listClusters()) {
      const clusters = byId.get(ref.projectId);
      if (clusters === "*" || clusters?.includes(ref.cluster)) continue;

      await dropper.drop(ref, "not-configured");
    }
  }

  /**
   * Asks Atlas about each saved cluster that `isMissing` selects and drops the ones it
   * confirms gone. A failed confirmation keeps the cluster, so an Atlas error never drops state.
   */
  async #dropGone(isMissing: (ref: ClusterId) => boolean): Promise<void> {
    const { store, dropper, logger } = this.#options;
    const missing = (await store.listClusters()).filter(isMissing);

    for (const ref of missing) {
      try {
        const dropped = await dropper.dropIfGone(ref);
        if (!dropped) logger.debug({ ...ref }, "cluster missing from discovery still exists");
      } catch (err) {
        logger.warn({ err, ...ref }, "failed to confirm that a cluster is gone, keeping its state");
      }
    }
  }
}
