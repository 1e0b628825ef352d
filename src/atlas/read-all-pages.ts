/** One fetched page, reduced to what paging needs. */
export interface FetchedPage<T> {
  /** Items parsed from the page, skipped ones left out. */
  items: T[];
  /** Length of the page's `results`, skipped items included. */
  resultCount: number;
  /** True when the page's `links` contains a `next` link. */
  hasNext: boolean;
}

/** A page of the first pass, as passed to `stopAfterPage`. */
export interface ReadPage<T> {
  pageNum: number;
  /** Items parsed from the page, repeats of earlier pages included. */
  items: T[];
  /** Items of this page not read on an earlier page, in page order. */
  newItems: T[];
  /** True when the page had items that could not be parsed, so its content is not fully known. */
  hasSkippedItems: boolean;
}

/** Every item of a paginated list, de-duplicated. */
export interface AllPages<T> {
  /**
   * Items in the order first read, except that items found by a re-read of the head come
   * first, newest re-read first.
   */
  items: T[];
  /** Pages requested, re-reads included. */
  pages: number;
  /**
   * True when the first pass reached the last page. False when it stopped at `maxPages` or
   * when `stopAfterPage` ended it.
   */
  complete: boolean;
  /** True when `stopAfterPage` ended the first pass. */
  stoppedEarly: boolean;
  /** Passes from page 1 made again because an item repeated across pages. */
  headRereads: number;
  /**
   * True when the last re-read still saw the list shift, so items added at the head during the
   * read may be missing. Items listed before the read started are all present.
   */
  shiftUnresolved: boolean;
}

export interface ReadAllPagesOptions<T> {
  /** `itemsPerPage` sent with each request. */
  itemsPerPage: number;
  /** Limit on page requests, re-reads included, for a server that never reports a last page. */
  maxPages: number;
  /** Key for de-duplication, because items can move between pages while they are read. */
  keyOf: (item: T) => string;
  /**
   * Called after each page of the first pass, the last one included. Returning true ends the
   * pass there unless that page was the last, and the result is then not `complete`.
   */
  stopAfterPage?: (page: ReadPage<T>) => boolean;
}

/** Requests one page by its 1-based number. */
export type FetchPage<T> = (pageNum: number) => Promise<FetchedPage<T>>;

/** Re-reads of the head after a shift. Each is needed only if items arrived during the last. */
const MAX_HEAD_REREADS = 3;

/**
 * Reads pages 1, 2, … through `fetchPage` until a page has no `next` link and fewer results
 * than requested, or is empty. Both conditions are checked because a server may cap the page
 * size below `itemsPerPage` without saying so, and proxies may drop links. Each page is
 * requested by number, never by following `links.next`, whose host proxies can rewrite.
 *
 * Offset paging of a newest-first list shifts while it is read: n items added at the head
 * between two requests push the last n items of page k onto page k+1. Nothing listed before
 * the read is skipped then, because items only move towards later pages, but the added items
 * sit on pages already read. So an item repeated across pages is the sign of a shift, and the
 * reader then re-reads from page 1 until it meets an item it already has: everything after
 * that item was read before. A re-read that shifts itself is repeated, up to 3 times.
 * Removals before the read position shift items the other way and can skip one. Restore jobs
 * are not known to be removed while listed, so that case is not detected.
 */
export async function readAllPages<T>(
  fetchPage: FetchPage<T>,
  options: ReadAllPagesOptions<T>,
): Promise<AllPages<T>> {
  const reader = new PageReader(fetchPage, options);
  const first = await reader.readPass(options.stopAfterPage);

  let headRereads = 0;
  let shifted = first.shifted;
  while (shifted && headRereads < MAX_HEAD_REREADS && !reader.atPageLimit()) {
    headRereads++;
    shifted = (await reader.readPass()).shifted;
  }

  return {
    items: reader.items(),
    pages: reader.pages,
    complete: first.end === "last",
    stoppedEarly: first.end === "stopped",
    headRereads,
    shiftUnresolved: shifted,
  };
}

interface PassResult {
  end: "last" | "stopped" | "limit" | "met-known";
  /** True when an item of this pass repeated one read earlier in the same pass. */
  shifted: boolean;
}

interface PageScan<T> {
  newItems: T[];
  /** An item read on an earlier page of this pass appeared again. */
  repeatsThisPass: boolean;
  /** An item read before this pass started appeared. */
  meetsEarlierPass: boolean;
}

class PageReader<T> {
  pages = 0;
  readonly #fetchPage: FetchPage<T>;
  readonly #options: ReadAllPagesOptions<T>;
  /** Key → sequence number of the pass that first read it (0 for the first pass). */
  readonly #passByKey = new Map<string, number>();
  /** New items by pass, in read order. */
  readonly #itemsByPass: T[][] = [];

  constructor(fetchPage: FetchPage<T>, options: ReadAllPagesOptions<T>) {
    this.#fetchPage = fetchPage;
    this.#options = options;
  }

  atPageLimit(): boolean {
    return this.pages >= this.#options.maxPages;
  }

  /**
   * Reads from page 1. The first pass goes to the last page; a re-read stops at the first page
   * that contains an item of an earlier pass.
   */
  async readPass(stopAfterPage?: (page: ReadPage<T>) => boolean): Promise<PassResult> {
    const pass = this.#itemsByPass.length;
    this.#itemsByPass.push([]);
    let shifted = false;

    for (let pageNum = 1; ; pageNum++) {
      if (this.atPageLimit()) return { end: "limit", shifted };

      this.pages++;
      const page = await this.#fetchPage(pageNum);
      const scan = this.#scan(page.items, pass);
      shifted ||= scan.repeatsThisPass;

      const readPage = {
        pageNum,
        items: page.items,
        newItems: scan.newItems,
        hasSkippedItems: page.items.length < page.resultCount,
      };
      const stop = stopAfterPage?.(readPage) === true;

      if (isLastPage(page, this.#options.itemsPerPage)) return { end: "last", shifted };
      if (scan.meetsEarlierPass) return { end: "met-known", shifted };
      if (stop) return { end: "stopped", shifted };
    }
  }

  /** Returns every item read, the latest re-read's first. */
  items(): T[] {
    const [firstPass = [], ...rereads] = this.#itemsByPass;
    return [...rereads.reverse().flat(), ...firstPass];
  }

  #scan(items: T[], pass: number): PageScan<T> {
    const scan: PageScan<T> = { newItems: [], repeatsThisPass: false, meetsEarlierPass: false };

    for (const item of items) {
      const key = this.#options.keyOf(item);
      const readInPass = this.#passByKey.get(key);
      if (readInPass === undefined) {
        this.#passByKey.set(key, pass);
        this.#itemsByPass[pass]?.push(item);
        scan.newItems.push(item);
      } else if (readInPass === pass) {
        scan.repeatsThisPass = true;
      } else {
        scan.meetsEarlierPass = true;
      }
    }
    return scan;
  }
}

function isLastPage(page: FetchedPage<unknown>, itemsPerPage: number): boolean {
  return page.resultCount === 0 || (!page.hasNext && page.resultCount < itemsPerPage);
}
