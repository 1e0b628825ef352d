import type {
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
} from "@slack/types";
import { ALERT_SEVERITY, type AlertEvent, type AlertKind, alertJobId } from "./alert-event.ts";
import { escapeMrkdwn, formatUtc, truncateText } from "./slack-text.ts";

/** Options of `buildAlertMessage`. */
export interface AlertMessageOptions {
  /** Origin of the Atlas UI that links point to. @defaultValue "https://cloud.mongodb.com" */
  atlasUiBaseUrl?: string;
}

/** A Slack message: Block Kit blocks plus the plain-text fallback used in notifications. */
export interface AlertMessage {
  text: string;
  blocks: KnownBlock[];
}

const DEFAULT_ATLAS_UI_BASE_URL = "https://cloud.mongodb.com";
const PROJECT_ID_PATTERN = /^[a-f0-9]{24}$/;
const MISSING = "—";

// Slack's Block Kit reference limits header text to 150 characters, section text to 3000 and a
// section field to 2000. The fallback text is kept under 4000 so that notifications stay short.
// A value is cut to MAX_VALUE_CHARS before escaping, and escaping grows it at most fivefold
// (`&` to `&amp;`), so a labelled field stays under the field limit.
const MAX_HEADER_CHARS = 150;
const MAX_VALUE_CHARS = 200;
const MAX_SECTION_TEXT_CHARS = 3000;
const MAX_FIELD_CHARS = 2000;
const MAX_FALLBACK_CHARS = 4000;

const HEADLINES: Readonly<Record<AlertKind, string>> = {
  failed: ":red_circle: Restore FAILED",
  expired: ":hourglass: Restore EXPIRED",
  "unknown-status": ":grey_question: Unknown restore status",
};

/**
 * Builds the Slack message of a restore alert: a header with the severity emoji and state, the
 * job's fields, and a context line with the detection time. Every string from the Atlas API is
 * truncated and escaped, and `snapshotUrl` is never read, even when the job object carries one.
 */
export function buildAlertMessage(
  event: AlertEvent,
  options: AlertMessageOptions = {},
): AlertMessage {
  const atlasUrl = projectClustersUrl(event.projectId, options.atlasUiBaseUrl);

  const blocks: KnownBlock[] = [
    headerBlock(event),
    summaryBlock(event, atlasUrl),
    fieldsBlock(jobFields(event)),
    fieldsBlock(timeFields(event)),
    contextBlock(event),
  ];
  return { text: fallbackText(event), blocks };
}

function headerBlock(event: AlertEvent): HeaderBlock {
  const status = event.kind === "unknown-status" ? ` ${event.job.status}` : "";
  const text = `${HEADLINES[event.kind]}${status}: ${event.cluster}`;
  return {
    type: "header",
    text: { type: "plain_text", text: truncateText(text, MAX_HEADER_CHARS), emoji: true },
  };
}

function summaryBlock(event: AlertEvent, atlasUrl: string | undefined): SectionBlock {
  const cluster = `*${value(event.cluster)}*`;
  const project = value(event.projectId);
  const sentences: Record<AlertKind, string> = {
    failed: `A restore of flex cluster ${cluster} in project ${project} failed.`,
    expired: `A restore of flex cluster ${cluster} in project ${project} passed its expiry time while still ${value(event.job.status)}.`,
    "unknown-status": `Atlas reported status ${value(event.job.status)}, which is not a documented restore status, for a restore of flex cluster ${cluster} in project ${project}.`,
  };
  // NOTE: Atlas documents no URL for a flex cluster's backup page, so the link opens the
  // project's cluster list, and the reader picks the cluster's Backup tab from there.
  const link = atlasUrl === undefined ? "" : `\n<${atlasUrl}|Open the project's clusters in Atlas>`;
  const sentence = truncateText(sentences[event.kind], MAX_SECTION_TEXT_CHARS - link.length);
  return { type: "section", text: mrkdwn(`${sentence}${link}`) };
}

function jobFields(event: AlertEvent): [string, string][] {
  const { job } = event;
  return [
    ["Project", event.projectId],
    ["Cluster", event.cluster],
    ["Restore job", job.id],
    ["Status", statusChange(event)],
    ["Delivery type", job.deliveryType ?? MISSING],
    ["Target", target(event)],
    ["Snapshot", job.snapshotId ?? MISSING],
  ];
}

function timeFields(event: AlertEvent): [string, string][] {
  const { job } = event;
  const time = (date: string | undefined, absent: string) =>
    date === undefined ? absent : formatUtc(date);
  return [
    ["Scheduled", time(job.restoreScheduledDate, MISSING)],
    ["Finished", time(job.restoreFinishedDate, "not finished")],
    ["Expires", time(job.expirationDate, MISSING)],
    ["Snapshot taken", time(job.snapshotFinishedDate, MISSING)],
  ];
}

function fieldsBlock(fields: [string, string][]): SectionBlock {
  return {
    type: "section",
    fields: fields.map(([label, text]) =>
      mrkdwn(truncateText(`*${label}*\n${value(text)}`, MAX_FIELD_CHARS)),
    ),
  };
}

function contextBlock(event: AlertEvent): ContextBlock {
  const detected = formatUtc(event.detectedAt);
  const text = `Severity ${ALERT_SEVERITY[event.kind]} · detected ${detected} · ${alertJobId(event)}`;
  return {
    type: "context",
    elements: [{ type: "plain_text", text: truncateText(text, MAX_VALUE_CHARS), emoji: false }],
  };
}

function fallbackText(event: AlertEvent): string {
  const headline = {
    failed: "Restore FAILED",
    expired: "Restore EXPIRED",
    "unknown-status": "Unknown restore status",
  }[event.kind];
  const text =
    `${headline}: restore job ${value(event.job.id)} of flex cluster ${value(event.cluster)}` +
    ` in project ${value(event.projectId)}, status ${value(statusChange(event))}`;
  return truncateText(text, MAX_FALLBACK_CHARS);
}

function statusChange(event: AlertEvent): string {
  const current = event.job.status;
  if (event.previousStatus === undefined) return `${current} (first seen)`;
  if (event.previousStatus === current) return `${current} (unchanged)`;
  return `${event.previousStatus} → ${current}`;
}

function target(event: AlertEvent): string {
  const deployment = event.job.targetDeploymentItemName;
  const project = event.job.targetProjectId;
  if (deployment === undefined) return MISSING;
  if (project === undefined || project === event.projectId) return `${deployment} (same project)`;
  return `${deployment} in project ${project}`;
}

function projectClustersUrl(projectId: string, baseUrl?: string): string | undefined {
  // The id goes into a link, so anything but a well-formed project id gets no link at all.
  if (!PROJECT_ID_PATTERN.test(projectId)) return undefined;

  const origin = (baseUrl ?? DEFAULT_ATLAS_UI_BASE_URL).replace(/\/+$/, "");
  return `${origin}/v2/${projectId}#/clusters`;
}

/** Truncates then escapes one value from the API for a mrkdwn text. */
function value(text: string): string {
  return escapeMrkdwn(truncateText(text, MAX_VALUE_CHARS));
}

function mrkdwn(text: string): MrkdwnElement {
  // verbatim stops Slack from turning bare URLs and #channel names in a value into links.
  return { type: "mrkdwn", text, verbatim: true };
}
