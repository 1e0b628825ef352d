import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KnownBlock } from "@slack/types";
import type { AlertEvent } from "../../src/alerts/alert-event.ts";
import { buildAlertMessage } from "../../src/alerts/slack-message.ts";
import type { RestoreJob } from "../../src/atlas/restore-job.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const JOB_ID = "66b7d1c2e4a5f6a7b8c9d0e1";
/** The clock of every message: 3 minutes after the alert was detected. */
const NOW_MS = Date.parse("2026-08-10T03:09:00Z");

function restoreJob(overrides: Partial<RestoreJob> = {}): RestoreJob {
  return {
    id: JOB_ID,
    status: "FAILED",
    deliveryType: "RESTORE",
    instanceName: "orders-flex",
    projectId: PROJECT_ID,
    snapshotId: "66b7d1c2e4a5f6a7b8c9d0ff",
    snapshotFinishedDate: "2026-08-10T01:00:00Z",
    restoreScheduledDate: "2026-08-10T03:03:29Z",
    restoreFinishedDate: "2026-08-10T03:05:10Z",
    expirationDate: "2026-08-10T09:03:29Z",
    targetDeploymentItemName: "orders-copy",
    ...overrides,
  };
}

function alertEvent(overrides: Partial<AlertEvent> = {}, job: Partial<RestoreJob> = {}) {
  const event: AlertEvent = {
    kind: "failed",
    projectId: PROJECT_ID,
    cluster: "orders-flex",
    previousStatus: "RUNNING",
    job: restoreJob(job),
    detectedAt: "2026-08-10T03:06:00.123Z",
    ...overrides,
  };
  return event;
}

function headerText(blocks: KnownBlock[]): string {
  const header = blocks[0];
  assert.equal(header?.type, "header");
  return header.type === "header" ? header.text.text : "";
}

/** Returns every field text of the section blocks, in order. */
function fieldTexts(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.type === "section" ? (block.fields ?? []).map((field) => field.text) : [],
  );
}

function summaryText(blocks: KnownBlock[]): string {
  const summary = blocks[1];
  return summary?.type === "section" && summary.text !== undefined ? summary.text.text : "";
}

/** Returns every text object of type mrkdwn anywhere in the blocks. */
function mrkdwnObjects(blocks: KnownBlock[]): { text: string; verbatim?: boolean }[] {
  const found: { text: string; verbatim?: boolean }[] = [];
  JSON.stringify(blocks, (_key, value) => {
    if (value?.type === "mrkdwn") found.push(value);
    return value;
  });
  return found;
}

