/**
 * Every default of the configuration, in the form the config file or the environment spells
 * it. The file defaults go through the same validation as values that a user writes, so a
 * duration default is a string such as `"30s"` and lands in `Config` as milliseconds.
 * Defaults that follow another setting (`atlas.apiVersions.restoreJobs` and `flexClusters`
 * follow `atlas.apiVersion`, `slack.operatorChannel` follows `slack.channel`) are not listed.
 */
export const CONFIG_DEFAULTS = {
  file: {
    schedule: { timezone: "UTC" },
    atlas: {
      apiVersion: "2024-11-13",
      apiVersions: { groups: "2023-01-01" },
      // Atlas refills its per-project bucket of 1200 requests at 500 a minute.
      rateLimit: { capacity: 1200, refillPerMinute: 500, minRemaining: 100 },
      retry: { attempts: 4, baseDelay: "1s", maxDelay: "60s" },
      fullReadEvery: 12,
      discoveryCacheTtl: "15m",
      pageSize: 500,
      requestTimeout: "30s",
    },
    slack: {
      enabled: true,
      atlasUiBaseUrl: "https://cloud.mongodb.com",
      requestTimeout: "10s",
    },
    alerts: {
      expiringLeadTime: "1h",
      stuckAfter: "1h",
      digestThreshold: 10,
      operatorFailureThreshold: 3,
      operatorRepeatInterval: "4h",
      lookback: "1h",
      deliveryTimeout: "24h",
    },
    redis: { keyPrefix: "flexwatch" },
    queue: { pollConcurrency: 4, alertConcurrency: 1, pollAttempts: 3 },
    metrics: { host: "0.0.0.0" },
  },
  env: {
    MONGODB_ATLAS_BASE_URL: "https://cloud.mongodb.com",
    REDIS_URL: "redis://127.0.0.1:6379",
    SLACK_API_URL: "https://slack.com/api/",
    METRICS_PORT: 9464,
    LOG_LEVEL: "info",
  },
  /** Used when neither `--config` nor `FLEXWATCH_CONFIG` names a file. */
  configPath: "./flexwatch.yaml",
} as const;

/**
 * Inclusive bounds of the numeric settings. The page size bound is the Atlas API's own
 * `itemsPerPage` maximum. `atlas.rateLimit.minRemaining` is bounded by the configured
 * capacity instead of a constant.
 */
export const CONFIG_LIMITS = {
  pageSize: { min: 1, max: 500 },
  rateLimitCapacity: { min: 1, max: 100_000 },
  rateLimitRefillPerMinute: { min: 1, max: 100_000 },
  rateLimitMinRemaining: { min: 0, max: 100_000 },
  retryAttempts: { min: 1, max: 10 },
  fullReadEvery: { min: 1, max: 1000 },
  digestThreshold: { min: 1, max: 1000 },
  operatorFailureThreshold: { min: 1, max: 100 },
  pollConcurrency: { min: 1, max: 64 },
  alertConcurrency: { min: 1, max: 16 },
  pollAttempts: { min: 1, max: 20 },
  clusterNameMaxLength: 64,
  redisDatabase: { min: 0, max: 15 },
  port: { min: 1, max: 65535 },
} as const;
