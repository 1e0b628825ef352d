import type { RestoreJob } from "../atlas/restore-job.ts";
import type { ClusterRef } from "./cluster-ref.ts";
import { type AlertRules, type DiffResult, diffRestoreJobs } from "./diff-restore-jobs.ts";
import type { StateStore } from "./state-store.ts";

/**
 * Attempts of the load, diff and compare-and-set cycle. A conflict means another poll of the
 * same cluster saved state in between; a few rounds settle it.
 */
const MAX_COMMIT_ATTEMPTS = 5;

export interface CommittedPoll {
  transitions: DiffResult["transitions"];
  unknownStatuses: DiffResult["unknownStatuses"];
  alerts: DiffResult["alerts"];
  /** True when this poll recorded the cluster's first state. */
  baseline: boolean;
}

/**
 * Diffs a fresh listing against the saved state and saves the result with a compare-and-set,
 * reloading and diffing again when another poll saved state first.
 */
export async function commitPoll(
  store: StateStore,
  ref: ClusterRef,
  listing: { jobs: RestoreJob[]; complete: boolean },
  now: Date,
  rules: AlertRules,
): Promise<CommittedPoll> {
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const saved = await store.load(ref);
    const diff = diffRestoreJobs({
      projectId: ref.projectId,
      cluster: ref.cluster,
      saved: saved.jobs,
      jobs: listing.jobs,
      complete: listing.complete,
      now,
      ...rules,
    });
    const committed = await store.commit(
      ref,
      saved.version,
      diff.jobs,
      diff.alerts,
      now.toISOString(),
    );
    if (committed) {
      return {
        transitions: diff.transitions,
        unknownStatuses: diff.unknownStatuses,
        alerts: diff.alerts,
        baseline: saved.jobs === null,
      };
    }
  }

  throw new Error(
    `saving the state of ${ref.projectId}/${ref.cluster} failed ${MAX_COMMIT_ATTEMPTS} times because other polls kept changing it; the poll is retried`,
  );
}
