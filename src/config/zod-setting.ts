import { z } from "zod";
import type { Rule } from "./config-rules.ts";

/** Runs cross-field checks even when a field of the object already has an issue. */
export const always = () => true;

/** Wraps a rule as a zod schema. An empty YAML value (`null`) counts as missing. */
export function setting<T>(rule: Rule<T>) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      const result = rule(value ?? undefined);
      if (result.ok) return result.value;

      for (const issue of result.issues) {
        ctx.addIssue({
          code: "custom",
          message: issue.message,
          path: issue.path ?? [],
          params: { fix: issue.fix },
        });
      }
      return z.NEVER;
    });
}

/** Makes a section optional: missing or empty (`atlas:` with nothing below) means all defaults. */
export function optionalSection<S extends z.ZodType>(section: S) {
  return z.preprocess((value) => value ?? undefined, section.prefault({} as z.input<S>));
}

/** Makes a list optional: missing or empty (`routes:` with nothing below) means no entries. */
export function optionalList<S extends z.ZodType>(item: S) {
  return z.preprocess((value) => value ?? undefined, z.array(item).default([]));
}

/** Adds a custom issue with a fix, in the form `configIssuesFromZod` reads. */
export function addFixedIssue(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  message: string,
  fix: string,
): void {
  ctx.addIssue({ code: "custom", message, path, params: { fix } });
}
