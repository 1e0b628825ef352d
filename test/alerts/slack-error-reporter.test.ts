import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import type { SlackPermanentErrorReport } from "../../jobs/send-alert.ts";
import { SlackAlertSender } from "../../src/alerts/slack-alert-sender.ts";
import { SlackErrorReporter } from "../../src/alerts/slack-error-reporter.ts";
import { createLogger } from "../../src/logger.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";

const OPERATOR_CHANNEL = "#flexwatch-ops";

function report(overrides: Partial<SlackPermanentErrorReport> = {}): SlackPermanentErrorReport {
  return {
    code: "channel_not_found",
    channel: "#team-<!channel>",
    message: "Slack chat.postMessage to channel #team failed: channel_not_found",
    alertId: "alert-0123456789abcdef01234567-failed",
    projectId: "6512a0c1e4b0a1b2c3d4e5f6",
    cluster: "orders-flex",
    restoreJobId: "0123456789abcdef01234567",
    ...overrides,
  };
}

describe("SlackErrorReporter", () => {
  let slack: SlackMock;
  let redis: Redis;
  let keyPrefix: string;
  let reporter: SlackErrorReporter;

  before(async () => {
    slack = await startSlackMock();
    redis = connectTestRedis();
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    slack.reset();
  });

  after(async () => {
    await redis.quit();
    await slack.close();
  });

  function createReporter(repeatIntervalMs = 60_000): SlackErrorReporter {
    keyPrefix = uniqueKeyPrefix("slack-error");
    const logger = createLogger("silent");
    const metrics = new Metrics();
    const sender = new SlackAlertSender({
      token: slack.token,
      apiUrl: slack.url,
      requestTimeoutMs: 5000,
      metrics,
      logger,
    });
    return new SlackErrorReporter({
      redis,
      keyPrefix,
      sender,
      operatorChannel: OPERATOR_CHANNEL,
      repeatIntervalMs,
      metrics,
      logger,
    });
  }

  test("posts one operator message per error", async () => {
    reporter = createReporter();

    await reporter.report(report());
    await reporter.report(report());

    assert.equal(slack.messages.length, 1);
    assert.equal(slack.messages[0]?.channel, slack.channelId(OPERATOR_CHANNEL));
    assert.match(slack.messages[0]?.text ?? "", /channel_not_found/);
    assert.doesNotMatch(JSON.stringify(slack.messages[0]?.blocks), /<!channel>/);
  });

  test("posts again for another channel", async () => {
    reporter = createReporter();

    await reporter.report(report());
    await reporter.report(report({ channel: "#other-team" }));

    assert.equal(slack.messages.length, 2);
  });

  test("posts again after the repeat interval", async () => {
    reporter = createReporter(200);

    await reporter.report(report());
    await new Promise((resolve) => setTimeout(resolve, 300));
    await reporter.report(report());

    assert.equal(slack.messages.length, 2);
  });

  test("bot-wide errors are only logged", async () => {
    reporter = createReporter();

    await reporter.report(report({ code: "invalid_auth" }));
    await reporter.report(report({ channel: OPERATOR_CHANNEL }));

    assert.equal(slack.messages.length, 0);
  });

  test("failed post is tried again next time", async () => {
    reporter = createReporter();
    slack.failNext("chat.postMessage", { status: 500 });

    await assert.rejects(reporter.report(report()));
    await reporter.report(report());

    assert.equal(slack.messages.length, 1);
  });
});
