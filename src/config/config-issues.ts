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
    'list the Atlas projects to watch, e.g. projects: [{id: 32b6e34b3d91647abb20e7b8, clusters: [orders-flex]}], or write projects: "*" for every project the credentials can see',
  "projects[]": "write each project as keys id: and clusters:",
  schedule: 'add schedule: {cron: "*/5 * * * *"}',
  atlas: SECTION_FIX,
  "atlas.apiVersions": SECTION_FIX,
  "atlas.rateLimit": SECTION_FIX,
  "atlas.retry": SECTION_FIX,
  slack: SECTION_FIX,
  "slack.routes":
    "write the routes as a list, each with channel: and at least one of projects:, clusters: or kinds:",
  "slack.routes[]":
    'write each route as keys, e.g. {clusters: ["orders-*"], channel: "#orders-oncall"}',
  alerts: SECTION_FIX,
  "alerts.kinds": "write the kinds as keys set to true or false, e.g. kinds: {stuck: false}",
  "alerts.silences":
    "write the silences as a list, each with until:, reason: and at least one of projects:, clusters: or kinds:",
  "alerts.silences[]":
    'write each silence as keys, e.g. {clusters: [orders-flex], until: "2025-07-01T18:00:00Z", reason: "restore drill"}',
  redis: SECTION_FIX,
  queue: SECTION_FIX,
  metrics: SECTION_FIX,
};

const FALLBACK_FIX = "see docs/configuration.md for the accepted values";

/** Nouns for the keys of a section in the "unknown …" message, by section path. Other sections use "key". */
const KEY_NOUNS: Readonly<Record<string, string>> = {
  "alerts.kinds": "alert kind",
};

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
      const section = sectionOf(issue.path);
      const knownKeys = SECTION_KEYS[section] ?? [];
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return unknownKeyIssue(path, valueAtPath(document, path), knownKeys, KEY_NOUNS[section]);
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

/**
 * Returns the path of the object an issue is in, without list indexes: `projects` for
 * `projects[2]`, `slack.routes` for `slack.routes[0]`, `""` for the top level.
 */
function sectionOf(path: readonly PropertyKey[]): string {
  return path.filter((segment) => typeof segment === "string").join(".");
}

function patternOf(path: readonly PropertyKey[]): string {
  return formatIssuePath(path).replace(/\[\d+\]/g, "[]");
}
