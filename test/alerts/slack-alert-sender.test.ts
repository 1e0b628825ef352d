import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { pino } from "pino";
import { SlackAlertSender } from "../../src/alerts/slack-alert-sender.ts";
import { SlackDeliveryError } from "../../src/alerts/slack-delivery-error.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";

const REQUEST_TIMEOUT_MS = 2000;
const MESSAGE = {
  text: "Restore FAILED",
  blocks: [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "x" } }],
};

interface Harness {
  sender: SlackAlertSender;
  metrics: Metrics;
  logLines: string[];
}

function createSender(
  mock: SlackMock,
  options: { token?: string; requestTimeoutMs?: number } = {},
): Harness {
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
  const metrics = new Metrics();
  const sender = new SlackAlertSender({
    token: options.token ?? mock.token,
    apiUrl: mock.url,
    requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    metrics,
    logger,
  });
  return { sender, metrics, logLines };
}

async function requestCount(metrics: Metrics, method: string, outcome: string) {
  const { values } = await metrics.slackRequests.get();
  const match = values.find((v) => v.labels.method === method && v.labels.outcome === outcome);
  return match?.value ?? 0;
}

async function deliveryError(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const err = await promise.then(
    () => assert.fail("resolved, expected a SlackDeliveryError"),
    (error: unknown) => error,
  );
  assert.ok(err instanceof SlackDeliveryError, `not a SlackDeliveryError: ${err}`);
  return err;
}

