import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AlertEvent } from "../src/alerts/alert-event.ts";
import { buildDigestMessage } from "../src/alerts/digest-message.ts";
import { buildOperatorAlertMessage } from "../src/alerts/operator-message.ts";
import type { SlackMessage } from "../src/alerts/slack-blocks.ts";
import { buildSlackErrorMessage } from "../src/alerts/slack-error-reporter.ts";
import { buildAlertMessage } from "../src/alerts/slack-message.ts";
import { buildTestAlertMessage } from "../src/alerts/test-alert-message.ts";
import { buildThreadReply } from "../src/alerts/thread-reply-message.ts";

/**
 * Writes docs/message-examples.md: every kind of Slack message flexwatch posts, built by the
 * real message builders from fixed example data, as Block Kit JSON with its fallback text.
 * Run it after changing a builder: `node --import tsx scripts/render-message-examples.ts`.
 */
const OUTPUT = resolve("docs/message-examples.md");
const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
/** The clock of every example: 09:00 UTC, some minutes after the example events. */
const NOW_MS = Date.parse("2026-08-10T09:00:00Z");
const LINKS = { runbookUrl: "https://wiki.example.com/runbooks/flex-restore" };

interface Example {
  title: string;
  description: string;
  message: SlackMessage;
}

function restoreEvent(
  kind: AlertEvent["kind"],
  status: string,
  jobId = "66b7d1c2e4a5f6a7b8c9d0e1",
) {
  const finished = status === "FAILED" || status === "COMPLETED";
  const event: AlertEvent = {
    kind,
    projectId: PROJECT_ID,
    cluster: "orders-flex",
    previousStatus: "RUNNING",
    job: {
      id: jobId,
      status,
      deliveryType: "RESTORE",
      snapshotId: "66b7d1c2e4a5f6a7b8c9d0ff",
      snapshotFinishedDate: "2026-08-10T01:00:00Z",
      restoreScheduledDate: "2026-08-10T06:40:00Z",
      restoreFinishedDate: finished ? "2026-08-10T08:55:00Z" : undefined,
      expirationDate: "2026-08-10T09:40:00Z",
      targetDeploymentItemName: "orders-copy",
    },
    detectedAt: "2026-08-10T08:56:00Z",
  };
  return event;
}

