import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { pino } from "pino";
import type { AlertEvent } from "../../src/alerts/alert-event.ts";
import type { SentRecord, SentRecordPort } from "../../src/alerts/sent-record.ts";
import { SlackAlertSender } from "../../src/alerts/slack-alert-sender.ts";
import { SlackDeliveryError } from "../../src/alerts/slack-delivery-error.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const REQUEST_TIMEOUT_MS = 2000;

function alertEvent(jobId = "66b7d1c2e4a5f6a7b8c9d0e1"): AlertEvent {
  return {
    kind: "failed",
    projectId: PROJECT_ID,
    cluster: "orders-flex",
    previousStatus: "RUNNING",
    job: { id: jobId, status: "FAILED", deliveryType: "RESTORE" },
    detectedAt: "2026-08-10T03:06:00Z",
  };
}

/** An in-memory sent record with a claim flag, as the Redis state store keeps it. */
class MemorySentRecord implements SentRecordPort {
  stored: SentRecord | null = null;
  claimed = false;

  async get() {
    return this.stored;
  }
  async claim() {
    if (this.claimed) return false;
    this.claimed = true;
    return true;
  }
  async release() {
    this.claimed = false;
  }
  async put(record: SentRecord) {
    this.stored = record;
  }
}

interface Harness {
  sender: SlackAlertSender;
  metrics: Metrics;
  logLines: string[];
}

function createSender(
  mock: SlackMock,
  options: { token?: string; channel?: string; requestTimeoutMs?: number } = {},
): Harness {
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
  const metrics = new Metrics();
  const sender = new SlackAlertSender({
    token: options.token ?? mock.token,
    apiUrl: mock.url,
    channel: options.channel ?? mock.channelId("atlas-restores"),
    requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    metrics,
    logger,
  });
  return { sender, metrics, logLines };
}

async function slackRequestCount(metrics: Metrics, method: string, outcome: string) {
  const { values } = await metrics.slackRequests.get();
  const match = values.find((v) => v.labels.method === method && v.labels.outcome === outcome);
  return match?.value ?? 0;
}

async function sendError(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const err = await promise.then(
    () => assert.fail("send resolved, expected a SlackDeliveryError"),
    (error: unknown) => error,
  );
  assert.ok(err instanceof SlackDeliveryError, `not a SlackDeliveryError: ${err}`);
  return err;
}

