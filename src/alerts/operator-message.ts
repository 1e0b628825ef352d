import type { KnownBlock, MrkdwnElement, SectionBlock } from "@slack/types";
import type {
  OperatorAlertEntry,
  OperatorAlertJobData,
  OperatorAlertReason,
  OperatorAlertSubject,
} from "./operator-alert.ts";
import { operatorAlertKey } from "./operator-alert.ts";
import type { AlertMessage } from "./slack-message.ts";
import { escapeMrkdwn, formatUtc, truncateText } from "./slack-text.ts";

// Slack's Block Kit reference limits header text to 150 characters, section text to 3000 and a
// section field to 2000. Values are cut before escaping, which grows them at most fivefold
// (`&` to `&amp;`), so the error message stays under the section limit.
const MAX_HEADER_CHARS = 150;
const MAX_VALUE_CHARS = 200;
const MAX_ERROR_CHARS = 500;
const MAX_FALLBACK_CHARS = 4000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const HEADLINES: Readonly<Record<OperatorAlertReason, string>> = {
  "cluster-poll-failed": ":rotating_light: flexwatch cannot poll a flex cluster",
  "project-poll-failed": ":rotating_light: flexwatch cannot poll an Atlas project",
  "project-list-failed": ":rotating_light: flexwatch cannot list Atlas projects",
  "credentials-rejected": ":rotating_light: Atlas rejects flexwatch's credentials",
  "api-version-rejected": ":rotating_light: Atlas rejects flexwatch's API version",
};

const ACTIONS: Readonly<Record<OperatorAlertReason, string>> = {
  "cluster-poll-failed":
    "Read the error below. Remove a cluster that was deleted or is not a flex cluster from `projects[].clusters`; for other errors check https://status.mongodb.com.",
  "project-poll-failed":
    "Check the project id in `projects[].id`, that the Atlas credentials have the Project Read Only role in the project, and that this worker's egress IP address is on their API access list.",
  "project-list-failed":
    'Read the error below. `projects: "*"` needs credentials that may list the organization\'s projects. No restore job is watched until this is fixed.',
  "credentials-rejected":
    "Check the Atlas credentials in the environment (`MONGODB_ATLAS_CLIENT_ID` and `MONGODB_ATLAS_CLIENT_SECRET`, or the API key pair) and the error below. No restore job is watched until this is fixed.",
  "api-version-rejected":
    "Set `atlas.apiVersions` for the resource named in the error below to a version Atlas serves (2024-11-13 for the flex resources). No restore job is watched until this is fixed.",
};

/** Options of `buildOperatorAlertMessage`. */
export interface OperatorMessageOptions {
  /** Repeat interval of unresolved alerts, in milliseconds, named in the message. */
  repeatIntervalMs: number;
}

/**
 * Builds the Slack message of an operator alert: what failed and on which ids, the error code
 * and message, since when and for how many consecutive sweeps, and what to do.
 */
export function buildOperatorAlertMessage(
  subject: OperatorAlertSubject,
  entry: OperatorAlertEntry,
  options: OperatorMessageOptions,
): AlertMessage {
  const headline = `${HEADLINES[entry.reason]}${subjectSuffix(subject)}`;
  const context = `Operator alert · repeated every ${formatDuration(options.repeatIntervalMs)} while unresolved · ${operatorAlertKey(subject)}`;
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncateText(headline, MAX_HEADER_CHARS), emoji: true },
    },
    { type: "section", text: mrkdwn(`*What to do:* ${ACTIONS[entry.reason]}`) },
    fieldsBlock(entryFields(subject, entry)),
    { type: "section", text: mrkdwn(`*Last error*\n${value(entry.message, MAX_ERROR_CHARS)}`) },
    { type: "context", elements: [{ type: "plain_text", text: context, emoji: false }] },
  ];
  const text =
    `${plainHeadline(entry.reason)}${subjectSuffix(subject)}: ${entry.failures} consecutive` +
    ` failed sweeps since ${formatUtc(entry.since)}, error ${entry.errorCode ?? "unknown"}`;
  // Slack parses the fallback text too, so names from Atlas are escaped there as well.
  return { text: escapeMrkdwn(truncateText(text, MAX_FALLBACK_CHARS)), blocks };
}

/** Builds the thread reply that reports an operator alert as resolved. */
export function buildOperatorResolvedMessage(
  data: Extract<OperatorAlertJobData, { type: "resolved" }>,
): AlertMessage {
  const text =
    `Resolved: ${describeSubject(data.subject)} polled successfully at ${formatUtc(data.resolvedAt)},` +
    ` after ${data.failures} consecutive failed sweeps since ${formatUtc(data.since)}.`;
  return {
    text: escapeMrkdwn(truncateText(text, MAX_FALLBACK_CHARS)),
    blocks: [{ type: "section", text: mrkdwn(`:white_check_mark: ${escapeMrkdwn(text)}`) }],
  };
}

function entryFields(subject: OperatorAlertSubject, entry: OperatorAlertEntry): [string, string][] {
  const fields: [string, string][] = [];
  if (subject.scope !== "global") fields.push(["Project", subject.projectId]);
  if (subject.scope === "cluster") fields.push(["Cluster", subject.cluster]);
  fields.push(
    ["Error code", entry.errorCode ?? "—"],
    ["HTTP status", entry.httpStatus === undefined ? "no response" : String(entry.httpStatus)],
    ["Failing since", formatUtc(entry.since)],
    ["Consecutive failed sweeps", String(entry.failures)],
    ["Last failure", formatUtc(entry.lastFailureAt)],
    ["Failed step", failedStep(entry)],
  );
  return fields;
}

function failedStep(entry: OperatorAlertEntry): string {
  if (entry.reason === "project-list-failed") return "listing projects";
  return entry.source === "discovery" ? "listing flex clusters" : "polling restore jobs";
}

function describeSubject(subject: OperatorAlertSubject): string {
  switch (subject.scope) {
    case "global":
      return "Atlas";
    case "project":
      return `project ${subject.projectId}`;
    case "cluster":
      return `flex cluster ${subject.cluster} in project ${subject.projectId}`;
  }
}

function subjectSuffix(subject: OperatorAlertSubject): string {
  if (subject.scope === "global") return "";
  return `: ${subject.scope === "cluster" ? subject.cluster : subject.projectId}`;
}

function plainHeadline(reason: OperatorAlertReason): string {
  return HEADLINES[reason].replace(/^:[a-z_]+: /, "");
}

function formatDuration(ms: number): string {
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS} min`;
  return `${ms / 1000} s`;
}

function fieldsBlock(fields: [string, string][]): SectionBlock {
  return {
    type: "section",
    fields: fields.map(([label, text]) => mrkdwn(`*${label}*\n${value(text, MAX_VALUE_CHARS)}`)),
  };
}

/** Truncates then escapes a value for a mrkdwn text. */
function value(text: string, maxChars: number): string {
  return escapeMrkdwn(truncateText(text, maxChars));
}

function mrkdwn(text: string): MrkdwnElement {
  // verbatim stops Slack from turning bare URLs and #channel names in a value into links.
  return { type: "mrkdwn", text, verbatim: true };
}
