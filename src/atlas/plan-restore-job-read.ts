import type { SavedJob } from "../state/diff-restore-jobs.ts";
import type { PagingRecord } from "../state/paging-state.ts";
import { TERMINAL_STATUSES } from "./restore-job.ts";
import type { RestoreJobReadOptions } from "./restore-job-listing.ts";

/**
 * Derives the options of a cluster's next restore job read from its saved jobs and paging
 * record. The read is full on the baseline (nothing saved), without a paging record, right
 * after a read that found the list out of order, and on every `fullReadEvery`-th poll.
 * Every saved job not in a terminal state must be read again, because its status can still
 * change and its expiry is judged from a fresh read. That includes statuses outside the
 * documented enum, since whether they are final is unknown.
 */
export function planRestoreJobRead(
  saved: Readonly<Record<string, SavedJob>> | null,
  paging: PagingRecord | null,
  fullReadEvery: number,
): RestoreJobReadOptions {
  const fullRead =
    saved === null ||
    paging === null ||
    paging.orderBroken ||
    paging.pollsSinceFullRead + 1 >= fullReadEvery;
  const knownTerminalIds = new Set<string>();
  const inFlightIds = new Set<string>();

  for (const [id, job] of Object.entries(saved ?? {})) {
    if (TERMINAL_STATUSES.has(job.status)) knownTerminalIds.add(id);
    else inFlightIds.add(id);
  }
  return { fullRead, knownTerminalIds, inFlightIds };
}
