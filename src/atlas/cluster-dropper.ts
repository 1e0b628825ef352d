import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { ClusterRef } from "../state/cluster-ref.ts";
import type { PagingState } from "../state/paging-state.ts";
import type { StateStore } from "../state/state-store.ts";
import type { AtlasClient } from "./atlas-client.ts";
import type { DiscoveryCache } from "./discovery-cache.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/** Reason for dropping a cluster, as logged. */
export type DropReason = "gone" | "not-configured";

export interface ClusterDropperOptions {
  atlas: Pick<AtlasClient, "getFlexCluster">;
  store: Pick<StateStore, "removeCluster">;
  paging: Pick<PagingState, "remove">;
  /** Cluster lists to re-read after a cluster is found gone. */
  cache: Pick<DiscoveryCache, "invalidate">;
  metrics: Metrics;
  logger: Logger;
}

const READ_MODES = ["full", "incremental"] as const;
const POLL_OUTCOMES = ["success", "error"] as const;

/**
 * Drops clusters flexwatch no longer watches: their saved state, counts, registry entry and
 * paging record, and this process's per-cluster poll and page series. Nothing is alerted about
 * their restore jobs. `flexwatch_restore_jobs`, read from Redis, loses the cluster on every
 * replica, but other replicas keep their own per-process series until they restart.
 * NOTE: a poll that drops its own cluster records its duration after the drop, so that one
 * histogram series stays, as do transition and unknown-status counters.
 */
export class ClusterDropper {
  readonly #options: ClusterDropperOptions;

  constructor(options: ClusterDropperOptions) {
    this.#options = options;
  }

  /**
   * Asks Atlas for the cluster and drops it when Atlas responds that it does not exist.
   * Returns true when dropped. Errors of the confirming request are thrown.
   */
  async dropIfGone(ref: ClusterId): Promise<boolean> {
    const found = await this.#options.atlas.getFlexCluster(ref.projectId, ref.cluster);
    if (found !== null) return false;

    await this.drop(ref, "gone");
    await this.#options.cache.invalidate({ projectId: ref.projectId });
    return true;
  }

  /** Drops a cluster without asking Atlas. */
  async drop(ref: ClusterId, reason: DropReason): Promise<void> {
    const { store, paging, logger } = this.#options;
    await store.removeCluster(ref);
    await paging.remove(ref);
    this.#removeMetrics(ref);

    logger.info({ projectId: ref.projectId, cluster: ref.cluster, reason }, "cluster dropped");
  }

  #removeMetrics(ref: ClusterId): void {
    const { metrics } = this.#options;
    const labels = { project_id: ref.projectId, cluster: ref.cluster };
    metrics.pollSuccess.remove(labels);
    metrics.pollDuration.remove(labels);
    for (const outcome of POLL_OUTCOMES) metrics.polls.remove({ ...labels, outcome });
    for (const mode of READ_MODES) metrics.atlasPagesRead.remove({ ...labels, mode });
  }
}
