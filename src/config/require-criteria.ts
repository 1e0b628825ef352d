import type { z } from "zod";
import { addFixedIssue } from "./zod-setting.ts";

/**
 * Builds a check that a route or silence has at least one of `projects`, `clusters` and
 * `kinds`, because an entry without any matches every alert, which is rarely meant.
 */
export function requireCriteria(fix: string) {
  return (
    entry: { projects?: unknown; clusters?: unknown; kinds?: unknown },
    ctx: z.RefinementCtx,
  ): void => {
    // Also runs when the entry is not a mapping, whose type issue is enough.
    if (typeof entry !== "object" || entry === null) return;
    // A criterion with its own issue is not undefined, so it is not reported twice.
    if (entry.projects !== undefined || entry.clusters !== undefined) return;
    if (entry.kinds !== undefined) return;

    addFixedIssue(ctx, [], "matches every alert", fix);
  };
}
