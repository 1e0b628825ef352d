import {
  contextBlock,
  fallbackText,
  headerBlock,
  type SlackMessage,
  textSection,
} from "./slack-blocks.ts";
import { formatUtc, truncateText } from "./slack-text.ts";

const MAX_HOSTNAME_CHARS = 100;

/** Message metadata event type of a test alert, distinct from real restore alerts. */
export const TEST_ALERT_EVENT_TYPE = "flexwatch_test_alert";

/** What a test alert says about where it came from. */
export interface TestAlertInput {
  /** Host that ran `flexwatch test-alert`. */
  hostname: string;
  /** When it was sent, epoch ms. @defaultValue `Date.now()` */
  nowMs?: number;
}

/**
 * Builds the message of `flexwatch test-alert`: labelled as a test in its header, its text and
 * its fallback, so nobody mistakes it for a failed restore.
 */
export function buildTestAlertMessage(input: TestAlertInput): SlackMessage {
  const sentAt = formatUtc(new Date(input.nowMs ?? Date.now()).toISOString());
  const body =
    "*This is a test message. No restore job failed.*\n" +
    "It was sent with `flexwatch test-alert` to check that the bot token can post to this " +
    "channel. Restore alerts sent here will look like the examples in the flexwatch README.";

  return {
    text: fallbackText(
      "flexwatch test alert: no restore job failed; this checks the Slack token and channel",
    ),
    blocks: [
      headerBlock(":test_tube: TEST · flexwatch test alert"),
      textSection(body),
      contextBlock(`Sent ${sentAt} from host ${truncateText(input.hostname, MAX_HOSTNAME_CHARS)}`),
    ],
  };
}
