import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildThreadReply } from "../../src/alerts/thread-reply-message.ts";
import { alertEvent, restoreJobId } from "./alert-fixtures.ts";

const NOW_MS = Date.parse("2026-08-10T03:09:00Z");

describe("buildThreadReply", () => {
  const event = alertEvent(
    { kind: "recovered", previousStatus: "RUNNING" },
    { status: "COMPLETED" },
  );

  test("reply states the new state and sentence", () => {
    const { blocks } = buildThreadReply(event, { nowMs: NOW_MS });

    assert.deepEqual(
      blocks.map((block) => block.type),
      ["section", "section", "context"],
    );
    const first = blocks[0];
    assert.equal(
      first?.type === "section" ? first.text?.text : undefined,
      ":white_check_mark: *Restore COMPLETED*: A restore of flex cluster *orders-flex* in project 32b6e34b3d91647abb20e7b8 completed after an earlier warning.",
    );
  });

  test("reply fields show status change and times", () => {
    const { blocks } = buildThreadReply(event, { nowMs: NOW_MS });
    const fields = blocks[1]?.type === "section" ? blocks[1].fields?.map((f) => f.text) : [];

    assert.deepEqual(fields, [
      "*Status*\nRUNNING → COMPLETED",
      "*Finished*\n2026-08-10 03:05:10 UTC (4 min ago)",
      "*Expires*\n2026-08-10 09:03:29 UTC (in 6 h)",
      "*Detected*\n2026-08-10 03:06:00 UTC (3 min ago)",
    ]);
    assert.match(JSON.stringify(blocks[2]), new RegExp(`alert-${restoreJobId(1)}-recovered`));
  });

  test("critical reply mentions the route's people", () => {
    const failed = alertEvent();
    const { text, blocks } = buildThreadReply(failed, { nowMs: NOW_MS, mentions: ["U0ONCALL1"] });

    assert.match(JSON.stringify(blocks[0]), /"<@U0ONCALL1>\\n:red_circle: \*Restore FAILED\*/);
    assert.match(text, /^<@U0ONCALL1> Restore FAILED: restore job /);
  });
});
