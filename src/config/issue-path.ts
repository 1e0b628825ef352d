/** Shown as the path of an issue about the whole config file. */
const TOP_LEVEL = "(top level)";

const PLAIN_KEY = /^[a-zA-Z_$][a-zA-Z0-9_$-]*$/;

/**
 * Formats a path inside the config file as it reads in YAML terms: `projects[0].clusters[1]`,
 * `schedule.cron`. Keys that are not plain names are quoted: `slack["channel name"]`.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return TOP_LEVEL;

  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(String(segment)))
      text += text === "" ? String(segment) : `.${String(segment)}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** Returns the value at `path` in a parsed YAML document, or `undefined` when it is absent. */
export function valueAtPath(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