describe("SlackAlertSender", () => {
  let mock: SlackMock;
  let channel: string;

  before(async () => {
    mock = await startSlackMock();
    channel = mock.channelId("atlas-restores");
  });
  after(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.reset();
  });

  test("postMessage posts with alert metadata", async () => {
    const { sender, metrics } = createSender(mock);

    const posted = await sender.postMessage({
      channel: "#atlas-restores",
      ...MESSAGE,
      alertId: "alert-1-failed",
    });

    assert.equal(posted.channel, channel);
    assert.equal(posted.ts, mock.messages[0]?.ts);
    assert.deepEqual(mock.messages[0]?.metadata, {
      event_type: "flexwatch_restore_alert",
      event_payload: { alert_id: "alert-1-failed" },
    });
    assert.equal(mock.calls[0]?.body.unfurl_links, "false");
    assert.equal(mock.calls[0]?.body.unfurl_media, "false");
    assert.equal(await requestCount(metrics, "chat.postMessage", "ok"), 1);
  });

  test("postMessage without alert id has no metadata", async () => {
    const { sender } = createSender(mock);

    await sender.postMessage({ channel, ...MESSAGE });

    assert.equal(mock.messages[0]?.metadata, undefined);
  });

  test("postMessage with threadTs replies", async () => {
    const { sender } = createSender(mock);
    const root = await sender.postMessage({ channel, ...MESSAGE });

    const reply = await sender.postMessage({ channel, ...MESSAGE, threadTs: root.ts });

    assert.equal(mock.messages.length, 1);
    assert.equal(mock.replies[0]?.ts, reply.ts);
    assert.equal(mock.replies[0]?.thread_ts, root.ts);
  });

  test("updateMessage replaces the text", async () => {
    const { sender } = createSender(mock);
    const root = await sender.postMessage({ channel, ...MESSAGE });

    await sender.updateMessage({ ...root, ...MESSAGE, text: "Restore COMPLETED" });

    assert.equal(mock.messages[0]?.text, "Restore COMPLETED");
    assert.ok(mock.messages[0]?.edited);
  });

  test("findAlertMessage finds a post by alert id", async () => {
    const { sender } = createSender(mock);
    const posted = await sender.postMessage({ channel, ...MESSAGE, alertId: "alert-1-failed" });
    await sender.postMessage({ channel, ...MESSAGE, alertId: "alert-2-failed" });

    const ts = await sender.findAlertMessage({ channelId: channel, alertId: "alert-1-failed" });
    const missing = await sender.findAlertMessage({
      channelId: channel,
      alertId: "alert-3-failed",
    });

    assert.equal(ts, posted.ts);
    assert.equal(missing, undefined);
    assert.equal(mock.calls.at(-1)?.body.include_all_metadata, "true");
  });

  test("findAlertMessage searches a thread", async () => {
    const { sender } = createSender(mock);
    const root = await sender.postMessage({ channel, ...MESSAGE, alertId: "alert-1-stuck" });
    const reply = await sender.postMessage({
      channel,
      ...MESSAGE,
      threadTs: root.ts,
      alertId: "alert-1-recovered",
    });

    const ts = await sender.findAlertMessage({
      channelId: channel,
      alertId: "alert-1-recovered",
      threadTs: root.ts,
    });

    assert.equal(ts, reply.ts);
    assert.equal(mock.calls.at(-1)?.method, "conversations.replies");
  });

  test("history missing_scope warns once", async () => {
    const { sender, logLines } = createSender(mock);
    mock.failNext("conversations.history", { ok: false, error: "missing_scope" }, 2);

    const first = await sender.findAlertMessage({ channelId: channel, alertId: "a" });
    const second = await sender.findAlertMessage({ channelId: channel, alertId: "b" });

    assert.equal(first, undefined);
    assert.equal(second, undefined);
    const warnings = logLines.filter((line) => line.includes("slack history not readable"));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /"level":40/);
  });

  test("history server error is thrown", async () => {
    const { sender } = createSender(mock);
    mock.failNext("conversations.history", { status: 503 });

    const err = await deliveryError(sender.findAlertMessage({ channelId: channel, alertId: "a" }));

    assert.equal(err.code, "http_5xx");
    assert.equal(err.retryable, true);
  });

  test("listChannels returns ids and names", async () => {
    const { sender } = createSender(mock);
    const other = mock.channelId("other-channel");

    const channels = await sender.listChannels();

    assert.ok(channels.some((c) => c.id === channel && c.name === "atlas-restores"));
    assert.ok(channels.some((c) => c.id === other && c.name === "other-channel"));
  });

  test("rate limit carries Retry-After", async () => {
    const { sender, metrics } = createSender(mock);
    mock.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 7 });

    const err = await deliveryError(sender.postMessage({ channel, ...MESSAGE }));

    assert.equal(err.code, "http_429");
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterMs, 7000);
    assert.equal(err.channel, channel);
    assert.equal(await requestCount(metrics, "chat.postMessage", "http_429"), 1);
  });

  test("server error is retryable", async () => {
    const { sender } = createSender(mock);
    mock.failNext("chat.postMessage", { status: 500 });

    const err = await deliveryError(sender.postMessage({ channel, ...MESSAGE }));

    assert.equal(err.code, "http_5xx");
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterMs, undefined);
  });

  test("timeout is retryable", async () => {
    const { sender } = createSender(mock, { requestTimeoutMs: 100 });
    mock.failNext("chat.postMessage", { delayMs: 1000 });

    const err = await deliveryError(sender.postMessage({ channel, ...MESSAGE }));

    assert.equal(err.code, "timeout");
    assert.equal(err.retryable, true);
  });

  test("unknown channel id is permanent", async () => {
    const { sender } = createSender(mock);

    const err = await deliveryError(sender.postMessage({ channel: "C0000000000", ...MESSAGE }));

    assert.equal(err.code, "channel_not_found");
    assert.equal(err.retryable, false);
    assert.equal(err.channel, "C0000000000");
    assert.match(
      err.message,
      /chat\.postMessage to channel C0000000000 failed: .*check the channel \(slack\.channel/,
    );
  });

  test("invalid token is permanent and never shown", async () => {
    const wrongToken = "xoxb-wrong-token-123";
    const { sender, logLines } = createSender(mock, { token: wrongToken });

    const err = await deliveryError(sender.postMessage({ channel, ...MESSAGE }));

    assert.equal(err.code, "invalid_auth");
    assert.equal(err.retryable, false);
    assert.equal(mock.messages.length, 0);
    assert.ok(!err.message.includes(wrongToken));
    assert.ok(!logLines.join("").includes(wrongToken));
  });
});
