import type { z } from "zod";
import type { ConfigIssue } from "./config-error.ts";
import { SECTION_KEYS } from "./config-schema.ts";
import { formatIssuePath, valueAtPath } from "./issue-path.ts";
import { unknownKeyIssue } from "./unknown-key-issue.ts";

const SECTION_FIX = "write it as keys indented below it, or leave it out to use the defaults";

/**
 * Fixes for a missing or mistyped object or list, keyed by path with list indexes left out.
 * Single values carry their own fix from their rule.
 */
const STRUCTURE_FIXES: Readonly<Record<string, string>> = {
  "(top level)":
    "start the file with the keys projects: and schedule:, as in flexwatch.example.yaml",
  projects:
    "list the Atlas projects to watch, e.g. projects: [{id: 32b6e34b3d91647abb20e7b8, clusters: [orders-flex]}]",
  "projects[]": "write each project as keys id: and clusters:",
  schedule: 'add schedule: {cron: "*/5 * * * *"}',
  atlas: SECTION_FIX,
  slack: SECTION_FIX,
  alerts: SECTION_FIX,
  redis: SECTION_FIX,
  queue: SECTION_FIX,
  metrics: SECTION_FIX,
};

const FALLBACK_FIX = "see docs/configuration.md for the accepted values";

const TYPE_NAMES: Readonly<Record<string, string>> = {
  array: "a list",
  object: "a mapping of keys to values",
};

/**
 * Converts the issues zod found in a parsed config file into `ConfigIssue`s, taking each
 * offending value from the document itself.
 */
export function configIssuesFromZod(error: z.ZodError, document: unknown): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const knownKeys = SECTION_KEYS[sectionOf(issue.path)] ?? [];
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return unknownKeyIssue(path, valueAtPath(document, path), knownKeys);
      });
    }
    return [structureIssue(issue, document)];
  });
}

function structureIssue(issue: z.core.$ZodIssue, document: unknown): ConfigIssue {
  const path = formatIssuePath(issue.path);
  const value = valueAtPath(document, issue.path);
  const fix = fixFromParams(issue) ?? STRUCTURE_FIXES[patternOf(issue.path)] ?? FALLBACK_FIX;

  if (issue.code === "invalid_type") {
    if (value === undefined || value === null)
      return { path, value: undefined, message: "is missing", fix };
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
    return { path, value, message: `must be ${expected}`, fix };
  }
  return { path, value, message: issue.message, fix };
}

function fixFromParams(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== "custom") return undefined;
  const fix: unknown = issue.params?.fix;
  return typeof fix === "string" ? fix : undefined;
}

/** Returns the section an object belongs to: `projects` for `projects[2]`, `""` for the top level. */
function sectionOf(path: readonly PropertyKey[]): string {
  const first = path[0];
  return typeof first === "string" ? first : "";
}

function patternOf(path: readonly PropertyKey[]): string {
  return formatIssuePath(path).replace(/\[\d+\]/g, "[]");
}
