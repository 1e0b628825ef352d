import { ALERT_SEVERITY, type AlertEvent, type AlertKind, alertJobId } from "./alert-event.ts";
import {
  KIND_PRESENTATION,
  kindTitle,
  severityLabel,
  summarySentence,
} from "./alert-presentation.ts";
import { alertLinksLine, type MessageLinkOptions } from "./message-links.ts";
import { restoreJobFields, restoreTimeFields, statusChange } from "./restore-job-fields.ts";
import {
  apiValue,
  contextBlock,
  fallbackText,
  fieldsSection,
  headerBlock,
  type SlackMessage,
  textSection,
} from "./slack-blocks.ts";
import { formatMentions } from "./slack-mentions.ts";
import { formatUtc } from "./slack-text.ts";

/** A Slack message as the builders return it; the same type as `SlackMessage`. */
export type AlertMessage = SlackMessage;

/** Options of `buildAlertMessage`. */
export interface AlertMessageOptions extends MessageLinkOptions {
  /** User or group ids to mention; the router passes them for critical alerts only. */
  mentions?: readonly string[];
  /** The clock that relative times are computed from, epoch ms. @defaultValue `Date.now()` */
  nowMs?: number;
  /**
   * Kinds delivered before this one for the same restore job, oldest first. Set when the
   * thread's top-level message is updated to show the job's current state.
   */
  earlierKinds?: readonly AlertKind[];
}

/**
 * Builds the top-level Slack message of a restore alert: a header with severity and state, a
 * summary with mentions and links, the job's fields, its times in UTC and relative to now, and
 * a context line. Every string from the Atlas API is truncated and escaped, and `snapshotUrl`
 * is never read, even when the job object carries one.
 */
export function buildAlertMessage(
  event: AlertEvent,
  options: AlertMessageOptions = {},
): SlackMessage {
  const nowMs = options.nowMs ?? Date.now();
  const mentions = formatMentions(options.mentions ?? []);

  return {
    text: alertFallbackText(event, mentions),
    blocks: [
      headerBlock(alertHeadline(event)),
      textSection(summaryText(event, mentions, nowMs, options)),
      fieldsSection(restoreJobFields(event)),
      fieldsSection(restoreTimeFields(event, nowMs)),
      contextBlock(contextText(event, options.earlierKinds ?? [])),
    ],
  };
}

/** Returns the header text, e.g. `:red_circle: Critical · Restore FAILED: orders-flex`. */
export function alertHeadline(event: AlertEvent): string {
  const { emoji } = KIND_PRESENTATION[event.kind];
  return `${emoji} ${severityLabel(event.kind)} · ${kindTitle(event)}: ${event.cluster}`;
}

/** Returns the notification text of an alert; API values are escaped, mentions kept. */
export function alertFallbackText(event: AlertEvent, mentions: string): string {
  const text =
    `${KIND_PRESENTATION[event.kind].title}: restore job ${apiValue(event.job.id)} of flex cluster ${apiValue(event.cluster)}` +
    ` in project ${apiValue(event.projectId)}, status ${apiValue(statusChange(event))}`;
  return fallbackText(mentions === "" ? text : `${mentions} ${text}`);
}

function summaryText(
  event: AlertEvent,
  mentions: string,
  nowMs: number,
  options: MessageLinkOptions,
): string {
  const links = alertLinksLine(event.projectId, options);
  const lines = [mentions, summarySentence(event, nowMs), links].filter((line) => line !== "");
  return lines.join("\n");
}

function contextText(event: AlertEvent, earlierKinds: readonly AlertKind[]): string {
  const parts = [
    `Severity ${ALERT_SEVERITY[event.kind]}`,
    `detected ${formatUtc(event.detectedAt)}`,
    alertJobId(event),
  ];
  if (earlierKinds.length > 0) {
    parts.push(`earlier: ${earlierKinds.join(", ")}; details in the thread`);
  }
  return parts.join(" · ");
}
