import { z } from "zod";
import { ALERT_KIND_NAMES } from "./alert-kind-names.ts";
import type { AlertKindName } from "./config.ts";
import { CONFIG_DEFAULTS, CONFIG_LIMITS } from "./config-defaults.ts";
import { booleanValue, durationMs, integerIn } from "./config-rules.ts";
import { alertKindCriterion, clusterGlobCriterion, projectIdCriterion } from "./match-rules.ts";
import { requireCriteria } from "./require-criteria.ts";
import { silenceEnd, silenceReason } from "./silence-rules.ts";
import { always, optionalList, optionalSection, setting } from "./zod-setting.ts";

const defaults = CONFIG_DEFAULTS.file.alerts;

const kindEnabled = () => setting(booleanValue(true));

/** One switch per alert kind; a kind left out stays on. */
const kindsSchema = z.strictObject({
  failed: kindEnabled(),
  expired: kindEnabled(),
  expiring: kindEnabled(),
  stuck: kindEnabled(),
  "unknown-status": kindEnabled(),
  recovered: kindEnabled(),
} satisfies Record<AlertKindName, unknown>);

const silenceSchema = z
  .strictObject({
    projects: setting(projectIdCriterion),
    clusters: setting(clusterGlobCriterion),
    kinds: setting(alertKindCriterion),
    until: setting(silenceEnd),
    reason: setting(silenceReason),
  })
  .superRefine(
    requireCriteria(
      "add projects, clusters or kinds; to turn a kind off everywhere, set it to false under alerts.kinds",
    ),
    { when: always },
  );

/** The `alerts:` section of the config file. */
export const alertsSchema = z.strictObject({
  kinds: optionalSection(kindsSchema),
  expiringLeadTime: setting(durationMs(defaults.expiringLeadTime)),
  stuckAfter: setting(durationMs(defaults.stuckAfter)),
  digestThreshold: setting(integerIn(CONFIG_LIMITS.digestThreshold, defaults.digestThreshold)),
  operatorFailureThreshold: setting(
    integerIn(CONFIG_LIMITS.operatorFailureThreshold, defaults.operatorFailureThreshold),
  ),
  operatorRepeatInterval: setting(durationMs(defaults.operatorRepeatInterval)),
  silences: optionalList(silenceSchema),
  lookback: setting(durationMs(defaults.lookback)),
  deliveryTimeout: setting(durationMs(defaults.deliveryTimeout)),
});

/** Known keys of the objects inside `alerts:`, by their path without list indexes. */
export const ALERTS_SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  alerts: Object.keys(alertsSchema.shape),
  "alerts.kinds": ALERT_KIND_NAMES,
  "alerts.silences": Object.keys(silenceSchema.shape),
};
