import type { AtlasCredentials } from "./config.ts";
import { CONFIG_DEFAULTS, CONFIG_LIMITS } from "./config-defaults.ts";
import type { ConfigIssue } from "./config-error.ts";

/** The settings that come from the environment, checked and normalised. */
export interface EnvironmentSettings {
  atlasBaseUrl: string;
  atlasCredentials: AtlasCredentials;
  redisUrl: string;
  slackToken: string | undefined;
  slackApiUrl: string;
  metricsPort: number;
  logLevel: string;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const defaults = CONFIG_DEFAULTS.env;

/**
 * Reads flexwatch's environment variables. Empty values count as unset and surrounding
 * whitespace is dropped, because secrets mounted from files often end with a newline. Every
 * problem is returned in `issues` instead of thrown, so it can be reported with the file's.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): {
  settings: EnvironmentSettings;
  issues: ConfigIssue[];
} {
  const issues: ConfigIssue[] = [];
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const check = <T>(name: string, fallback: T, parse: (text: string) => T | ConfigIssue): T => {
    const text = read(name);
    if (text === undefined) return fallback;
    const result = parse(text);
    if (isIssue(result)) {
      issues.push(result);
      return fallback;
    }
    return result;
  };

  const settings: EnvironmentSettings = {
    atlasBaseUrl: check(
      "MONGODB_ATLAS_BASE_URL",
      defaults.MONGODB_ATLAS_BASE_URL,
      parseAtlasBaseUrl,
    ),
    atlasCredentials: readCredentials(read, issues),
    redisUrl: check("REDIS_URL", defaults.REDIS_URL, parseRedisUrl),
    slackToken: read("SLACK_BOT_TOKEN"),
    slackApiUrl: check("SLACK_API_URL", defaults.SLACK_API_URL, parseSlackApiUrl),
    metricsPort: check("METRICS_PORT", defaults.METRICS_PORT, parseMetricsPort),
    logLevel: check("LOG_LEVEL", defaults.LOG_LEVEL, parseLogLevel),
  };
  return { settings, issues };
}

function readCredentials(
  read: (name: string) => string | undefined,
  issues: ConfigIssue[],
): AtlasCredentials {
  const serviceAccount = readPair(
    read,
    issues,
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
  );
  const apiKey = readPair(
    read,
    issues,
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
  );

  if (serviceAccount) {
    const [clientId, clientSecret] = serviceAccount;
    return { kind: "service-account", clientId, clientSecret };
  }
  if (apiKey) {
    const [publicKey, privateKey] = apiKey;
    return { kind: "api-key", publicKey, privateKey };
  }
  return { kind: "none" };
}

/** Reads two variables that only work together. One without the other is an issue. */
function readPair(
  read: (name: string) => string | undefined,
  issues: ConfigIssue[],
  firstName: string,
  secondName: string,
): [string, string] | undefined {
  const first = read(firstName);
  const second = read(secondName);
  if (first !== undefined && second !== undefined) return [first, second];
  if (first === undefined && second === undefined) return undefined;

  const [missing, present] =
    first === undefined ? [firstName, secondName] : [secondName, firstName];
  issues.push({
    path: missing,
    value: undefined,
    message: `is not set while ${present} is set`,
    fix: `set both ${firstName} and ${secondName}, or unset ${present}`,
  });
  return undefined;
}

function parseAtlasBaseUrl(text: string): string | ConfigIssue {
  const name = "MONGODB_ATLAS_BASE_URL";
  const fix = `write only the scheme, host and port, e.g. ${defaults.MONGODB_ATLAS_BASE_URL}, or unset it`;
  const url = parseUrl(text, ["http:", "https:"]);

  if (url === undefined) return issue(name, text, "must be an http or https URL", fix);
  if (url.username !== "" || url.password !== "") {
    return issue(name, text, "must not contain a user name or password", fix);
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    return issue(name, text, "must not have a path, query or fragment", fix);
  }
  return url.origin;
}

function parseRedisUrl(text: string): string | ConfigIssue {
  const name = "REDIS_URL";
  const { min, max } = CONFIG_LIMITS.redisDatabase;
  const url = parseUrl(text, ["redis:", "rediss:"]);

  if (url === undefined || url.hostname === "") {
    return issue(
      name,
      text,
      "must be a redis:// or rediss:// URL with a host",
      `write e.g. ${defaults.REDIS_URL}`,
    );
  }
  const database = url.pathname.replace(/^\//, "");
  if (database !== "" && !isIntegerIn(database, min, max)) {
    return issue(
      name,
      text,
      `must have a database index from ${min} to ${max} after the host, or none`,
      "write e.g. redis://127.0.0.1:6379/0",
    );
  }
  return text;
}

function parseSlackApiUrl(text: string): string | ConfigIssue {
  const name = "SLACK_API_URL";
  const fix = `write the base URL of the Web API, e.g. ${defaults.SLACK_API_URL}, or unset it`;
  const url = parseUrl(text, ["http:", "https:"]);

  if (url === undefined) return issue(name, text, "must be an http or https URL", fix);
  if (url.username !== "" || url.password !== "") {
    return issue(name, text, "must not contain a user name or password", fix);
  }
  if (url.search !== "" || url.hash !== "") {
    return issue(name, text, "must not have a query or fragment", fix);
  }
  // Method names are resolved against this URL, which only keeps its last segment with a `/`.
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

function parseMetricsPort(text: string): number | ConfigIssue {
  const { min, max } = CONFIG_LIMITS.port;
  if (isIntegerIn(text, min, max)) return Number(text);
  return issue(
    "METRICS_PORT",
    text,
    `must be a whole number from ${min} to ${max}`,
    "write e.g. 9464, or unset it",
  );
}

function parseLogLevel(text: string): string | ConfigIssue {
  const level = text.toLowerCase();
  if (LOG_LEVELS.includes(level)) return level;
  return issue(
    "LOG_LEVEL",
    text,
    `must be one of ${LOG_LEVELS.join(", ")}`,
    "write e.g. info, or unset it",
  );
}

function parseUrl(text: string, protocols: string[]): URL | undefined {
  try {
    const url = new URL(text);
    return protocols.includes(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

function isIntegerIn(text: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(text)) return false;
  const value = Number(text);
  return value >= min && value <= max;
}

function issue(path: string, value: string, message: string, fix: string): ConfigIssue {
  return { path, value, message, fix };
}

function isIssue(value: unknown): value is ConfigIssue {
  return typeof value === "object" && value !== null && "fix" in value && "path" in value;
}
