import { CONFIG_LIMITS } from "./config-defaults.ts";
import { accept, type Rule, type RuleIssue, reject, textMatching } from "./config-rules.ts";

const PROJECT_ID_PATTERN = /^[a-f0-9]{24}$/;
const CLUSTER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const ALL_CLUSTERS = "*";

const CLUSTERS_FIX =
  'list the flex cluster names, e.g. clusters: [orders-flex], or write clusters: "*" for every flex cluster of the project';

/** Atlas project (group) id: 24 lowercase hex characters. */
export const projectId: Rule<string> = textMatching(
  PROJECT_ID_PATTERN,
  "must be 24 lowercase hex characters (an Atlas project id)",
  "copy it from the Atlas project settings",
);

/**
 * Flex cluster names of one project, or `"*"` for all of them. `["*"]` is read as `"*"`.
 * Issues for single names point at their index in the list.
 */
export const clusterList: Rule<string[] | "*"> = (value) => {
  if (value === undefined) return reject("is missing", CLUSTERS_FIX);
  if (value === ALL_CLUSTERS) return accept(ALL_CLUSTERS);
  if (typeof value === "string") {
    return reject('must be a list of names or "*"', `write it as a list: [${value}]`);
  }
  if (!Array.isArray(value)) return reject('must be a list of names or "*"', CLUSTERS_FIX);
  if (value.length === 0) return reject("must not be empty", CLUSTERS_FIX);

  if (value.includes(ALL_CLUSTERS)) {
    if (value.length === 1) return accept(ALL_CLUSTERS);
    return reject(
      '"*" already means every flex cluster of the project, so it cannot be listed with names',
      'write either clusters: "*" or a list of names without "*"',
    );
  }

  const issues = value.flatMap((name: unknown, index) =>
    checkClusterName(name, value.indexOf(name) !== index).map((issue) => ({
      ...issue,
      path: [index],
    })),
  );
  return issues.length === 0 ? accept([...value] as string[]) : { ok: false, issues };
};

function checkClusterName(name: unknown, repeated: boolean): RuleIssue[] {
  const fix = "use the cluster name exactly as the Atlas UI shows it";

  if (typeof name !== "string") {
    return [{ message: "must be a cluster name", fix: `${fix}, in quotes if it is all digits` }];
  }
  if (!CLUSTER_NAME_PATTERN.test(name)) {
    return [
      {
        message: "must start with a letter or digit and contain only letters, digits and hyphens",
        fix,
      },
    ];
  }
  if (name.length > CONFIG_LIMITS.clusterNameMaxLength) {
    return [{ message: `must be at most ${CONFIG_LIMITS.clusterNameMaxLength} characters`, fix }];
  }
  if (repeated) {
    return [{ message: "duplicate name in this project", fix: "remove the repeated name" }];
  }
  return [];
}