describe("buildAlertMessage", () => {
  test("failed alert has header, fields and context", () => {
    const { blocks } = buildAlertMessage(alertEvent(), { nowMs: NOW_MS });

    assert.deepEqual(
      blocks.map((block) => block.type),
      ["header", "section", "section", "section", "context"],
    );
    assert.equal(headerText(blocks), ":red_circle: Critical · Restore FAILED: orders-flex");
    assert.deepEqual(fieldTexts(blocks), [
      `*Project*\n${PROJECT_ID}`,
      "*Cluster*\norders-flex",
      `*Restore job*\n${JOB_ID}`,
      "*Status*\nRUNNING → FAILED",
      "*Delivery type*\nRESTORE",
      "*Target*\norders-copy (same project)",
      "*Snapshot*\n66b7d1c2e4a5f6a7b8c9d0ff",
      "*Scheduled*\n2026-08-10 03:03:29 UTC (6 min ago)",
      "*Finished*\n2026-08-10 03:05:10 UTC (4 min ago)",
      "*Expires*\n2026-08-10 09:03:29 UTC (in 6 h)",
      "*Snapshot taken*\n2026-08-10 01:00:00 UTC (2 h ago)",
    ]);
    const context = blocks[4];
    assert.equal(context?.type, "context");
    assert.deepEqual(context.type === "context" ? context.elements : [], [
      {
        type: "plain_text",
        text: `Severity critical · detected 2026-08-10 03:06:00 UTC · alert-${JOB_ID}-failed`,
        emoji: false,
      },
    ]);
  });

  test("failed alert links to the project's clusters", () => {
    const { blocks } = buildAlertMessage(alertEvent(), { nowMs: NOW_MS });

    assert.equal(
      summaryText(blocks),
      `A restore of flex cluster *orders-flex* in project ${PROJECT_ID} failed.\n` +
        `<https://cloud.mongodb.com/v2/${PROJECT_ID}#/clusters|Open the project's clusters in Atlas>`,
    );
  });

  test("link uses the configured Atlas UI origin", () => {
    const { blocks } = buildAlertMessage(alertEvent(), {
      atlasUiBaseUrl: "http://127.0.0.1:8080/",
      nowMs: NOW_MS,
    });

    assert.match(
      summaryText(blocks),
      /<http:\/\/127\.0\.0\.1:8080\/v2\/32b6e34b3d91647abb20e7b8#\/clusters\|/,
    );
  });

  test("malformed project id gets no link", () => {
    const { blocks } = buildAlertMessage(alertEvent({ projectId: "not-a-project" }));

    assert.doesNotMatch(summaryText(blocks), /<http/);
  });

  test("fallback text names project, cluster, job and status", () => {
    const { text } = buildAlertMessage(alertEvent(), { nowMs: NOW_MS });

    assert.equal(
      text,
      `Restore FAILED: restore job ${JOB_ID} of flex cluster orders-flex in project ${PROJECT_ID}, status RUNNING → FAILED`,
    );
  });

  test("expired alert names the status it expired in", () => {
    const event = alertEvent(
      { kind: "expired", previousStatus: "RUNNING" },
      { status: "RUNNING", restoreFinishedDate: undefined },
    );
    const { text, blocks } = buildAlertMessage(event, { nowMs: NOW_MS });

    assert.equal(headerText(blocks), ":hourglass: Critical · Restore EXPIRED: orders-flex");
    assert.match(summaryText(blocks), /passed its expiry time while still RUNNING\./);
    assert.ok(fieldTexts(blocks).includes("*Status*\nRUNNING (unchanged)"));
    assert.ok(fieldTexts(blocks).includes("*Finished*\nnot finished"));
    assert.match(text, /^Restore EXPIRED: /);
  });

  test("unknown status alert is a warning naming the status", () => {
    const event = alertEvent(
      { kind: "unknown-status", previousStatus: undefined },
      { status: "CLOSED" },
    );
    const { text, blocks } = buildAlertMessage(event, { nowMs: NOW_MS });

    assert.equal(
      headerText(blocks),
      ":grey_question: Warning · Unknown restore status CLOSED: orders-flex",
    );
    assert.match(summaryText(blocks), /Atlas reported status CLOSED, which is not a documented/);
    assert.ok(fieldTexts(blocks).includes("*Status*\nCLOSED (first seen)"));
    assert.match(JSON.stringify(blocks[4]), /Severity warning/);
    assert.match(text, /^Unknown restore status: /);
  });

  test("target in another project names that project", () => {
    const otherProject = "5f0e9d8c7b6a5f4e3d2c1b0a";
    const { blocks } = buildAlertMessage(alertEvent({}, { targetProjectId: otherProject }));

    assert.ok(fieldTexts(blocks).includes(`*Target*\norders-copy in project ${otherProject}`));
  });

  test("missing optional fields show a dash", () => {
    const event = alertEvent(
      {},
      {
        deliveryType: undefined,
        snapshotId: undefined,
        targetDeploymentItemName: undefined,
        restoreScheduledDate: undefined,
        expirationDate: undefined,
        snapshotFinishedDate: undefined,
      },
    );
    const fields = fieldTexts(buildAlertMessage(event).blocks);

    for (const label of ["Delivery type", "Target", "Snapshot", "Scheduled", "Expires"]) {
      assert.ok(fields.includes(`*${label}*\n—`), label);
    }
  });

  describe("when names carry Slack markup", () => {
    const event = alertEvent(
      { cluster: "<!channel>" },
      { targetDeploymentItemName: "<http://x|y>", status: "<!here>", id: "a&b" },
    );
    const message = buildAlertMessage(event);

    test("mrkdwn texts escape mentions and links", () => {
      const texts = mrkdwnObjects(message.blocks).map((object) => object.text);

      assert.ok(texts.includes("*Cluster*\n&lt;!channel&gt;"));
      assert.ok(texts.includes("*Target*\n&lt;http://x|y&gt; (same project)"));
      assert.ok(texts.includes("*Restore job*\na&amp;b"));
      for (const text of texts) {
        assert.doesNotMatch(text, /<!channel>|<!here>|<http:\/\/x/);
      }
    });

    test("fallback text escapes mentions", () => {
      assert.doesNotMatch(message.text, /<!channel>|<!here>/);
      assert.match(message.text, /flex cluster &lt;!channel&gt; in project/);
    });

    test("mrkdwn texts are verbatim", () => {
      for (const object of mrkdwnObjects(message.blocks)) assert.equal(object.verbatim, true);
    });

    test("header keeps the name as plain text", () => {
      const header = message.blocks[0];
      assert.equal(header?.type === "header" && header.text.type, "plain_text");
      assert.equal(
        headerText(message.blocks),
        ":red_circle: Critical · Restore FAILED: <!channel>",
      );
    });
  });

  describe("when values are long", () => {
    const longName = "n".repeat(1000);
    const ampersands = "&".repeat(1000);
    const event = alertEvent(
      { kind: "unknown-status", cluster: longName },
      { status: "S".repeat(5000), targetDeploymentItemName: ampersands },
    );
    const message = buildAlertMessage(event);

    test("header stays within 150 characters", () => {
      const header = headerText(message.blocks);
      assert.equal(Array.from(header).length, 150);
      assert.ok(header.endsWith("…"));
    });

    test("fields stay within 2000 characters", () => {
      const target = fieldTexts(message.blocks).find((text) => text.startsWith("*Target*"));
      assert.ok(target?.endsWith("…"));
      for (const text of fieldTexts(message.blocks)) assert.ok(text.length <= 2000, text);
    });

    test("truncation never splits an entity", () => {
      const target = fieldTexts(message.blocks).find((text) => text.startsWith("*Target*")) ?? "";
      assert.match(target, /^\*Target\*\n(&amp;)+…$/);
    });

    test("other Slack limits are kept", () => {
      assert.ok(summaryText(message.blocks).length <= 3000);
      assert.ok(message.text.length <= 4000);
      assert.ok(message.blocks.length <= 50);
      assert.match(summaryText(message.blocks), /\n<https:\/\/cloud\.mongodb\.com\/v2\//);
    });
  });

  test("times are shown in UTC", () => {
    const event = alertEvent(
      { detectedAt: "2026-08-10T05:06:00+02:00" },
      { restoreScheduledDate: "2026-08-10T05:03:29+02:00", expirationDate: "not a date" },
    );
    const { blocks } = buildAlertMessage(event, { nowMs: NOW_MS });

    assert.ok(fieldTexts(blocks).includes("*Scheduled*\n2026-08-10 03:03:29 UTC (6 min ago)"));
    assert.ok(fieldTexts(blocks).includes("*Expires*\nnot a date"));
    assert.match(JSON.stringify(blocks[4]), /detected 2026-08-10 03:06:00 UTC/);
  });

  test("snapshotUrl is never included", () => {
    const snapshotUrl = "https://restore.example.invalid/snapshot.tar.gz?signature=s3cr3t";
    const job = { ...restoreJob({ deliveryType: "DOWNLOAD" }), snapshotUrl } as RestoreJob;
    const message = buildAlertMessage(alertEvent({ job }));

    const serialized = JSON.stringify(message);
    assert.ok(!serialized.includes(snapshotUrl));
    assert.ok(!serialized.includes("s3cr3t"));
  });
});

describe("buildAlertMessage kinds and options", () => {
  test("expiring alert says when it expires", () => {
    const event = alertEvent(
      { kind: "expiring", previousStatus: "RUNNING" },
      { status: "RUNNING", restoreFinishedDate: undefined, expirationDate: "2026-08-10T04:09:00Z" },
    );
    const { blocks } = buildAlertMessage(event, { nowMs: NOW_MS });

    assert.equal(
      headerText(blocks),
      ":hourglass_flowing_sand: Warning · Restore expiring soon: orders-flex",
    );
    assert.match(
      summaryText(blocks),
      /is still RUNNING and expires in 1 h \(2026-08-10 04:09:00 UTC\)\./,
    );
  });

  test("stuck alert says when it was scheduled", () => {
    const event = alertEvent(
      { kind: "stuck", previousStatus: "RUNNING" },
      {
        status: "RUNNING",
        restoreFinishedDate: undefined,
        restoreScheduledDate: "2026-08-10T01:09:00Z",
      },
    );
    const { blocks } = buildAlertMessage(event, { nowMs: NOW_MS });

    assert.equal(headerText(blocks), ":turtle: Warning · Restore stuck: orders-flex");
    assert.match(summaryText(blocks), /is still RUNNING; it was scheduled 2 h ago/);
  });

  test("recovered alert reads as resolved", () => {
    const event = alertEvent({ kind: "recovered" }, { status: "COMPLETED" });
    const { text, blocks } = buildAlertMessage(event, { nowMs: NOW_MS });

    assert.equal(
      headerText(blocks),
      ":white_check_mark: Resolved · Restore COMPLETED: orders-flex",
    );
    assert.match(summaryText(blocks), /completed after an earlier warning\./);
    assert.match(text, /^Restore COMPLETED: /);
  });

  test("mentions lead the summary and the fallback", () => {
    const { text, blocks } = buildAlertMessage(alertEvent(), {
      nowMs: NOW_MS,
      mentions: ["U0ONCALL1", "S0DBTEAM1"],
    });

    assert.match(summaryText(blocks), /^<@U0ONCALL1> <!subteam\^S0DBTEAM1>\nA restore of/);
    assert.match(text, /^<@U0ONCALL1> <!subteam\^S0DBTEAM1> Restore FAILED: /);
  });

  test("mention ids that are not ids are dropped", () => {
    const { text, blocks } = buildAlertMessage(alertEvent(), {
      nowMs: NOW_MS,
      mentions: ["!channel", "here", "<http://x|y>"],
    });

    assert.doesNotMatch(summaryText(blocks), /<!channel>|<!here>|<http:\/\/x/);
    assert.match(text, /^Restore FAILED: /);
  });

  test("runbook link follows the Atlas link", () => {
    const { blocks } = buildAlertMessage(alertEvent(), {
      nowMs: NOW_MS,
      runbookUrl: "https://wiki.example.com/runbooks/flex-restore?a=1&b=2",
    });

    assert.match(
      summaryText(blocks),
      /\|Open the project's clusters in Atlas> · <https:\/\/wiki\.example\.com\/runbooks\/flex-restore\?a=1&amp;b=2\|Runbook>$/,
    );
  });

  test("runbook URL that would break the link is left out", () => {
    const { blocks } = buildAlertMessage(alertEvent(), {
      nowMs: NOW_MS,
      runbookUrl: "https://wiki.example.com/x|<!channel>",
    });

    assert.doesNotMatch(summaryText(blocks), /Runbook|<!channel>/);
  });

  test("updated message names the earlier kinds", () => {
    const event = alertEvent({ kind: "recovered" }, { status: "COMPLETED" });
    const { blocks } = buildAlertMessage(event, { nowMs: NOW_MS, earlierKinds: ["stuck"] });

    assert.match(JSON.stringify(blocks.at(-1)), /earlier: stuck; details in the thread/);
  });
});
