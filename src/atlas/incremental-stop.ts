import { NewestFirstOrder } from "./newest-first-order.ts";
import type { ReadPage } from "./read-all-pages.ts";
import type { RestoreJob } from "./restore-job.ts";
import type { RestoreJobReadOptions } from "./restore-job-listing.ts";

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * Decides, page by page, when a restore job read may end before the last page. Atlas adds
 * new jobs at the head of a newest-first list, so once a page contains no new job, the pages
 * after it contain only older, known ones. The read ends there when every saved job that can
 * still change has been seen, so only jobs saved in a terminal state, which cannot change,
 * are left unread. That holds only while the list is in order, so the rule also checks the
 * order on every page.
 */
export class IncrementalStop {
  readonly #order = new NewestFirstOrder();
  readonly #knownTerminalIds: ReadonlySet<string>;
  readonly #inFlightIds: ReadonlySet<string>;
  readonly #unseenInFlightIds: Set<string>;
  readonly #fullRead: boolean;

  constructor(options: RestoreJobReadOptions = {}) {
    this.#knownTerminalIds = options.knownTerminalIds ?? NO_IDS;
    this.#inFlightIds = options.inFlightIds ?? NO_IDS;
    this.#unseenInFlightIds = new Set(this.#inFlightIds);
    this.#fullRead = options.fullRead === true;
  }

  /** True when the read may stop early at all: not forced full, and some ids are known. */
  get incremental(): boolean {
    return !this.#fullRead && this.#knownTerminalIds.size > 0;
  }

  /** True once a page was out of newest-first order. */
  get orderBroken(): boolean {
    return this.#order.broken;
  }

  /** Checks one page of the first pass; true ends the read after it. */
  afterPage(page: ReadPage<RestoreJob>): boolean {
    this.#order.observe(page.newItems);
    for (const job of page.items) this.#unseenInFlightIds.delete(job.id);

    if (!this.incremental || this.#order.broken) return false;
    if (this.#unseenInFlightIds.size > 0) return false;
    // A page with unparseable items may hide a new job, so it never ends the read.
    if (page.hasSkippedItems || page.items.length === 0) return false;

    return page.items.every(
      (job) => this.#knownTerminalIds.has(job.id) || this.#inFlightIds.has(job.id),
    );
  }
}
