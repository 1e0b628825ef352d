import { z } from "zod";
import { ALERTS_SECTION_KEYS, alertsSchema } from "./alerts-schema.ts";
import { ATLAS_SECTION_KEYS, atlasSchema } from "./atlas-schema.ts";
import { CONFIG_DEFAULTS, CONFIG_LIMITS } from "./config-defaults.ts";
import { hostAddress, integerIn, textMatching, withDefault } from "./config-rules.ts";
import { clusterList, projectId } from "./project-rules.ts";
import { cronExpression, timeZone } from "./schedule-rules.ts";
import { SLACK_SECTION_KEYS, slackSchema } from "./slack-schema.ts";
import { addFixedIssue, always, optionalSection, setting } from "./zod-setting.ts";

const defaults = CONFIG_DEFAULTS.file;

/** Written as `projects: "*"`: every project the credentials can see, all their flex clusters. */
const ALL_PROJECTS = "*";

const PROJECTS_FIX =
  'list the Atlas projects to watch, e.g. projects: [{id: 32b6e34b3d91647abb20e7b8, clusters: [orders-flex]}], or write projects: "*" for every project the credentials can see';

const projectSchema = z.strictObject({
  id: setting(projectId),
  clusters: setting(clusterList),
});

const projectListSchema = z
  .array(projectSchema)
  .min(1, "must list at least one project")
  .superRefine(rejectRepeatedProjectIds, { when: always });

/**
 * `"*"` or a list of projects. `["*"]` is read as `"*"`, as for clusters. A zod union would
 * report the issues of both forms, so the list's own issues are passed on instead.
 */
const projectsSchema = z.unknown().transform((value, ctx) => {
  if (value === ALL_PROJECTS) return ALL_PROJECTS;
  if (Array.isArray(value) && value.includes(ALL_PROJECTS)) {
    if (value.length === 1) return ALL_PROJECTS;
    addFixedIssue(
      ctx,
      [value.indexOf(ALL_PROJECTS)],
      '"*" already means every project the credentials can see, so it cannot be listed with projects',
      'write either projects: "*" or a list of projects without "*"',
    );
    return z.NEVER;
  }
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    addFixedIssue(ctx, [], 'must be a list of projects or "*"', PROJECTS_FIX);
    return z.NEVER;
  }

  const result = projectListSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

const scheduleSchema = z.strictObject({
  cron: setting(cronExpression),
  timezone: setting(timeZone(defaults.schedule.timezone)),
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

const fileShape = {
  projects: projectsSchema,
  schedule: scheduleSchema,
  atlas: optionalSection(atlasSchema),
  slack: optionalSection(slackSchema),
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
 * Known keys of each object in the file, by its path without list indexes (`""` is the top
 * level, `slack.routes` each route), so an unknown key can be matched against the keys
 * allowed at its place.
 */
export const SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(fileShape),
  projects: Object.keys(projectSchema.shape),
  schedule: Object.keys(scheduleSchema.shape),
  ...ATLAS_SECTION_KEYS,
  ...SLACK_SECTION_KEYS,
  ...ALERTS_SECTION_KEYS,
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
      addFixedIssue(
        ctx,
        [index, "id"],
        "duplicate project id",
        "merge the clusters of both entries into one project entry",
      );
    }
    seen.add(id);
  });
}
