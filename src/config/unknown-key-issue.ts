import { findClosestName, normalizeName } from "./closest-name.ts";
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
 * close to a known one gets a "did you mean". `keyNoun` names what the keys are, e.g.
 * "alert kind" for `alerts.kinds`.
 */
export function unknownKeyIssue(
  path: readonly PropertyKey[],
  value: unknown,
  knownKeys: readonly string[],
  keyNoun = "key",
): ConfigIssue {
  const key = String(path.at(-1));
  const section = typeof path[0] === "string" && path.length > 1 ? path[0] : "";
  const normalized = normalizeName(key);
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

  const closest = findClosestName(key, knownKeys);
  const fix = closest
    ? `did you mean "${closest}"?`
    : `remove it, or use one of the ${keyNoun}s allowed here: ${knownKeys.join(", ")}`;
  return { path: issuePath, value, message: `unknown ${keyNoun}`, fix };
}
