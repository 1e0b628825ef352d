import type { RestoreJob } from "./restore-job.ts";

/** Ids of a cluster's saved jobs, which let a read stop early, and the read mode. */
export interface RestoreJobReadOptions {
  /**
   * Ids of jobs saved in a terminal state. A page that contains only these ids and `inFlightIds`
   * may end the read. @defaultValue empty, so the read goes to the last page
   */
  knownTerminalIds?: ReadonlySet<string>;
  /**
   * Ids of saved jobs that can still change (in flight, or with a status outside the enum).
   * The read never stops before it has seen all of them, so their changes and expiry are seen.
   * @defaultValue empty
   */
  inFlightIds?: ReadonlySet<string>;
  /** True reads every page, ignoring the ids. @defaultValue false */
  fullRead?: boolean;
}

/** Restore jobs of one flex cluster and what reading them cost. */
export interface RestoreJobListing {
  /**
   * Jobs de-duplicated by `id`, without `snapshotUrl`, in the order Atlas listed them (newest
   * first as observed), except that jobs found by a re-read of page 1 come first.
   */
  jobs: RestoreJob[];
  /** Pages requested, re-reads of page 1 included. */
  pages: number;
  /** HTTP requests sent to the API, retries included and token requests not. */
  requests: number;
  /**
   * True when every page was read. False when the read stopped early on known jobs or at the
   * page limit, so jobs not listed are unknown rather than gone.
   */
  complete: boolean;
  /**
   * True when the jobs were not newest first by `restoreScheduledDate`, or one had no date.
   * The read then went on to the last page.
   */
  orderBroken: boolean;
  /** `incremental` when the read was allowed to stop early, else `full`. */
  mode: "full" | "incremental";
  /** Items skipped because they had no valid `id`. */
  skippedItems: number;
}