function examples(): Example[] {
  const root = (kind: AlertEvent["kind"], status: string, mentions: string[] = []) =>
    buildAlertMessage(restoreEvent(kind, status), { ...LINKS, nowMs: NOW_MS, mentions });
  const digestEvents = Array.from({ length: 25 }, (_, index) => ({
    ...restoreEvent(
      "failed",
      "FAILED",
      `66b7d1c2e4a5f6a7b8c9${index.toString(16).padStart(4, "0")}`,
    ),
    cluster: `tenant-${index + 1}-flex`,
  }));

  return [
    {
      title: "failed",
      description:
        "A restore job turned `FAILED`; critical, so the route's mentions lead the text.",
      message: root("failed", "FAILED", ["S0614TZR7"]),
    },
    {
      title: "expired",
      description: "A restore job passed its `expirationDate` while still in flight; critical.",
      message: buildAlertMessage(
        {
          ...restoreEvent("expired", "RUNNING"),
          job: {
            ...restoreEvent("expired", "RUNNING").job,
            expirationDate: "2026-08-10T08:50:00Z",
          },
        },
        { ...LINKS, nowMs: NOW_MS, mentions: ["S0614TZR7"] },
      ),
    },
    {
      title: "expiring",
      description:
        "A restore job in flight is close to its `expirationDate`; a warning, without mentions.",
      message: root("expiring", "RUNNING"),
    },
    {
      title: "stuck",
      description: "A restore job is still in flight long after it was scheduled; a warning.",
      message: root("stuck", "RUNNING"),
    },
    {
      title: "unknown-status",
      description: "Atlas reported a status outside the documented enum; a warning, once per job.",
      message: root("unknown-status", "CLOSED"),
    },
    {
      title: "recovered",
      description:
        "A job that had a warning completed. Posted on its own only when the warning's message is gone; normally it is a thread reply.",
      message: root("recovered", "COMPLETED"),
    },
    {
      title: "thread reply",
      description:
        "A later alert of a restore job that already has a message: here `recovered` after `stuck`, posted in the thread of the `stuck` message.",
      message: buildThreadReply(restoreEvent("recovered", "COMPLETED"), { nowMs: NOW_MS }),
    },
    {
      title: "updated top-level message",
      description:
        "The `stuck` message after the `recovered` reply: `chat.update` rewrites it to show the job's current state and names the earlier alerts.",
      message: buildAlertMessage(restoreEvent("recovered", "COMPLETED"), {
        ...LINKS,
        nowMs: NOW_MS,
        earlierKinds: ["stuck"],
      }),
    },
    {
      title: "digest",
      description:
        "One sweep found more than `alerts.digestThreshold` alerts for one channel (here 25), so one message lists them.",
      message: buildDigestMessage({
        events: digestEvents,
        sweepId: "sweep-1786352400000",
        mentions: ["S0614TZR7"],
        nowMs: NOW_MS,
      }),
    },
    {
      title: "operator alert",
      description:
        "flexwatch itself cannot watch some restore jobs; it goes to `slack.operatorChannel`.",
      message: buildOperatorAlertMessage(
        { scope: "cluster", projectId: PROJECT_ID, cluster: "orders-flex" },
        {
          failures: 3,
          since: "2026-08-10T08:45:00Z",
          lastFailureAt: "2026-08-10T08:55:00Z",
          reason: "cluster-poll-failed",
          source: "poll",
          errorCode: "CLUSTER_NOT_FOUND",
          httpStatus: 404,
          message:
            "Atlas GET .../flexClusters/orders-flex/backup/restoreJobs failed: 404 CLUSTER_NOT_FOUND",
          pendingJobId: undefined,
          posted: undefined,
        },
        { repeatIntervalMs: 4 * 3_600_000 },
      ),
    },
    {
      title: "Slack channel rejected",
      description:
        "Slack rejected a restore alert's channel for good; an operator message in `slack.operatorChannel`.",
      message: buildSlackErrorMessage({
        code: "not_in_channel",
        channel: "#orders-oncall",
        message:
          "Slack chat.postMessage to channel #orders-oncall failed: not_in_channel; invite the Slack app to the channel",
        alertId: "alert-66b7d1c2e4a5f6a7b8c9d0e1-failed",
        projectId: PROJECT_ID,
        cluster: "orders-flex",
        restoreJobId: "66b7d1c2e4a5f6a7b8c9d0e1",
      }),
    },
    {
      title: "test alert",
      description: "Posted by `flexwatch test-alert` to check the bot token and the channel.",
      message: buildTestAlertMessage({ hostname: "flexwatch-7d9c5b-x2x4q", nowMs: NOW_MS }),
    },
  ];
}

function render(): string {
  const sections = examples().map(
    (example) =>
      `## ${example.title}\n\n${example.description}\n\nFallback text (notifications): ` +
      `\`${example.message.text.replaceAll("`", "'")}\`\n\n` +
      `\`\`\`json\n${JSON.stringify(example.message.blocks, null, 2)}\n\`\`\`\n`,
  );
  return [
    "# Slack message examples",
    "",
    "Every kind of message flexwatch posts, as the Block Kit JSON the builders in `src/alerts/`",
    "produce from fixed example data (times relative to 2026-08-10 09:00 UTC). Generated by",
    "`node --import tsx scripts/render-message-examples.ts`; do not edit by hand. Paste a",
    "`blocks` array into Slack's Block Kit Builder to see it rendered.",
    "",
    ...sections,
  ].join("\n");
}

writeFileSync(OUTPUT, render());
process.stdout.write(`wrote ${OUTPUT}\n`);
