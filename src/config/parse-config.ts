import type { AlertsConfig, AtlasConfig, Config, SlackConfig, SlackRoute } from "./config.ts";
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
  return {
    projects: file.projects === "*" ? "*" : file.projects.map((project) => ({ ...project })),
    schedule: { cron: file.schedule.cron, timezone: file.schedule.timezone },
    atlas: buildAtlasConfig(file.atlas, env),
    slack: buildSlackConfig(file.slack, env),
    alerts: buildAlertsConfig(file.alerts),
    redis: { url: env.redisUrl, keyPrefix: file.redis.keyPrefix },
    queue: { ...file.queue },
    metrics: { port: env.metricsPort, host: file.metrics.host },
    logLevel: env.logLevel,
  };
}

function buildSlackConfig(slack: ConfigFile["slack"], env: EnvironmentSettings): SlackConfig {
  const channel = slack.channel ?? "";

  return {
    enabled: slack.enabled,
    channel,
    operatorChannel: slack.operatorChannel ?? channel,
    routes: slack.routes.map((route) => ({
      ...criteriaOf(route),
      channel: route.channel,
      mentions: route.mentions,
    })),
    mentions: slack.mentions,
    runbookUrl: slack.runbookUrl,
    atlasUiBaseUrl: slack.atlasUiBaseUrl,
    // Slack turned off means no token is held, even when the variable is set.
    token: slack.enabled ? env.slackToken : undefined,
    apiUrl: env.slackApiUrl,
    requestTimeoutMs: slack.requestTimeout,
  };
}

function buildAlertsConfig(alerts: ConfigFile["alerts"]): AlertsConfig {
  return {
    kinds: { ...alerts.kinds },
    expiringLeadTimeMs: alerts.expiringLeadTime,
    stuckAfterMs: alerts.stuckAfter,
    digestThreshold: alerts.digestThreshold,
    operatorFailureThreshold: alerts.operatorFailureThreshold,
    operatorRepeatIntervalMs: alerts.operatorRepeatInterval,
    silences: alerts.silences.map((silence) => ({
      ...criteriaOf(silence),
      until: silence.until,
      reason: silence.reason,
    })),
    lookbackMs: alerts.lookback,
    deliveryTimeoutMs: alerts.deliveryTimeout,
  };
}

function buildAtlasConfig(atlas: ConfigFile["atlas"], env: EnvironmentSettings): AtlasConfig {
  const { apiVersions, retry } = atlas;
  const restoreJobs = apiVersions.restoreJobs ?? atlas.apiVersion;

  return {
    baseUrl: env.atlasBaseUrl,
    apiVersion: restoreJobs,
    apiVersions: {
      restoreJobs,
      flexClusters: apiVersions.flexClusters ?? atlas.apiVersion,
      groups: apiVersions.groups,
    },
    rateLimit: { ...atlas.rateLimit },
    retry: {
      attempts: retry.attempts,
      baseDelayMs: retry.baseDelay,
      maxDelayMs: retry.maxDelay,
    },
    fullReadEvery: atlas.fullReadEvery,
    discoveryCacheTtlMs: atlas.discoveryCacheTtl,
    pageSize: atlas.pageSize,
    requestTimeoutMs: atlas.requestTimeout,
    credentials: env.atlasCredentials,
  };
}

/** Copies the criteria of a route or silence, with every key present even when unset. */
function criteriaOf(entry: Pick<SlackRoute, "projects" | "clusters" | "kinds">) {
  return { projects: entry.projects, clusters: entry.clusters, kinds: entry.kinds };
}

/** Freezes an object and everything it contains, so no module can change the config later. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
