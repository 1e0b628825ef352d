/**
 * The resolved flexwatch configuration: the YAML file merged with the environment and the
 * defaults, validated once at start-up and deep-frozen. Durations are in milliseconds and
 * carry the unit in their name.
 */
export interface Config {
  projects: ProjectConfig[];
  schedule: ScheduleConfig;
  atlas: AtlasConfig;
  slack: SlackConfig;
  alerts: AlertsConfig;
  redis: RedisConfig;
  queue: QueueConfig;
  metrics: MetricsConfig;
  logLevel: string;
}

export interface ProjectConfig {
  /** Atlas project (group) id, 24 lowercase hex characters. */
  id: string;
  /** Flex cluster names, or `"*"` for every flex cluster of the project. */
  clusters: string[] | "*";
}

export interface ScheduleConfig {
  /** node-cron expression; a leading seconds field is allowed. */
  cron: string;
  /** IANA time zone the cron expression is read in. @defaultValue "UTC" */
  timezone: string;
}

export interface AtlasConfig {
  /** @defaultValue "https://cloud.mongodb.com" (or `MONGODB_ATLAS_BASE_URL`) */
  baseUrl: string;
  /** Versioned media type date sent for the flex endpoints. @defaultValue "2024-11-13" */
  apiVersion: string;
  /** Restore jobs asked for per page, 1 to 500. @defaultValue 500 */
  pageSize: number;
  /** Timeout of one HTTP request. @defaultValue 30000 */
  requestTimeoutMs: number;
  /** Credentials from the environment; only one kind is set. Never logged. */
  credentials: AtlasCredentials;
}

export type AtlasCredentials =
  | { kind: "service-account"; clientId: string; clientSecret: string }
  | { kind: "api-key"; publicKey: string; privateKey: string }
  | { kind: "none" };

export interface SlackConfig {
  /** False turns Slack off; alerts are then only logged and counted. @defaultValue true */
  enabled: boolean;
  /** Default channel name or id. */
  channel: string;
  /** `SLACK_BOT_TOKEN`; undefined when Slack is disabled. Never logged. */
  token: string | undefined;
  /** `SLACK_API_URL`, ending with `/`. @defaultValue "https://slack.com/api/" */
  apiUrl: string;
  /** Timeout of one Slack API call. @defaultValue 10000 */
  requestTimeoutMs: number;
}

export interface AlertsConfig {
  /** How far back the first sweep of a cluster still alerts on failures. @defaultValue 3600000 (1 h) */
  lookbackMs: number;
  /** How long an alert job keeps retrying before it is given up. @defaultValue 86400000 (24 h) */
  deliveryTimeoutMs: number;
}

export interface RedisConfig {
  /** `REDIS_URL`; its database index is used by every connection. @defaultValue "redis://127.0.0.1:6379" */
  url: string;
  /** Prefix of every key flexwatch writes, BullMQ's included. @defaultValue "flexwatch" */
  keyPrefix: string;
}

export interface QueueConfig {
  /** Poll jobs one process runs at the same time. @defaultValue 4 */
  pollConcurrency: number;
  /** Alert jobs one process runs at the same time. @defaultValue 1 */
  alertConcurrency: number;
  /** Attempts of one poll job before it counts as failed. @defaultValue 3 */
  pollAttempts: number;
}

export interface MetricsConfig {
  /** `METRICS_PORT`. @defaultValue 9464 */
  port: number;
  /** Address the HTTP server binds. @defaultValue "0.0.0.0" */
  host: string;
}
