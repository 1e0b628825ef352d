import { type AlertEvent, alertJobId } from "./alert-event.ts";
import {
  formatUtcWithRelative,
  KIND_PRESENTATION,
  kindTitle,
  summarySentence,
} from "./alert-presentation.ts";
import { statusChange } from "./restore-job-fields.ts";
import {
  apiValue,
  contextBlock,
  fieldsSection,
  MISSING_VALUE,
  type SlackMessage,
  textSection,
} from "./slack-blocks.ts";
import { formatMentions } from "./slack-mentions.ts";
import { alertFallbackText } from "./slack-message.ts";

/** Options of `buildThreadReply`. */
export interface ThreadReplyOptions {
  /** User or group ids to mention; mentions in a thread notify those people. */
  mentions?: readonly string[];
  /** The clock that relative times are computed from, epoch ms. @defaultValue `Date.now()` */
  nowMs?: number;
}

/**
 * Builds the thread reply of a later event of a restore job that already has a top-level
 * message: the new state, a sentence, the status change and times, and the alert id. API values
 * are escaped as in the top-level message.
 */
export function buildThreadReply(
  event: AlertEvent,
  options: ThreadReplyOptions = {},
): SlackMessage {
  const nowMs = options.nowMs ?? Date.now();
  const mentions = formatMentions(options.mentions ?? []);
  const { emoji } = KIND_PRESENTATION[event.kind];
  const headline = `${emoji} *${apiValue(kindTitle(event))}*: ${summarySentence(event, nowMs)}`;
  const time = (date: string | undefined, absent: string) =>
    date === undefined ? absent : formatUtcWithRelative(date, nowMs);

  return {
    text: alertFallbackText(event, mentions),
    blocks: [
      textSection(mentions === "" ? headline : `${mentions}\n${headline}`),
      fieldsSection([
        ["Status", statusChange(event)],
        ["Finished", time(event.job.restoreFinishedDate, "not finished")],
        ["Expires", time(event.job.expirationDate, MISSING_VALUE)],
        ["Detected", time(event.detectedAt, MISSING_VALUE)],
      ]),
      contextBlock(alertJobId(event)),
    ],
  };
}
