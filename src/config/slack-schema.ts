import { z } from "zod";
import { CONFIG_DEFAULTS } from "./config-defaults.ts";
import { accept, booleanValue, durationMs, type Rule, withDefault } from "./config-rules.ts";
import { alertKindCriterion, clusterGlobCriterion, projectIdCriterion } from "./match-rules.ts";
import { requireCriteria } from "./require-criteria.ts";
import { httpUrl, mentionList, SLACK_CHANNEL_FIX, slackChannel } from "./slack-rules.ts";
import { addFixedIssue, always, optionalList, setting } from "./zod-setting.ts";

const defaults = CONFIG_DEFAULTS.file.slack;

/** A channel that may be left out: missing means another setting's channel. */
const optionalChannel: Rule<string | undefined> = (value) =>
  value === undefined ? accept(undefined) : slackChannel(value);

const optionalRunbookUrl: Rule<string | undefined> = (value) =>
  value === undefined
    ? accept(undefined)
    : httpUrl({ originOnly: false, example: "https://wiki.example.com/runbooks/atlas-restore" })(
        value,
      );

const routeSchema = z
  .strictObject({
    projects: setting(projectIdCriterion),
    clusters: setting(clusterGlobCriterion),
    kinds: setting(alertKindCriterion),
    channel: setting(slackChannel),
    mentions: setting(mentionList),
  })
  .superRefine(
    requireCriteria(
      "add projects, clusters or kinds; to send every alert to this channel, set slack.channel instead",
    ),
    { when: always },
  );

const slackObjectSchema = z.strictObject({
  enabled: setting(booleanValue(defaults.enabled)),
  channel: setting(optionalChannel),
  operatorChannel: setting(optionalChannel),
  routes: optionalList(routeSchema),
  mentions: setting(mentionList),
  runbookUrl: setting(optionalRunbookUrl),
  atlasUiBaseUrl: setting(
    withDefault(
      httpUrl({ originOnly: true, example: `"${defaults.atlasUiBaseUrl}" (the default)` }),
      defaults.atlasUiBaseUrl,
    ),
  ),
  requestTimeout: setting(durationMs(defaults.requestTimeout)),
});

/** The `slack:` section of the config file. */
export const slackSchema = slackObjectSchema.superRefine(requireSlackChannel, { when: always });

/** Known keys of the objects inside `slack:`, by their path without list indexes. */
export const SLACK_SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  slack: Object.keys(slackObjectSchema.shape),
  "slack.routes": Object.keys(routeSchema.shape),
};

function requireSlackChannel(
  slack: { enabled?: unknown; channel?: unknown },
  ctx: z.RefinementCtx,
): void {
  // Also runs when the section itself has the wrong type, whose type issue is enough.
  if (typeof slack !== "object" || slack === null) return;
  if (slack.enabled === false || slack.channel !== undefined) return;

  addFixedIssue(
    ctx,
    ["channel"],
    "is missing while Slack is enabled",
    `${SLACK_CHANNEL_FIX}, or turn Slack off with slack: {enabled: false}`,
  );
}
