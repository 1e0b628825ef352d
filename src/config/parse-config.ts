import type { Config } from "./config.ts";
import { ConfigError } from "./config-error.ts";
import { configIssuesFromZod } from "./config-issues.ts";
import { type ConfigFile, configFileSchema } from "./config-schema.ts";
import { type EnvironmentSettings, readEnvironment } from "./read-environment.ts";

/**
 * Validates a parsed config file, merges the environment into it and returns the deep-frozen
 * `Config`. Use `loadConfig` to read the file from disk.
 *
 * @param document The config file as plain data, e.g. the output of a YAML parser.
 * @param options.file The file `document` came from, named in the error message.
 * @throws ConfigError listing every issue of the file and the environment together.
 */
export function parseConfig(
  document: unknown,
  env: NodeJS.ProcessEnv = process.env,
  options: { file?: string } = {},
): Config {
  const file = configFileSchema.safeParse(document);
  const environment = readEnvironment(env);

  const fileIssues = file.success ? [] : configIssuesFromZod(file.error, document);
  const issues = [...fileIssues, ...environment.issues];
  if (!file.success || issues.length > 0) throw new ConfigError(issues, options);

  return deepFreeze(buildConfig(file.data, environment.settings));
}

function buildConfig(file: ConfigFile, env: EnvironmentSettings): Config {
  const { atlas, slack, alerts } = file;

  return {
    projects: file.projects.map((project) => ({ id: project.id, clusters: project.clusters })),
    schedule: { cron: file.schedule.cron, timezone: file.schedule.timezone },
    atlas: {
      baseUrl: env.atlasBaseUrl,
      apiVersion: atlas.apiVersion,
      pageSize: atlas.pageSize,
      requestTimeoutMs: atlas.requestTimeout,
      credentials: env.atlasCredentials,
    },
    slack: {
      enabled: slack.enabled,
      channel: slack.channel ?? "",
      // Slack turned off means no token is held, even when the variable is set.
      token: slack.enabled ? env.slackToken : undefined,
      apiUrl: env.slackApiUrl,
      requestTimeoutMs: slack.requestTimeout,
    },
    alerts: { lookbackMs: alerts.lookback, deliveryTimeoutMs: alerts.deliveryTimeout },
    redis: { url: env.redisUrl, keyPrefix: file.redis.keyPrefix },
    queue: { ...file.queue },
    metrics: { port: env.metricsPort, host: file.metrics.host },
    logLevel: env.logLevel,
  };
}

/** Freezes an object and everything it contains, so no module can change the config later. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
