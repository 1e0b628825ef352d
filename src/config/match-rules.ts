import { ALERT_KIND_NAMES } from "./alert-kind-names.ts";
import { findClosestName } from "./closest-name.ts";
import type { AlertKindName } from "./config.ts";
import { accept, type Rule, type RuleIssue, reject } from "./config-rules.ts";

const PROJECT_ID_PATTERN = /^[a-f0-9]{24}$/;
const CLUSTER_GLOB_PATTERN = /^[a-zA-Z0-9*?-]+$/;

/**
 * Project ids a route or silence matches; missing means any project. Issues for single ids
 * point at their index in the list.
 */
export const projectIdCriterion: Rule<string[] | undefined> = optionalListOf(
  "project ids",
  "e.g. projects: [32b6e34b3d91647abb20e7b8]",
  (id) =>
    typeof id === "string" && PROJECT_ID_PATTERN.test(id)
      ? undefined
      : {
          message: "must be 24 lowercase hex characters (an Atlas project id)",
          fix: "copy it from the Atlas project settings",
        },
);

/** Cluster name globs a route or silence matches (`*` any characters, `?` one); missing means any cluster. */
export const clusterGlobCriterion: Rule<string[] | undefined> = optionalListOf(
  "cluster name patterns",
  'e.g. clusters: [orders-flex, "search-*"]',
  (glob) =>
    typeof glob === "string" && CLUSTER_GLOB_PATTERN.test(glob)
      ? undefined
      : {
          message: "must be a cluster name or pattern of letters, digits, -, * and ?",
          fix: 'write a name such as orders-flex or a pattern such as "orders-*" (quoted, because YAML reads a leading * as an alias)',
        },
);

/** Alert kinds a route or silence matches; missing means every kind. */
export const alertKindCriterion: Rule<AlertKindName[] | undefined> = optionalListOf<AlertKindName>(
  "alert kinds",
  `e.g. kinds: [failed, expired]; the kinds are ${ALERT_KIND_NAMES.join(", ")}`,
  (kind) => {
    if (typeof kind === "string" && ALERT_KIND_NAMES.includes(kind as never)) return undefined;

    const closest = typeof kind === "string" ? findClosestName(kind, ALERT_KIND_NAMES) : undefined;
    const fix = closest
      ? `did you mean "${closest}"?`
      : `write one of ${ALERT_KIND_NAMES.join(", ")}`;
    return { message: "unknown alert kind", fix };
  },
);

/**
 * Builds a rule for an optional, non-empty list whose items `checkItem` checks. An issue about
 * one item points at its index.
 */
function optionalListOf<T extends string>(
  description: string,
  example: string,
  checkItem: (item: unknown) => RuleIssue | undefined,
): Rule<T[] | undefined> {
  const fix = `list the ${description}, ${example}, or remove the key to match any`;

  return (value) => {
    if (value === undefined) return accept(undefined);
    if (!Array.isArray(value)) {
      const hint = typeof value === "string" ? `write it as a list: [${value}]` : fix;
      return reject(`must be a list of ${description}`, hint);
    }
    if (value.length === 0) return reject("must not be empty", fix);

    const issues = value.flatMap((item: unknown, index) => {
      const issue = checkItem(item);
      return issue === undefined ? [] : [{ ...issue, path: [index] }];
    });
    return issues.length === 0 ? accept([...value] as T[]) : { ok: false, issues };
  };
}
