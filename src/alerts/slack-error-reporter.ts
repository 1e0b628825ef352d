import type { KnownBlock } from "@slack/types";
import type { Redis } from "ioredis";
import type { SlackPermanentErrorReport } from "../../jobs/send-alert.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { SlackAlertSender } from "./slack-alert-sender.ts";
import { escapeMrkdwn, truncateText } from "./slack-text.ts";

/**
 * Slack errors after which the bot cannot post to any channel, so an operator message on Slack
 * cannot arrive either: the log line and `flexwatch_slack_permanent_errors_total` must do.
 */
const BOT_WIDE_ERROR_CODES: ReadonlySet<string> = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "missing_scope",
]);

const MAX_MESSAGE_CHARS = 500;

export interface SlackErrorReporterOptions {
  redis: Redis;
  keyPrefix: string;
  sender: Pick<SlackAlertSender, "postMessage">;
  operatorChannel: string;
  /** A report of the same (code, channel) is posted again only after this long. */
  repeatIntervalMs: number;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Raises a permanent Slack error of a restore alert (a missing channel, a bot not invited) as an
 * operator message in the operator channel, once per (code, channel) and repeat interval across
 * all replicas. Errors that stop the bot everywhere, or that hit the operator channel itself,
 * are only logged.
 */
export class SlackErrorReporter {
  readonly #options: SlackErrorReporterOptions;

  constructor(options: SlackErrorReporterOptions) {
    this.#options = options;
  }

  async report(report: SlackPermanentErrorReport): Promise<void> {
    const { operatorChannel, logger } = this.#options;
    if (BOT_WIDE_ERROR_CODES.has(report.code) || report.channel === operatorChannel) {
      logger.error(
        { code: report.code, channel: report.channel },
        "slack error not posted to the operator channel: the bot cannot post there either",
      );
      return;
    }

    const key = `${this.#options.keyPrefix}:operator:slack-error:${report.code}:${report.channel ?? "unknown"}`;
    const claimed = await this.#options.redis.set(
      key,
      new Date().toISOString(),
      "PX",
      this.#options.repeatIntervalMs,
      "NX",
    );
    if (claimed === null) return;

    try {
      await this.#options.sender.postMessage({
        channel: operatorChannel,
        ...buildSlackErrorMessage(report),
      });
      this.#options.metrics.operatorAlerts.inc({ reason: "slack-rejected", outcome: "sent" });
    } catch (err) {
      // Free the claim so that the next report of this error tries again.
      await this.#options.redis.del(key);
      this.#options.metrics.operatorAlerts.inc({ reason: "slack-rejected", outcome: "error" });
      throw err;
    }
  }
}

/** Builds the operator message of a Slack error: which channel, which code, what to fix. */
export function buildSlackErrorMessage(report: SlackPermanentErrorReport): {
  text: string;
  blocks: KnownBlock[];
} {
  const channel = report.channel ?? "(unknown channel)";
  const text = `flexwatch cannot post restore alerts to ${channel}: Slack answered ${report.code}`;
  const action =
    "Invite the bot to the channel (`/invite @<bot>`), or correct `slack.channel` or `slack.routes[].channel` in the config. " +
    "Alerts for this channel are retried every 15 minutes until `alerts.deliveryTimeout` runs out.";
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: ":rotating_light: Slack rejects flexwatch's alerts",
        emoji: true,
      },
    },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Channel*\n${escapeMrkdwn(channel)}` },
        { type: "mrkdwn", text: `*Slack error*\n${escapeMrkdwn(report.code)}` },
        { type: "mrkdwn", text: `*Project*\n${escapeMrkdwn(report.projectId)}` },
        { type: "mrkdwn", text: `*Cluster*\n${escapeMrkdwn(report.cluster)}` },
      ],
    },
    {
      type: "section",
      text: { type: "mrkdwn", text: escapeMrkdwn(truncateText(report.message, MAX_MESSAGE_CHARS)) },
    },
    { type: "section", text: { type: "mrkdwn", text: `*What to do*\n${action}` } },
  ];
  return { text: escapeMrkdwn(text), blocks };
}
