import type { RestoreJob } from "./restore-job.ts";

/**
 * Checks that restore jobs arrive newest first, as Atlas was observed to list them:
 * `restoreScheduledDate` never increases from one job to the next, within a page and across
 * pages. Atlas does not document the order, so incremental paging relies on it only while this
 * check holds. A job without a parseable date breaks the order, because its place is unknown.
 */
export class NewestFirstOrder {
  #previousMs = Number.POSITIVE_INFINITY;
  #broken = false;

  /** True once a job was out of order or undated. */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Checks the next jobs in list order. Pass only jobs not seen on an earlier page, because
   * a list that shifted while it was read repeats newer jobs after older ones.
   */
  observe(jobs: readonly RestoreJob[]): void {
    for (const job of jobs) {
      const scheduledMs = Date.parse(job.restoreScheduledDate ?? "");
      if (Number.isNaN(scheduledMs) || scheduledMs > this.#previousMs) this.#broken = true;
      if (!Number.isNaN(scheduledMs)) this.#previousMs = scheduledMs;
    }
  }
}
