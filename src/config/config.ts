/**
 * The resolved flexwatch configuration: the YAML file merged with the environment and the
 * defaults, validated once at start-up and deep-frozen. Durations are in milliseconds and
 * carry the unit in their name.
 */
export interface Config {
  /** The watched projects, or `"*"` for every project the credentials can see (all clusters). */
  projects: ProjectConfig[] | "*";
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
  /**
   * Versioned media type date sent for the flex endpoints; the same as
   * `apiVersions.restoreJobs`, kept for callers that know one version. @defaultValue "2024-11-13"
   */
  apiVersion: string;
  /**
   * Versioned media type date per resource. The file's `atlas.apiVersion` sets both flex
   * resources; `atlas.apiVersions.<resource>` overrides one.
   * @defaultValue restoreJobs and flexClusters "2024-11-13", groups "2023-01-01"
   */
  apiVersions: AtlasApiVersions;
  /** Client-side request budget per Atlas project, shared by all replicas through Redis. */
  rateLimit: AtlasRateLimitConfig;
  /** Retries of one request inside the client before the poll job fails and BullMQ retries it. */
  retry: AtlasRetryConfig;
  /**
   * Every Nth poll of a cluster reads all pages. The others stop at the first page whose jobs are
   * all saved, once every saved in-flight job has been seen. 1 turns incremental paging off.
   * @defaultValue 12
   */
  fullReadEvery: number;
  /** How long the cluster list of a `"*"` project (and the project list of `projects: "*"`) is reused. @defaultValue 900000 (15 min) */
  discoveryCacheTtlMs: number;
  /** Restore jobs asked for per page, 1 to 500. @defaultValue 500 */
  pageSize: number;
  /** Timeout of one HTTP request. @defaultValue 30000 */
  requestTimeoutMs: number;
  /** Credentials from the environment; only one kind is set. Never logged. */
  credentials: AtlasCredentials;
}

export interface AtlasApiVersions {
  restoreJobs: string;
  flexClusters: string;
  groups: string;
}

export interface AtlasRateLimitConfig {
  /** Requests flexwatch may burst per project. @defaultValue 1200 (the Atlas bucket capacity) */
  capacity: number;
  /** Requests per minute flexwatch may make per project in steady state. @defaultValue 500 */
  refillPerMinute: number;
  /**
   * When an Atlas response reports fewer than this many requests remaining (`RateLimit-Remaining`),
   * flexwatch waits for the bucket to refill before the next request. @defaultValue 100
   */
  minRemaining: number;
}

export interface AtlasRetryConfig {
  /** Attempts of one request, the first included. @defaultValue 4 */
  attempts: number;
  /** First backoff delay; doubles per attempt, with jitter. @defaultValue 1000 */
  baseDelayMs: number;
  /** Largest backoff delay, and largest `Retry-After` waited for inside the client. @defaultValue 60000 */
  maxDelayMs: number;
}

export type AtlasCredentials =
  | { kind: "service-account"; clientId: string; clientSecret: string }
  | { kind: "api-key"; publicKey: string; privateKey: string }
  | { kind: "none" };

export interface SlackConfig {
  /** False turns Slack off; alerts are then only logged and counted. @defaultValue true */
  enabled: boolean;
  /** Default channel name or id. An id (`C…`) lets retries find a message Slack accepted silently. */
  channel: string;
  /** Channel of operator alerts (flexwatch cannot poll, credentials rejected). @defaultValue `channel` */
  operatorChannel: string;
  /** Routes tried in order before the default channel; the first match wins. @defaultValue [] */
  routes: SlackRoute[];
  /** User (`U…`) or user group (`S…`) ids mentioned on critical alerts of the default route. @defaultValue [] */
  mentions: string[];
  /** Link added to every restore alert, e.g. the team's runbook. @defaultValue undefined */
  runbookUrl: string | undefined;
  /** Base of the Atlas UI links in messages. @defaultValue "https://cloud.mongodb.com" */
  atlasUiBaseUrl: string;
  /** `SLACK_BOT_TOKEN`; undefined when Slack is disabled. Never logged. */
  token: string | undefined;
  /** `SLACK_API_URL`, ending with `/`. @defaultValue "https://slack.com/api/" */
  apiUrl: string;
  /** Timeout of one Slack API call. @defaultValue 10000 */
  requestTimeoutMs: number;
}

/** A routing rule: alerts matching every given criterion go to `channel`. */
export interface SlackRoute {
  /** Project ids; undefined matches any project. */
  projects: string[] | undefined;
  /** Cluster name globs (`*` and `?`); undefined matches any cluster. */
  clusters: string[] | undefined;
  /** Alert kinds; undefined matches every kind. */
  kinds: AlertKindName[] | undefined;
  channel: string;
  /** User or group ids mentioned on critical alerts of this route. @defaultValue [] */
  mentions: string[];
}

/** Alert kinds as the config names them; the same strings as `ALERT_KINDS`. */
export type AlertKindName =
  | "failed"
  | "expired"
  | "expiring"
  | "stuck"
  | "unknown-status"
  | "recovered";

/** A silence: matching alerts are logged and counted, not posted, until `until`. */
export interface SilenceConfig {
  projects: string[] | undefined;
  /** Cluster name globs. */
  clusters: string[] | undefined;
  kinds: AlertKindName[] | undefined;
  /** End of the silence, ISO-8601 with a zone. */
  until: string;
  /** Why, shown in logs; required so that silences are not left unexplained. */
  reason: string;
}

export interface AlertsConfig {
  /** Kinds turned on. @defaultValue all six */
  kinds: Record<AlertKindName, boolean>;
  /** `expiring` fires this long before `expirationDate` of a job still in flight. @defaultValue 3600000 (1 h) */
  expiringLeadTimeMs: number;
  /** `stuck` fires for a job in flight this long after `restoreScheduledDate`. @defaultValue 3600000 (1 h) */
  stuckAfterMs: number;
  /** More alerts than this for one channel in one sweep are posted as one digest. @defaultValue 10 */
  digestThreshold: number;
  /** Consecutive failed polls of a cluster or project before an operator alert. @defaultValue 3 */
  operatorFailureThreshold: number;
  /** An unresolved operator alert is posted again after this long. @defaultValue 14400000 (4 h) */
  operatorRepeatIntervalMs: number;
  /** Silences in force; expired ones are ignored. @defaultValue [] */
  silences: SilenceConfig[];
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
