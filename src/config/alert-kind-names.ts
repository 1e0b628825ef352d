import type { AlertKindName } from "./config.ts";

/**
 * The alert kinds the config accepts, in the order the docs list them. The same strings as
 * `ALERT_KINDS` in src/alerts, kept here so the config module does not depend on the alerts
 * module. A test checks that both lists match.
 */
export const ALERT_KIND_NAMES: readonly AlertKindName[] = [
  "failed",
  "expired",
  "expiring",
  "stuck",
  "unknown-status",
  "recovered",
];
