import type { Logger } from "../logger.ts";
import { parseAtlasPage } from "./atlas-page.ts";
import { IncrementalStop } from "./incremental-stop.ts";
import { type FetchedPage, readAllPages } from "./read-all-pages.ts";
import type { RestoreJob } from "./restore-job.ts";
import type { RestoreJobListing, RestoreJobReadOptions } from "./restore-job-listing.ts";
import { parseRestoreJobPage } from "./restore-job-page.ts";

export interface ReadRestoreJobsInput {
  /** Requests one page of the restore job list and returns the response body. */
  getPageBody: (pageNum: number) => Promise<unknown>;
  /** Path of the list, named in errors about a malformed response. */
  path: string;
  itemsPerPage: number;
  maxPages: number;
  options: RestoreJobReadOptions;
  /** Logger bound to the project and cluster. */
  logger: Logger;
}

/**
 * Reads a flex cluster's restore jobs page by page: every page for a full read, or until
 * `IncrementalStop` finds a page of known terminal jobs. Jobs are de-duplicated by id, and a
 * list that shifted while it was read is re-read from the head (see `readAllPages`).
 */
export async function readRestoreJobs(
  input: ReadRestoreJobsInput,
): Promise<Omit<RestoreJobListing, "requests">> {
  const { logger } = input;
  const stop = new IncrementalStop(input.options);
  let skippedItems = 0;

  const fetchPage = async (pageNum: number): Promise<FetchedPage<RestoreJob>> => {
    const page = parseAtlasPage(await input.getPageBody(pageNum), input.path);
    const { jobs, skippedIndexes } = parseRestoreJobPage(page.results);
    for (const index of skippedIndexes) {
      logger.warn({ page: pageNum, index }, "restore job without a valid id skipped");
    }
    skippedItems += skippedIndexes.length;

    return { items: jobs, resultCount: page.results.length, hasNext: page.hasNext };
  };

  const all = await readAllPages(fetchPage, {
    itemsPerPage: input.itemsPerPage,
    maxPages: input.maxPages,
    keyOf: (job) => job.id,
    stopAfterPage: (page) => stop.afterPage(page),
  });
  logReadOutcome(logger, all, stop);

  return {
    jobs: all.items,
    pages: all.pages,
    complete: all.complete,
    orderBroken: stop.orderBroken,
    mode: stop.incremental ? "incremental" : "full",
    skippedItems,
  };
}

function logReadOutcome(
  logger: Logger,
  all: Awaited<ReturnType<typeof readAllPages<RestoreJob>>>,
  stop: IncrementalStop,
): void {
  if (!all.complete && !all.stoppedEarly) {
    logger.warn({ page: all.pages }, "restore job listing stopped at the page limit");
  }
  if (all.headRereads > 0) {
    logger.info(
      { headRereads: all.headRereads, shiftUnresolved: all.shiftUnresolved },
      "restore job list shifted while paging; page 1 read again",
    );
  }
  if (stop.orderBroken && stop.incremental) {
    logger.info({ pages: all.pages }, "restore jobs not newest first, reading every page");
  }
}
