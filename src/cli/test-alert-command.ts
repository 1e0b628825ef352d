import { hostname } from "node:os";
import { SlackAlertSender } from "../alerts/slack-alert-sender.ts";
import { SlackDeliveryError } from "../alerts/slack-delivery-error.ts";
import { buildTestAlertMessage, TEST_ALERT_EVENT_TYPE } from "../alerts/test-alert-message.ts";
import type { Config } from "../config/config.ts";
import { ConfigError } from "../config/config-error.ts";
import { createLogger } from "../logger.ts";
import { Metrics } from "../metrics/metrics.ts";
import { EXIT_CODES } from "./exit-codes.ts";

/** Options of `runTestAlert`. */
export interface TestAlertOptions {
  /** Channel name or id to post to. @defaultValue `slack.channel` */
  channel?: string;
}

/**
 * Posts a message labelled as a test through the same Slack sender that restore alerts use,
 * and prints where it went. It needs neither Redis nor Atlas, so it can check the bot token and
 * the channel before the first real alert does. Returns exit code 0 when Slack accepted the
 * message and 1 when it did not; the error message names what to fix.
 * @throws ConfigError when Slack is turned off, `SLACK_BOT_TOKEN` is not set or `--channel` is
 * empty.
 */
export async function runTestAlert(config: Config, options: TestAlertOptions): Promise<number> {
  const token = slackToken(config);
  const channel = testChannel(config, options.channel);
  // Warnings go to stderr, so stdout holds only the result line.
  const logger = createLogger("warn", "stderr");
  const sender = new SlackAlertSender({
    token,
    apiUrl: config.slack.apiUrl,
    requestTimeoutMs: config.slack.requestTimeoutMs,
    metrics: new Metrics(),
    logger,
  });
  const message = buildTestAlertMessage({ hostname: hostname() });

  try {
    const posted = await sender.postMessage({
      channel,
      ...message,
      alertId: `test-${Date.now()}`,
      eventType: TEST_ALERT_EVENT_TYPE,
    });
    process.stdout.write(`posted a test alert to channel ${posted.channel} (ts ${posted.ts})\n`);
    return EXIT_CODES.ok;
  } catch (err) {
    if (!(err instanceof SlackDeliveryError)) throw err;
    process.stderr.write(`flexwatch: test alert not posted: ${err.message}\n`);
    return EXIT_CODES.failed;
  }
}

function slackToken(config: Config): string {
  if (!config.slack.enabled) {
    throw new ConfigError([
      {
        path: "slack.enabled",
        value: false,
        message: "turns Slack off, so there is nothing to test",
        fix: "remove slack.enabled: false from the config file",
      },
    ]);
  }
  if (config.slack.token === undefined) {
    throw new ConfigError([
      {
        path: "SLACK_BOT_TOKEN",
        value: undefined,
        message: "is not set",
        fix: "set it to a bot token with the chat:write scope",
      },
    ]);
  }
  return config.slack.token;
}

function testChannel(config: Config, option: string | undefined): string {
  if (option === undefined) return config.slack.channel;
  if (option.trim() === "") {
    throw new ConfigError([
      {
        path: "--channel",
        value: option,
        message: "must name a channel",
        fix: 'pass a channel id such as C0123456789 or a name such as "#atlas-restores"',
      },
    ]);
  }
  return option;
}
