import { invalidQueryParameter } from "./atlas-error-response.ts";
import type { SimulatedResponse } from "./simulator-types.ts";

const MAX_ITEMS_PER_PAGE = 500;
const DEFAULT_ITEMS_PER_PAGE = 100;

/** How one list resource pages. */
export interface PageOptions {
  /** Simulator base URL, used in `links`. */
  baseUrl: string;
  /** Media type version of the resource. */
  version: string;
  /** Server-side cap on the page size. @defaultValue 500 */
  maxItemsPerPage?: number;
}

/**
 * Builds one page of `items` as Atlas lists them: `{links, results, totalCount}`, with
 * `pageNum`, `itemsPerPage` and `includeCount` read from the query.
 */
export function pagedResponse(url: URL, items: unknown[], options: PageOptions): SimulatedResponse {
  const pageNum = integerParameter(url, "pageNum", 1, Number.MAX_SAFE_INTEGER, 1);
  const itemsPerPage = integerParameter(
    url,
    "itemsPerPage",
    1,
    MAX_ITEMS_PER_PAGE,
    DEFAULT_ITEMS_PER_PAGE,
  );
  if (pageNum === undefined) return invalidQueryParameter("pageNum");
  if (itemsPerPage === undefined) return invalidQueryParameter("itemsPerPage");

  // A cap below itemsPerPage is applied silently, as a server or proxy may do. Offsets use the
  // capped size.
  const size = Math.min(itemsPerPage, options.maxItemsPerPage ?? MAX_ITEMS_PER_PAGE);
  const start = (pageNum - 1) * size;
  const linkTo = (targetPage: number) => {
    const target = new URL(`${options.baseUrl}${url.pathname}${url.search}`);
    target.searchParams.set("pageNum", String(targetPage));
    return target.href;
  };
  const links = [{ rel: "self", href: linkTo(pageNum) }];
  if (start + size < items.length) links.push({ rel: "next", href: linkTo(pageNum + 1) });
  if (pageNum > 1) links.push({ rel: "previous", href: linkTo(pageNum - 1) });

  const includeCount = url.searchParams.get("includeCount") !== "false";
  const body = {
    links,
    results: items.slice(start, start + size),
    ...(includeCount ? { totalCount: items.length } : {}),
  };
  return { status: 200, body, headers: versionedContentType(options.version) };
}

/** Returns the `Content-Type` header of a versioned Atlas response. */
export function versionedContentType(version: string): Record<string, string> {
  return { "Content-Type": `application/vnd.atlas.${version}+json;charset=utf-8` };
}

function integerParameter(
  url: URL,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}
