import type { ConfigIssue } from "./config-error.ts";
import { formatIssuePath } from "./issue-path.ts";
import { isSecretKeyName, REDACTED } from "./secret-redaction.ts";

/**
 * Settings that only the environment sets, by key name lowercased without `-` and `_`. A key
 * is first looked up with its section (`redis.url`), then alone (`url`).
 */
const ENVIRONMENT_KEYS: Readonly<Record<string, string>> = {
  clientid: "MONGODB_ATLAS_CLIENT_ID",
  clientsecret: "MONGODB_ATLAS_CLIENT_SECRET",
  publickey: "MONGODB_ATLAS_PUBLIC_API_KEY",
  publicapikey: "MONGODB_ATLAS_PUBLIC_API_KEY",
  privatekey: "MONGODB_ATLAS_PRIVATE_API_KEY",
  privateapikey: "MONGODB_ATLAS_PRIVATE_API_KEY",
  "atlas.token": "MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
  "atlas.accesstoken": "MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
  token: "SLACK_BOT_TOKEN",
  bottoken: "SLACK_BOT_TOKEN",
  slacktoken: "SLACK_BOT_TOKEN",
  slackbottoken: "SLACK_BOT_TOKEN",
  baseurl: "MONGODB_ATLAS_BASE_URL",
  "atlas.url": "MONGODB_ATLAS_BASE_URL",
  "slack.url": "SLACK_API_URL",
  apiurl: "SLACK_API_URL",
  "redis.url": "REDIS_URL",
  redisurl: "REDIS_URL",
  "redis.password": "REDIS_URL (redis://:PASSWORD@host:6379)",
  port: "METRICS_PORT",
  metricsport: "METRICS_PORT",
  loglevel: "LOG_LEVEL",
};

/**
 * Builds the issue for a key the schema does not know. Secrets are redacted and sent to their
 * environment variable, settings that only the environment sets are named, and a key that is
 * close to a known one gets a "did you mean".
 */
export function unknownKeyIssue(
  path: readonly PropertyKey[],
  value: unknown,
  knownKeys: readonly string[],
): ConfigIssue {
  const key = String(path.at(-1));
  const section = typeof path[0] === "string" && path.length > 1 ? path[0] : "";
  const normalized = normalizeKey(key);
  const variable = ENVIRONMENT_KEYS[`${section}.${normalized}`] ?? ENVIRONMENT_KEYS[normalized];
  const issuePath = formatIssuePath(path);

  if (isSecretKeyName(key) || variable?.includes("SECRET") || variable?.includes("PRIVATE")) {
    const fix = variable
      ? `remove it from the file and set ${variable} in the environment`
      : "remove it from the file; flexwatch reads credentials only from the environment variables listed in docs/configuration.md";
    return {
      path: issuePath,
      value: REDACTED,
      message: "secrets are not read from the config file",
      fix,
    };
  }
  if (variable) {
    const message = "this setting comes from the environment, not the config file";
    return { path: issuePath, value, message, fix: `remove it and set ${variable} instead` };
  }

  const closest = findClosestKey(normalized, knownKeys);
  const fix = closest
    ? `did you mean "${closest}"?`
    : `remove it, or use one of the keys allowed here: ${knownKeys.join(", ")}`;
  return { path: issuePath, value, message: "unknown key", fix };
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

/** Finds a known key within a small edit distance, ignoring case, `-` and `_`. */
function findClosestKey(normalized: string, knownKeys: readonly string[]): string | undefined {
  const maxDistance = normalized.length <= 4 ? 1 : 2;
  let best: { key: string; distance: number } | undefined;

  for (const key of knownKeys) {
    const distance = editDistance(normalized, normalizeKey(key));
    if (distance <= maxDistance && (best === undefined || distance < best.distance)) {
      best = { key, distance };
    }
  }
  return best?.key;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);

  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
