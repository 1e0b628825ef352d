import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildDigestMessage } from "../../src/alerts/digest-message.ts";
import type { SlackMessage } from "../../src/alerts/slack-blocks.ts";
import { buildAlertMessage } from "../../src/alerts/slack-message.ts";
import { buildThreadReply } from "../../src/alerts/thread-reply-message.ts";
import { alertEvent, restoreJobId } from "./alert-fixtures.ts";

/** Returns every mrkdwn text of the blocks, and the fallback text, which Slack also parses. */
function parsedTexts(message: SlackMessage): string[] {
  const found: string[] = [message.text];
  JSON.stringify(message.blocks, (_key, value) => {
    if (value?.type === "mrkdwn") found.push(value.text);
    return value;
  });
  return found;
}

for (const cluster of ["<!channel>", "<http://x|y>"]) {
  describe(`when a cluster is named ${cluster}`, () => {
    const event = alertEvent({ cluster }, { targetDeploymentItemName: cluster });
    const messages: [string, SlackMessage][] = [
      ["top-level message", buildAlertMessage(event, { mentions: ["U0ONCALL1"] })],
      ["thread reply", buildThreadReply(event)],
      [
        "digest",
        buildDigestMessage({
          events: Array.from({ length: 12 }, (_, i) => ({
            ...event,
            job: { ...event.job, id: restoreJobId(i) },
          })),
          sweepId: "sweep-1",
        }),
      ],
    ];

    for (const [name, message] of messages) {
      test(`${name} escapes it`, () => {
        const escaped = cluster.replaceAll("<", "&lt;").replaceAll(">", "&gt;");
        const texts = parsedTexts(message);

        assert.ok(
          texts.some((text) => text.includes(escaped)),
          `no ${escaped} in ${name}`,
        );
        for (const text of texts) {
          assert.ok(!text.includes(cluster), `raw ${cluster} in: ${text}`);
        }
      });
    }
  });
}
