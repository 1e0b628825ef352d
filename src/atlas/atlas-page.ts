import { z } from "zod";
import { AtlasApiError } from "./atlas-api-error.ts";

/** One page of an Atlas list response, before its items are parsed. */
export interface AtlasPage {
  results: unknown[];
  /** True when `links` contains a `next` link. */
  hasNext: boolean;
  /** An estimate, as Atlas documents it. Absent with `includeCount=false`. */
  totalCount: number | undefined;
}

const linkSchema = z.object({ rel: z.string().optional(), href: z.string().optional() });

// Only `results` is required. Malformed `links` or `totalCount` are treated as absent,
// because paging also stops on a short page.
const pageSchema = z.object({
  results: z.array(z.unknown()),
  links: z.array(linkSchema).optional().catch(undefined),
  totalCount: z.number().int().nonnegative().optional().catch(undefined),
});

/**
 * Parses the envelope `{links, results, totalCount}` of a paginated Atlas response.
 *
 * @throws AtlasApiError INVALID_RESPONSE naming the field when `results` is not an array.
 */
export function parseAtlasPage(body: unknown, endpoint: string): AtlasPage {
  const result = pageSchema.safeParse(body);
  if (!result.success) {
    const field = result.error.issues[0]?.path.join(".") || "body";
    throw new AtlasApiError({
      status: 200,
      errorCode: "INVALID_RESPONSE",
      detail: `the list response field "${field}" is missing or invalid`,
      endpoint,
    });
  }

  const { results, links, totalCount } = result.data;
  return {
    results,
    hasNext: links?.some((link) => link.rel === "next") ?? false,
    totalCount,
  };
}
