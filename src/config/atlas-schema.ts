import { z } from "zod";
import { CONFIG_DEFAULTS, CONFIG_LIMITS } from "./config-defaults.ts";
import { durationMs, integerIn, type Rule, textMatching, withDefault } from "./config-rules.ts";
import { formatDurationMs } from "./parse-duration.ts";
import { addFixedIssue, always, optionalSection, setting } from "./zod-setting.ts";

const defaults = CONFIG_DEFAULTS.file.atlas;
const limits = CONFIG_LIMITS;

const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const VERSION_MESSAGE = "must be a resource version date such as 2024-11-13";

/** Builds a rule for a resource version date. `defaultNote` names the value used without the key. */
function versionDate(defaultNote: string): Rule<string> {
  return textMatching(VERSION_PATTERN, VERSION_MESSAGE, `remove the key to use ${defaultNote}`);
}

/** Version of a flex resource: missing means the value of `atlas.apiVersion`. */
const flexVersionOverride: Rule<string | undefined> = (value) =>
  value === undefined
    ? { ok: true, value: undefined }
    : versionDate("the version of atlas.apiVersion")(value);

const apiVersionsSchema = z.strictObject({
  restoreJobs: setting(flexVersionOverride),
  flexClusters: setting(flexVersionOverride),
  groups: setting(
    withDefault(
      versionDate(`the default "${defaults.apiVersions.groups}", the version of GET /groups`),
      defaults.apiVersions.groups,
    ),
  ),
});

const rateLimitSchema = z
  .strictObject({
    capacity: setting(integerIn(limits.rateLimitCapacity, defaults.rateLimit.capacity)),
    refillPerMinute: setting(
      integerIn(limits.rateLimitRefillPerMinute, defaults.rateLimit.refillPerMinute),
    ),
    minRemaining: setting(integerIn(limits.rateLimitMinRemaining, defaults.rateLimit.minRemaining)),
  })
  .superRefine(requireMinRemainingBelowCapacity, { when: always });

const retrySchema = z
  .strictObject({
    attempts: setting(integerIn(limits.retryAttempts, defaults.retry.attempts)),
    baseDelay: setting(durationMs(defaults.retry.baseDelay)),
    maxDelay: setting(durationMs(defaults.retry.maxDelay)),
  })
  .superRefine(requireMaxDelayAtLeastBaseDelay, { when: always });

/** The `atlas:` section of the config file. */
export const atlasSchema = z.strictObject({
  apiVersion: setting(
    withDefault(
      versionDate(
        `the default "${defaults.apiVersion}", the version of the flex cluster endpoints`,
      ),
      defaults.apiVersion,
    ),
  ),
  apiVersions: optionalSection(apiVersionsSchema),
  rateLimit: optionalSection(rateLimitSchema),
  retry: optionalSection(retrySchema),
  fullReadEvery: setting(integerIn(limits.fullReadEvery, defaults.fullReadEvery)),
  discoveryCacheTtl: setting(durationMs(defaults.discoveryCacheTtl)),
  pageSize: setting(integerIn(limits.pageSize, defaults.pageSize)),
  requestTimeout: setting(durationMs(defaults.requestTimeout)),
});

/** Known keys of the objects inside `atlas:`, by their path. */
export const ATLAS_SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  atlas: Object.keys(atlasSchema.shape),
  "atlas.apiVersions": Object.keys(apiVersionsSchema.shape),
  "atlas.rateLimit": Object.keys(rateLimitSchema.shape),
  "atlas.retry": Object.keys(retrySchema.shape),
};

function requireMinRemainingBelowCapacity(
  rateLimit: { capacity: unknown; minRemaining: unknown },
  ctx: z.RefinementCtx,
): void {
  const { capacity, minRemaining } = rateLimit;
  // Also runs when a field has its own issue, which is enough on its own.
  if (typeof capacity !== "number" || typeof minRemaining !== "number") return;
  if (minRemaining <= capacity) return;

  addFixedIssue(
    ctx,
    ["minRemaining"],
    `must be at most atlas.rateLimit.capacity (${capacity})`,
    `lower minRemaining, or raise capacity; minRemaining defaults to ${defaults.rateLimit.minRemaining}`,
  );
}

function requireMaxDelayAtLeastBaseDelay(
  retry: { baseDelay: unknown; maxDelay: unknown },
  ctx: z.RefinementCtx,
): void {
  const { baseDelay, maxDelay } = retry;
  if (typeof baseDelay !== "number" || typeof maxDelay !== "number") return;
  if (maxDelay >= baseDelay) return;

  addFixedIssue(
    ctx,
    ["maxDelay"],
    `must be at least atlas.retry.baseDelay (${formatDurationMs(baseDelay)})`,
    `raise maxDelay, or lower baseDelay; maxDelay defaults to "${defaults.retry.maxDelay}"`,
  );
}
