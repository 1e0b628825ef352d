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

/** Origin of a test alert, shown in its context line. */
export interface TestAlertInput {
  /** Host that ran `flexwatch test-alert`. */
  hostname: string;
  /** When it was sent, epoch ms. @defaultValue `Date.now()` */
  nowMs?: number;
}

/**
 * Builds the message of `flexwatch test-alert`. Its header, text and fallback all label it as a
 * test, so that no reader takes it for a failed restore.
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
