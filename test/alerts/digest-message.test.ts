import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KnownBlock } from "@slack/types";
import { buildDigestMessage, MAX_DIGEST_LINES } from "../../src/alerts/digest-message.ts";
import { alertEvent, restoreJobId } from "./alert-fixtures.ts";

const NOW_MS = Date.parse("2026-08-10T03:09:00Z");

function sectionTexts(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.type === "section" && block.text !== undefined ? [block.text.text] : [],
  );
}

function failures(count: number) {
  return Array.from({ length: count }, (_, index) =>
    alertEvent({ cluster: `orders-${index}` }, { id: restoreJobId(index) }),
  );
}

describe("buildDigestMessage", () => {
  test("digest of 25 lists 20 and counts the rest", () => {
    const message = buildDigestMessage({ events: failures(25), sweepId: "sweep-1", nowMs: NOW_MS });
    const lines = sectionTexts(message.blocks).join("\n").split("\n");

    assert.equal(message.blocks[0]?.type, "header");
    assert.match(
      JSON.stringify(message.blocks[0]),
      /:rotating_light: 25 restore alerts in one sweep/,
    );
    assert.equal(lines.filter((line) => line.startsWith("• ")).length, MAX_DIGEST_LINES);
    assert.ok(lines.includes("…and 5 more, listed in the flexwatch logs."));
    assert.equal(message.text, "25 restore alerts in one sweep: 25 failed");
  });

  test("digest counts kinds and lists critical first", () => {
    const events = [
      alertEvent({ kind: "stuck", cluster: "a-flex" }, { id: restoreJobId(1), status: "RUNNING" }),
      alertEvent({ cluster: "b-flex" }, { id: restoreJobId(2) }),
    ];
    const message = buildDigestMessage({ events, sweepId: "sweep-1", nowMs: NOW_MS });
    const [intro, list] = sectionTexts(message.blocks);

    assert.match(intro ?? "", /\(1 failed, 1 stuck\)/);
    assert.match(
      list ?? "",
      /^• :red_circle: \*Restore FAILED\* · b-flex .*\n• :turtle: \*Restore stuck\* · a-flex/,
    );
  });

  test("digest mentions lead intro and fallback", () => {
    const message = buildDigestMessage({
      events: failures(11),
      sweepId: "sweep-1",
      mentions: ["U0ONCALL1", "U0ONCALL1"],
    });

    assert.match(sectionTexts(message.blocks)[0] ?? "", /^<@U0ONCALL1>\nflexwatch found 11/);
    assert.match(message.text, /^<@U0ONCALL1> 11 restore alerts/);
  });

  test("digest keeps Slack's limits with long names", () => {
    const events = Array.from({ length: 60 }, (_, index) =>
      alertEvent({ cluster: "&".repeat(500) }, { id: restoreJobId(index) }),
    );
    const message = buildDigestMessage({ events, sweepId: "sweep-1" });

    assert.ok(message.blocks.length <= 50);
    for (const text of sectionTexts(message.blocks))
      assert.ok(text.length <= 3000, `${text.length}`);
    assert.ok(message.text.length <= 4000);
  });
});