describe("SlackAlertSender", () => {
  let mock: SlackMock;

  before(async () => {
    mock = await startSlackMock();
  });
  after(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.calls.length = 0;
    mock.messages.length = 0;
    mock.replies.length = 0;
  });

  test("send posts one message and records it", async () => {
    const { sender, metrics } = createSender(mock);
    const record = new MemorySentRecord();

    const result = await sender.send(alertEvent(), record);

    assert.equal(result.outcome, "sent");
    assert.equal(mock.messages.length, 1);
    const [message] = mock.messages;
    assert.equal(result.channel, mock.channelId("atlas-restores"));
    assert.equal(result.ts, message?.ts);
    assert.deepEqual(message?.metadata, {
      event_type: "flexwatch_restore_alert",
      event_payload: { alert_id: "alert-66b7d1c2e4a5f6a7b8c9d0e1-failed" },
    });
    assert.deepEqual(record.stored && { channel: record.stored.channel, ts: record.stored.ts }, {
      channel: result.channel,
      ts: result.ts,
    });
    assert.equal(record.claimed, false);
    assert.equal(await slackRequestCount(metrics, "chat.postMessage", "ok"), 1);
  });

  test("send turns off unfurling", async () => {
    const { sender } = createSender(mock);

    await sender.send(alertEvent(), new MemorySentRecord());

    assert.equal(mock.calls[0]?.body.unfurl_links, "false");
    assert.equal(mock.calls[0]?.body.unfurl_media, "false");
  });

  test("second send is a duplicate without a Slack call", async () => {
    const { sender } = createSender(mock);
    const record = new MemorySentRecord();
    const first = await sender.send(alertEvent(), record);
    const callsAfterFirst = mock.calls.length;

    const second = await sender.send(alertEvent(), record);

    assert.deepEqual(second, { outcome: "duplicate", channel: first.channel, ts: first.ts });
    assert.equal(mock.calls.length, callsAfterFirst);
    assert.equal(mock.messages.length, 1);
  });

  test("send rejects while another worker holds the claim", async () => {
    const { sender } = createSender(mock);
    const record = new MemorySentRecord();
    record.claimed = true;

    const err = await sendError(sender.send(alertEvent(), record));

    assert.equal(err.code, "claimed");
    assert.equal(err.retryable, true);
    assert.equal(mock.calls.length, 0);
  });

  test("rate limit is retryable after Retry-After", async () => {
    const { sender, metrics } = createSender(mock);
    const record = new MemorySentRecord();
    mock.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 7 });

    const err = await sendError(sender.send(alertEvent(), record));

    assert.equal(err.code, "http_429");
    assert.equal(err.retryable, true);
    assert.ok((err.retryAfterMs ?? 0) >= 7000, `retryAfterMs ${err.retryAfterMs}`);
    assert.equal(record.claimed, false);
    assert.equal(record.stored, null);
    assert.equal(await slackRequestCount(metrics, "chat.postMessage", "http_429"), 1);
  });

  test("server error is retryable", async () => {
    const { sender } = createSender(mock);
    mock.failNext("chat.postMessage", { status: 500 });

    const err = await sendError(sender.send(alertEvent(), new MemorySentRecord()));

    assert.equal(err.code, "http_5xx");
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterMs, undefined);
  });

  test("timeout is retryable", async () => {
    const { sender } = createSender(mock, { requestTimeoutMs: 100 });
    mock.failNext("chat.postMessage", { delayMs: 1000 });

    const err = await sendError(sender.send(alertEvent(), new MemorySentRecord()));

    assert.equal(err.code, "timeout");
    assert.equal(err.retryable, true);
  });

  test("channel_not_found is permanent", async () => {
    const { sender } = createSender(mock);
    mock.failNext("chat.postMessage", { ok: false, error: "channel_not_found" });

    const err = await sendError(sender.send(alertEvent(), new MemorySentRecord()));

    assert.equal(err.code, "channel_not_found");
    assert.equal(err.retryable, false);
    assert.match(err.message, /chat\.postMessage .* channel_not_found: check slack\.channel/);
  });

  test("unknown channel id is permanent", async () => {
    const { sender } = createSender(mock, { channel: "C0000000000" });

    const err = await sendError(sender.send(alertEvent(), new MemorySentRecord()));

    assert.equal(err.code, "channel_not_found");
    assert.equal(err.retryable, false);
  });

  test("invalid token is permanent and never shown", async () => {
    const wrongToken = "xoxb-wrong-token-123";
    const { sender, logLines } = createSender(mock, { token: wrongToken });

    const err = await sendError(sender.send(alertEvent(), new MemorySentRecord()));

    assert.equal(err.code, "invalid_auth");
    assert.equal(err.retryable, false);
    assert.equal(mock.messages.length, 0);
    assert.ok(!err.message.includes(wrongToken));
    assert.ok(!logLines.join("").includes(wrongToken));
  });

  for (const response of ["http-500", "drop-connection"] as const) {
    test(`retry after accept-then-fail (${response}) finds the message`, async () => {
      const { sender } = createSender(mock);
      const record = new MemorySentRecord();
      mock.failNext("chat.postMessage", { acceptThenFail: true, response });

      const err = await sendError(sender.send(alertEvent(), record, { attempt: 1 }));
      assert.equal(err.retryable, true);
      assert.equal(mock.messages.length, 1);

      const result = await sender.send(alertEvent(), record, { attempt: 2 });

      assert.equal(result.outcome, "duplicate");
      assert.equal(result.ts, mock.messages[0]?.ts);
      assert.equal(mock.messages.length, 1);
      assert.equal(record.stored?.ts, result.ts);
      assert.equal(mock.calls.filter((c) => c.method === "chat.postMessage").length, 1);
    });
  }

  test("retry posts when history lacks the alert", async () => {
    const { sender } = createSender(mock);
    await sender.send(alertEvent("66b7d1c2e4a5f6a7b8c9d000"), new MemorySentRecord());

    const result = await sender.send(alertEvent(), new MemorySentRecord(), { attempt: 2 });

    assert.equal(result.outcome, "sent");
    assert.equal(mock.messages.length, 2);
    assert.deepEqual(
      mock.calls.map((c) => c.method),
      ["chat.postMessage", "conversations.history", "chat.postMessage"],
    );
    assert.equal(mock.calls[1]?.body.include_all_metadata, "true");
  });

  test("history missing_scope warns once and posts", async () => {
    const { sender, logLines } = createSender(mock);
    mock.failNext("conversations.history", { ok: false, error: "missing_scope" }, 2);

    const first = await sender.send(
      alertEvent("66b7d1c2e4a5f6a7b8c9d001"),
      new MemorySentRecord(),
      {
        attempt: 2,
      },
    );
    const second = await sender.send(
      alertEvent("66b7d1c2e4a5f6a7b8c9d002"),
      new MemorySentRecord(),
      {
        attempt: 3,
      },
    );

    assert.equal(first.outcome, "sent");
    assert.equal(second.outcome, "sent");
    assert.equal(mock.messages.length, 2);
    const warnings = logLines.filter((line) => line.includes("slack history not readable"));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /"level":40/);
  });

  test("history server error fails the retry without posting", async () => {
    const { sender } = createSender(mock);
    mock.failNext("conversations.history", { status: 503 });

    const err = await sendError(sender.send(alertEvent(), new MemorySentRecord(), { attempt: 2 }));

    assert.equal(err.code, "http_5xx");
    assert.equal(mock.messages.length, 0);
  });

  describe("when the channel is configured by name", () => {
    test("retry before any post skips the history", async () => {
      const { sender, logLines } = createSender(mock, { channel: "#atlas-restores" });

      const result = await sender.send(alertEvent(), new MemorySentRecord(), { attempt: 2 });

      assert.equal(result.outcome, "sent");
      assert.equal(result.channel, mock.channelId("atlas-restores"));
      assert.deepEqual(
        mock.calls.map((c) => c.method),
        ["chat.postMessage"],
      );
      assert.ok(logLines.some((line) => line.includes("slack.channel is not an id")));
    });

    test("retry after a post searches the history by id", async () => {
      const { sender } = createSender(mock, { channel: "#atlas-restores" });
      await sender.send(alertEvent("66b7d1c2e4a5f6a7b8c9d003"), new MemorySentRecord());
      const record = new MemorySentRecord();
      mock.failNext("chat.postMessage", { acceptThenFail: true });
      await sendError(sender.send(alertEvent(), record));

      const result = await sender.send(alertEvent(), record, { attempt: 2 });

      assert.equal(result.outcome, "duplicate");
      assert.equal(mock.messages.length, 2);
      const history = mock.calls.find((c) => c.method === "conversations.history");
      assert.equal(history?.body.channel, mock.channelId("atlas-restores"));
    });
  });
});
