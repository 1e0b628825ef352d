import { ALERT_SEVERITY, type AlertEvent, type AlertKind } from "./alert-event.ts";
import { formatRelativeTime } from "./relative-time.ts";
import { apiValue } from "./slack-blocks.ts";
import { formatUtc } from "./slack-text.ts";

/** Look of one alert kind in Slack: its emoji and the state it names. */
export interface KindPresentation {
  /** Slack emoji code shown first in headers and thread replies. */
  emoji: string;
  /** The restore's state in a few words, e.g. `Restore FAILED`. */
  title: string;
}

export const KIND_PRESENTATION: Readonly<Record<AlertKind, KindPresentation>> = {
  failed: { emoji: ":red_circle:", title: "Restore FAILED" },
  expired: { emoji: ":hourglass:", title: "Restore EXPIRED" },
  expiring: { emoji: ":hourglass_flowing_sand:", title: "Restore expiring soon" },
  stuck: { emoji: ":turtle:", title: "Restore stuck" },
  "unknown-status": { emoji: ":grey_question:", title: "Unknown restore status" },
  recovered: { emoji: ":white_check_mark:", title: "Restore COMPLETED" },
};

/**
 * Returns the severity word of a header. A `recovered` alert reports the end of a problem, so
 * it reads `Resolved` whatever its configured severity.
 */
export function severityLabel(kind: AlertKind): string {
  if (kind === "recovered") return "Resolved";
  return ALERT_SEVERITY[kind] === "critical" ? "Critical" : "Warning";
}

/** Returns the kind's title, naming the status for `unknown-status` (plain text, unescaped). */
export function kindTitle(event: Pick<AlertEvent, "kind" | "job">): string {
  const { title } = KIND_PRESENTATION[event.kind];
  return event.kind === "unknown-status" ? `${title} ${event.job.status}` : title;
}

/** Returns one mrkdwn sentence saying what happened; every API value in it is escaped. */
export function summarySentence(event: AlertEvent, nowMs: number): string {
  const restore = `A restore of flex cluster *${apiValue(event.cluster)}* in project ${apiValue(event.projectId)}`;
  const status = apiValue(event.job.status);
  switch (event.kind) {
    case "failed":
      return `${restore} failed.`;
    case "expired":
      return `${restore} passed its expiry time while still ${status}.`;
    case "expiring":
      return `${restore} is still ${status} and expires ${when(event.job.expirationDate, nowMs)}.`;
    case "stuck":
      return `${restore} is still ${status}; it was scheduled ${when(event.job.restoreScheduledDate, nowMs)}.`;
    case "unknown-status":
      return `Atlas reported status ${status}, which is not a documented restore status, for a restore of flex cluster *${apiValue(event.cluster)}* in project ${apiValue(event.projectId)}.`;
    case "recovered":
      return `${restore} completed after an earlier warning.`;
  }
}

/** Formats a date as `2026-08-10 03:03:29 UTC (3 h ago)`; the input's own text when invalid. */
export function formatUtcWithRelative(isoDateTime: string, nowMs: number): string {
  const relative = formatRelativeTime(isoDateTime, nowMs);
  const utc = formatUtc(isoDateTime);
  return relative === undefined ? utc : `${utc} (${relative})`;
}

function when(date: string | undefined, nowMs: number): string {
  if (date === undefined) return "at an unknown time";
  const relative = formatRelativeTime(date, nowMs);
  const utc = apiValue(formatUtc(date));
  return relative === undefined ? `at ${utc}` : `${relative} (${utc})`;
}
