import type {
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
} from "@slack/types";
import { escapeMrkdwn, truncateText } from "./slack-text.ts";

/**
 * Size limits of a Slack message. Slack's Block Kit reference limits header text to 150
 * characters, section text to 3000, a section to 10 fields of 2000 characters each, and a
 * message to 50 blocks. The fallback text is kept under 4000 characters so that notifications
 * stay short. A value from the API is cut to `valueChars` before escaping, and escaping grows it
 * at most fivefold (`&` to `&amp;`), so a labelled field stays under the field limit.
 */
export const SLACK_LIMITS = {
  headerChars: 150,
  sectionTextChars: 3000,
  fieldChars: 2000,
  fieldsPerSection: 10,
  blocks: 50,
  fallbackChars: 4000,
  valueChars: 200,
  contextChars: 300,
} as const;

/** Shown for a field the API left out. */
export const MISSING_VALUE = "—";

/** A Slack message: Block Kit blocks plus the plain-text fallback used in notifications. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Truncates, then escapes, one value from the API for a mrkdwn text. */
export function apiValue(text: string): string {
  return escapeMrkdwn(truncateText(text, SLACK_LIMITS.valueChars));
}

/** Builds a mrkdwn text object that Slack shows as written. */
export function mrkdwn(text: string): MrkdwnElement {
  // verbatim stops Slack from turning bare URLs and #channel names in a value into links.
  return { type: "mrkdwn", text, verbatim: true };
}

/** Builds a header block; its plain text is never parsed for mentions or links. */
export function headerBlock(text: string): HeaderBlock {
  return {
    type: "header",
    text: { type: "plain_text", text: truncateText(text, SLACK_LIMITS.headerChars), emoji: true },
  };
}

/** Builds a section of mrkdwn text, cut to Slack's section limit. */
export function textSection(text: string): SectionBlock {
  return { type: "section", text: mrkdwn(truncateText(text, SLACK_LIMITS.sectionTextChars)) };
}

/** Builds a section of labelled fields; each raw value is truncated and escaped here. */
export function fieldsSection(fields: readonly (readonly [string, string])[]): SectionBlock {
  return {
    type: "section",
    fields: fields
      .slice(0, SLACK_LIMITS.fieldsPerSection)
      .map(([label, text]) =>
        mrkdwn(truncateText(`*${label}*\n${apiValue(text)}`, SLACK_LIMITS.fieldChars)),
      ),
  };
}

/** Builds a context block of one plain-text element. */
export function contextBlock(text: string): ContextBlock {
  return {
    type: "context",
    elements: [
      { type: "plain_text", text: truncateText(text, SLACK_LIMITS.contextChars), emoji: false },
    ],
  };
}

/** Cuts a fallback text to the notification limit. */
export function fallbackText(text: string): string {
  return truncateText(text, SLACK_LIMITS.fallbackChars);
}
