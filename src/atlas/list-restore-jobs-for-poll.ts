import type { ClusterRef } from "../state/cluster-ref.ts";
import type { PagingState } from "../state/paging-state.ts";
import type { StateStore } from "../state/state-store.ts";
import type { AtlasClient } from "./atlas-client.ts";
import { planRestoreJobRead } from "./plan-restore-job-read.ts";
import type { RestoreJobListing } from "./restore-job-listing.ts";

export interface PollListingDependencies {
  atlas: Pick<AtlasClient, "listRestoreJobs">;
  store: Pick<StateStore, "load">;
  /** Paging records; without them every poll reads every page. */
  paging?: PagingState | undefined;
  /** Every Nth poll of a cluster reads every page. @defaultValue 1 */
  fullReadEvery?: number | undefined;
}

/**
 * Reads a cluster's restore jobs for one poll, incrementally when its saved state and paging
 * record allow (see `planRestoreJobRead`), and records how the read went. The record is written
 * before the poll commits: if the commit then fails, the retried poll reads incrementally
 * against the older saved state, which is still correct because it contains fewer jobs.
 */
export async function listRestoreJobsForPoll(
  deps: PollListingDependencies,
  ref: ClusterRef,
): Promise<RestoreJobListing> {
  const { paging } = deps;
  const [saved, record] = await Promise.all([
    deps.store.load(ref),
    paging ? paging.load(ref) : Promise.resolve(null),
  ]);

  const options = planRestoreJobRead(saved.jobs, record, deps.fullReadEvery ?? 1);
  const listing = await deps.atlas.listRestoreJobs(ref.projectId, ref.cluster, options);
  await paging?.record(ref, listing);
  return listing;
}
