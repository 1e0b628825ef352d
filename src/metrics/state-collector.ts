import { Gauge, type Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import type { StateStore } from "../state/state-store.ts";

/**
 * Registers the gauges computed from Redis at scrape time, so every replica reports the same
 * shared state instead of what it happened to poll itself.
 */
export function registerStateCollectors(
  registry: Registry,
  store: StateStore,
  logger: Logger,
): void {
  new Gauge({
    name: "flexwatch_restore_jobs",
    help: "Restore jobs of a flex cluster by last seen status, from the state saved in Redis.",
    labelNames: ["project_id", "cluster", "status"],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const ref of await store.listClusters()) {
          const counts = await store.countsByStatus(ref);
          for (const [status, count] of Object.entries(counts)) {
            this.set({ project_id: ref.projectId, cluster: ref.cluster, status }, count);
          }
        }
      } catch (err) {
        logger.error({ err }, "failed to read restore job counts from redis");
      }
    },
  });

  new Gauge({
    name: "flexwatch_consecutive_poll_failures",
    help: "Consecutive sweeps in which the poll of a flex cluster failed for good, from Redis.",
    labelNames: ["project_id", "cluster"],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        // Clusters without failures report 0, so the series does not vanish on recovery.
        for (const ref of await store.listClusters()) {
          this.set({ project_id: ref.projectId, cluster: ref.cluster }, 0);
        }
        for (const failing of await store.pollFailures.list()) {
          const labels = { project_id: failing.projectId, cluster: failing.cluster };
          this.set(labels, failing.failures);
        }
      } catch (err) {
        logger.error({ err }, "failed to read poll failure counts from redis");
      }
    },
  });

  new Gauge({
    name: "flexwatch_last_sweep_timestamp_seconds",
    help: "Unix time at which the last sweep, by any replica, enqueued its polls.",
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const finishedAt = await store.lastSweepFinishedAt();
        if (finishedAt !== null) this.set(finishedAt.getTime() / 1000);
      } catch (err) {
        logger.error({ err }, "failed to read the last sweep time from redis");
      }
    },
  });
}
