import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { type IntentAccess, postOnce } from "../../src/alerts/post-once.ts";
import type { PostingIntent } from "../../src/alerts/sent-record.ts";
import { SlackAlertSender } from "../../src/alerts/slack-alert-sender.ts";
import { SlackChannelDirectory } from "../../src/alerts/slack-channel-directory.ts";
import { SlackDeliveryError } from "../../src/alerts/slack-delivery-error.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";

const BLOCKS = [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "x" } }];

/** An intent kept in memory, as Redis keeps it for one alert. */
class MemoryIntent implements IntentAccess {
  stored: PostingIntent | null = null;
  async get() {
    return this.stored;
  }
  async put(intent: PostingIntent) {
    this.stored = intent;
  }
}

describe("postOnce", () => {
  let mock: SlackMock;
  let redis: Redis;
  let keyPrefix: string;
  let logLines: string[];

  /** Creates a sender and directory as a freshly started process has them. */
  function process() {
    const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
    const sender = new SlackAlertSender({
      token: mock.token,
      apiUrl: mock.url,
      requestTimeoutMs: 2000,
      metrics: new Metrics(),
      logger,
    });
    const directory = new SlackChannelDirectory({ redis, keyPrefix, sender, logger });
    return { sender, directory };
  }

  function post(intents: IntentAccess, channel = "#atlas-restores", threadTs?: string) {
    return postOnce({
      ...process(),
      intents,
      message: { channel, text: "alert", blocks: BLOCKS, alertId: "alert-1-failed", threadTs },
    });
  }

  before(async () => {
    mock = await startSlackMock();
    redis = connectTestRedis();
  });
  after(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
    await mock.close();
  });
  beforeEach(async () => {
    mock.reset();
    keyPrefix = uniqueKeyPrefix("post-once");
    logLines = [];
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
  });

  test("first try writes its intent, then posts", async () => {
    const intents = new MemoryIntent();

    const result = await post(intents);

    assert.equal(result.found, false);
    assert.equal(mock.messages.length, 1);
    assert.equal(intents.stored?.channel, "#atlas-restores");
  });

  for (const response of ["http-500", "drop-connection"] as const) {
    test(`retry after accept-then-fail (${response}) finds the message`, async () => {
      const intents = new MemoryIntent();
      mock.failNext("chat.postMessage", { acceptThenFail: true, response });
      await assert.rejects(post(intents), SlackDeliveryError);

      const result = await post(intents);

      assert.equal(result.found, true);
      assert.equal(result.ts, mock.messages[0]?.ts);
      assert.equal(mock.messages.length, 1);
      assert.equal(mock.calls.filter((c) => c.method === "chat.postMessage").length, 1);
    });
  }

  test("restarted process resolves the channel name and finds the message", async () => {
    const intents = new MemoryIntent();
    mock.channelId("atlas-restores");
    mock.failNext("chat.postMessage", { acceptThenFail: true });
    await assert.rejects(post(intents), SlackDeliveryError);
    await deleteKeysWithPrefix(redis, keyPrefix);

    const result = await post(intents);

    assert.equal(result.found, true);
    assert.equal(mock.messages.length, 1);
    assert.deepEqual(
      mock.calls.map((c) => c.method),
      ["chat.postMessage", "conversations.list", "conversations.history"],
    );
  });

  test("retry in a thread searches the thread", async () => {
    const root = await process().sender.postMessage({
      channel: "#atlas-restores",
      text: "root",
      blocks: BLOCKS,
    });
    const intents = new MemoryIntent();
    mock.failNext("chat.postMessage", { acceptThenFail: true });
    await assert.rejects(post(intents, root.channel, root.ts), SlackDeliveryError);

    const result = await post(intents, root.channel, root.ts);

    assert.equal(result.found, true);
    assert.equal(result.threadTs, root.ts);
    assert.equal(mock.replies.length, 1);
  });

  test("server error before acceptance posts on retry", async () => {
    const intents = new MemoryIntent();
    mock.failNext("chat.postMessage", { status: 500 });
    await assert.rejects(post(intents), SlackDeliveryError);

    const result = await post(intents);

    assert.equal(result.found, false);
    assert.equal(mock.messages.length, 1);
  });

  describe("when the bot can read neither channel list nor history", () => {
    test("a retry posts a second message", async () => {
      const intents = new MemoryIntent();
      mock.failNext("chat.postMessage", { acceptThenFail: true });
      mock.failNext("conversations.list", { ok: false, error: "missing_scope" });
      await assert.rejects(post(intents), SlackDeliveryError);
      await deleteKeysWithPrefix(redis, keyPrefix);

      const result = await post(intents);

      assert.equal(result.found, false);
      assert.equal(mock.messages.length, 2);
      assert.ok(logLines.some((line) => line.includes("slack channel names not resolvable")));
    });
  });
});
