import { ALERT_KINDS, ALERT_SEVERITY, type AlertEvent } from "./alert-event.ts";
import { KIND_PRESENTATION, kindTitle } from "./alert-presentation.ts";
import {
  apiValue,
  contextBlock,
  fallbackText,
  headerBlock,
  type SlackMessage,
  textSection,
} from "./slack-blocks.ts";
import { formatMentions } from "./slack-mentions.ts";
import { formatUtc, truncateText } from "./slack-text.ts";

/** Alerts listed one per line in a digest; the rest are counted in its last line. */
export const MAX_DIGEST_LINES = 20;

// Ten lines of at most 280 characters keep each list section under Slack's 3000.
const LINES_PER_SECTION = 10;
const MAX_LINE_CHARS = 280;

/** Content of a digest message. */
export interface DigestMessageInput {
  /** The alerts the digest stands for, in any order. */
  events: readonly AlertEvent[];
  sweepId: string;
  /** User or group ids to mention; the digest passes them when it lists a critical alert. */
  mentions?: readonly string[];
  /** The clock of the context line, epoch ms. @defaultValue `Date.now()` */
  nowMs?: number;
}

/**
 * Builds the one message that stands for many alerts of one sweep in one channel: counts by
 * kind, one line per alert (critical first, at most `MAX_DIGEST_LINES`), and "…and N more".
 */
export function buildDigestMessage(input: DigestMessageInput): SlackMessage {
  const events = [...input.events].sort(compareForDigest);
  const mentions = formatMentions(input.mentions ?? []);
  const title = `${events.length} restore alerts in one sweep`;
  const counts = countByKind(events);
  const intro =
    `flexwatch found ${events.length} restore alerts for this channel in one sweep ` +
    `(${counts}), so they are listed in this one message. Later events of these restore jobs ` +
    "reply in this thread.";
  const lines = events.slice(0, MAX_DIGEST_LINES).map(digestLine);
  const omitted = events.length - lines.length;
  const posted = formatUtc(new Date(input.nowMs ?? Date.now()).toISOString());

  const blocks: SlackMessage["blocks"] = [
    headerBlock(`:rotating_light: ${title}`),
    textSection(mentions === "" ? intro : `${mentions}\n${intro}`),
  ];
  for (let first = 0; first < lines.length; first += LINES_PER_SECTION) {
    blocks.push(textSection(lines.slice(first, first + LINES_PER_SECTION).join("\n")));
  }
  if (omitted > 0) blocks.push(textSection(`…and ${omitted} more, listed in the flexwatch logs.`));
  blocks.push(contextBlock(`Sweep ${input.sweepId} · posted ${posted}`));

  const text = `${title}: ${counts}`;
  return { text: fallbackText(mentions === "" ? text : `${mentions} ${text}`), blocks };
}

function digestLine(event: AlertEvent): string {
  const { emoji } = KIND_PRESENTATION[event.kind];
  const line =
    `• ${emoji} *${apiValue(kindTitle(event))}* · ${apiValue(event.cluster)}` +
    ` · project ${apiValue(event.projectId)} · job ${apiValue(event.job.id)}`;
  return truncateText(line, MAX_LINE_CHARS);
}

function countByKind(events: readonly AlertEvent[]): string {
  return ALERT_KINDS.map((kind) => [kind, events.filter((e) => e.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(", ");
}

function compareForDigest(a: AlertEvent, b: AlertEvent): number {
  const severity = (event: AlertEvent) => (ALERT_SEVERITY[event.kind] === "critical" ? 0 : 1);
  return (
    severity(a) - severity(b) ||
    a.projectId.localeCompare(b.projectId) ||
    a.cluster.localeCompare(b.cluster) ||
    a.detectedAt.localeCompare(b.detectedAt) ||
    a.job.id.localeCompare(b.job.id)
  );
}
