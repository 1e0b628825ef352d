/** One fetched page, reduced to what paging needs. */
export interface FetchedPage<T> {
  /** Items parsed from the page, skipped ones left out. */
  items: T[];
  /** Length of the page's `results`, skipped items included. */
  resultCount: number;
  /** True when the page's `links` contains a `next` link. */
  hasNext: boolean;
}

/** Every item of a paginated list, de-duplicated. */
export interface AllPages<T> {
  items: T[];
  /** Pages requested. */
  pages: number;
  /** False when reading stopped at `maxPages` before the last page. */
  complete: boolean;
}

export interface ReadAllPagesOptions<T> {
  /** `itemsPerPage` sent with each request. */
  itemsPerPage: number;
  /** Page limit that ends a listing whose server never reports a last page. */
  maxPages: number;
  /** Key for de-duplication, because items can move between pages while they are read. */
  keyOf: (item: T) => string;
}

/**
 * Reads pages 1, 2, … through `fetchPage` until a page has no `next` link and fewer results
 * than requested, or is empty. Both conditions are checked because a server may cap the page
 * size below `itemsPerPage` without saying so, and proxies may drop links. Each page is
 * requested by number, never by following `links.next`, whose host proxies can rewrite.
 * The first copy of an item with a repeated key wins.
 */
export async function readAllPages<T>(
  fetchPage: (pageNum: number) => Promise<FetchedPage<T>>,
  options: ReadAllPagesOptions<T>,
): Promise<AllPages<T>> {
  const itemsByKey = new Map<string, T>();

  for (let pageNum = 1; pageNum <= options.maxPages; pageNum++) {
    const page = await fetchPage(pageNum);
    for (const item of page.items) {
      const key = options.keyOf(item);
      if (!itemsByKey.has(key)) itemsByKey.set(key, item);
    }

    const lastPage =
      page.resultCount === 0 || (!page.hasNext && page.resultCount < options.itemsPerPage);
    if (lastPage) return { items: [...itemsByKey.values()], pages: pageNum, complete: true };
  }

  return { items: [...itemsByKey.values()], pages: options.maxPages, complete: false };
}
