import { z } from "zod";
import { CONFIG_DEFAULTS, CONFIG_LIMITS } from "./config-defaults.ts";
import {
  accept,
  booleanValue,
  durationMs,
  hostAddress,
  integerIn,
  type Rule,
  textMatching,
  withDefault,
} from "./config-rules.ts";
import { clusterList, projectId } from "./project-rules.ts";
import { cronExpression, timeZone } from "./schedule-rules.ts";

const defaults = CONFIG_DEFAULTS.file;

/** Runs cross-field checks even when a field of the object already has an issue. */
const always = () => true;

/** Wraps a rule as a zod schema. An empty YAML value (`null`) counts as missing. */
function setting<T>(rule: Rule<T>) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      const result = rule(value ?? undefined);
      if (result.ok) return result.value;

      for (const issue of result.issues) {
        ctx.addIssue({
          code: "custom",
          message: issue.message,
          path: issue.path ?? [],
          params: { fix: issue.fix },
        });
      }
      return z.NEVER;
    });
}

/** Makes a section optional: missing or empty (`atlas:` with nothing below) means all defaults. */
function optionalSection<S extends z.ZodType>(section: S) {
  return z.preprocess((value) => value ?? undefined, section.prefault({} as z.input<S>));
}

const projectSchema = z.strictObject({
  id: setting(projectId),
  clusters: setting(clusterList),
});

const scheduleSchema = z.strictObject({
  cron: setting(cronExpression),
  timezone: setting(timeZone(defaults.schedule.timezone)),
});

const atlasSchema = z.strictObject({
  apiVersion: setting(
    withDefault(
      textMatching(
        /^\d{4}-\d{2}-\d{2}$/,
        "must be a resource version date such as 2024-11-13",
        `remove the key to use the default "${defaults.atlas.apiVersion}", the version of the flex cluster endpoints`,
      ),
      defaults.atlas.apiVersion,
    ),
  ),
  pageSize: setting(integerIn(CONFIG_LIMITS.pageSize, defaults.atlas.pageSize)),
  requestTimeout: setting(durationMs(defaults.atlas.requestTimeout)),
});

const SLACK_CHANNEL_FIX =
  'write a channel name or id, e.g. channel: "#atlas-restores" (quoted, because YAML reads # as a comment)';

const slackSchema = z.strictObject({
  enabled: setting(booleanValue(defaults.slack.enabled)),
  channel: setting<string | undefined>((value) =>
    value === undefined
      ? accept(undefined)
      : textMatching(
          /^\S+$/,
          "must be a channel name or id without spaces",
          SLACK_CHANNEL_FIX,
        )(value),
  ),
  requestTimeout: setting(durationMs(defaults.slack.requestTimeout)),
});

const alertsSchema = z.strictObject({
  lookback: setting(durationMs(defaults.alerts.lookback)),
  deliveryTimeout: setting(durationMs(defaults.alerts.deliveryTimeout)),
});

const redisSchema = z.strictObject({
  // Redis Cluster reads `{…}` as a hash tag and flexwatch joins key parts with `:`.
  keyPrefix: setting(
    withDefault(
      textMatching(
        /^[a-zA-Z0-9_-]+$/,
        "must contain only letters, digits, _ and - (no :, { or })",
        `write a plain name such as "flexwatch", or remove the key to use the default`,
      ),
      defaults.redis.keyPrefix,
    ),
  ),
});

const queueSchema = z.strictObject({
  pollConcurrency: setting(
    integerIn(CONFIG_LIMITS.pollConcurrency, defaults.queue.pollConcurrency),
  ),
  alertConcurrency: setting(
    integerIn(CONFIG_LIMITS.alertConcurrency, defaults.queue.alertConcurrency),
  ),
  pollAttempts: setting(integerIn(CONFIG_LIMITS.pollAttempts, defaults.queue.pollAttempts)),
});

const metricsSchema = z.strictObject({
  host: setting(hostAddress(defaults.metrics.host)),
});

const projectsSchema = z
  .array(projectSchema)
  .min(1, "must list at least one project")
  .superRefine(rejectRepeatedProjectIds, { when: always });

const fileShape = {
  projects: projectsSchema,
  schedule: scheduleSchema,
  atlas: optionalSection(atlasSchema),
  slack: optionalSection(slackSchema.superRefine(requireSlackChannel, { when: always })),
  alerts: optionalSection(alertsSchema),
  redis: optionalSection(redisSchema),
  queue: optionalSection(queueSchema),
  metrics: optionalSection(metricsSchema),
};

/**
 * The config file: strict objects (unknown keys are issues), every value checked by a rule,
 * defaults from `CONFIG_DEFAULTS` filled in and durations converted to milliseconds.
 */
export const configFileSchema = z.strictObject(fileShape);

/** The config file after validation, before the environment is merged in. */
export type ConfigFile = z.output<typeof configFileSchema>;

/**
 * Known keys of each object in the file, by section name (`""` is the top level), so an
 * unknown key can be matched against the keys allowed at its place.
 */
export const SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(fileShape),
  projects: Object.keys(projectSchema.shape),
  schedule: Object.keys(scheduleSchema.shape),
  atlas: Object.keys(atlasSchema.shape),
  slack: Object.keys(slackSchema.shape),
  alerts: Object.keys(alertsSchema.shape),
  redis: Object.keys(redisSchema.shape),
  queue: Object.keys(queueSchema.shape),
  metrics: Object.keys(metricsSchema.shape),
};

function rejectRepeatedProjectIds(projects: unknown, ctx: z.RefinementCtx): void {
  // Also runs when `projects` is not a list, whose type issue is enough.
  if (!Array.isArray(projects)) return;

  const seen = new Set<string>();

  projects.forEach((project, index) => {
    const id = (project as { id?: unknown } | undefined)?.id;
    if (typeof id !== "string") return;
    if (seen.has(id)) {
      ctx.addIssue({
        code: "custom",
        message: "duplicate project id",
        path: [index, "id"],
        params: { fix: "merge the clusters of both entries into one project entry" },
      });
    }
    seen.add(id);
  });
}

function requireSlackChannel(
  slack: { enabled?: unknown; channel?: unknown },
  ctx: z.RefinementCtx,
) {
  // Also runs when the section itself has the wrong type, whose type issue is enough.
  if (typeof slack !== "object" || slack === null) return;
  if (slack.enabled === false || slack.channel !== undefined) return;

  ctx.addIssue({
    code: "custom",
    message: "is missing while Slack is enabled",
    path: ["channel"],
    params: { fix: `${SLACK_CHANNEL_FIX}, or turn Slack off with slack: {enabled: false}` },
  });
}
