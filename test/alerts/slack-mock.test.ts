import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { after, before, beforeEach, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { WebClient } from "@slack/web-api";
import { type SlackMock, startSlackMock } from "../support/slack-mock.ts";

/** Calls a mock method with a JSON body, as Slack's HTTP API also accepts. */
async function postJson(mock: SlackMock, method: string, body: object, token = mock.token) {
  const response = await fetch(`${mock.url}${method}`, {
    method: "POST",
    headers: {
      "content-type": "application/json; charset=utf-8",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function webClient(mock: SlackMock, token = mock.token): WebClient {
  return new WebClient(token, { slackApiUrl: mock.url, retryConfig: { retries: 0 } });
}

describe("Slack mock", () => {
  let mock: SlackMock;

  before(async () => {
    mock = await startSlackMock();
  });
  after(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.reset();
  });

  test("url is a loopback API base ending with a slash", () => {
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  test("auth.test accepts the bot token", async () => {
    const result = await webClient(mock).auth.test();

    assert.equal(result.ok, true);
    assert.equal(result.user_id, "U0FLEXBOT");
  });

  test("wrong token gets invalid_auth", async () => {
    const { body } = await postJson(mock, "auth.test", {}, "xoxb-wrong");

    assert.deepEqual(body, { ok: false, error: "invalid_auth" });
  });

  test("missing token gets not_authed", async () => {
    const response = await fetch(`${mock.url}auth.test`, { method: "POST" });

    assert.deepEqual(await response.json(), { ok: false, error: "not_authed" });
  });

  test("form post stores a message with channel id and ts", async () => {
    const client = webClient(mock);
    const first = await client.chat.postMessage({ channel: "#alerts", text: "one" });
    const second = await client.chat.postMessage({ channel: "alerts", text: "two" });

    assert.match(first.channel ?? "", /^C[0-9A-F]{10}$/);
    assert.equal(second.channel, first.channel);
    assert.match(first.ts ?? "", /^\d{10}\.\d{6}$/);
    assert.ok((second.ts ?? "") > (first.ts ?? ""), `${second.ts} after ${first.ts}`);
    assert.deepEqual(
      mock.messages.map((m) => m.text),
      ["one", "two"],
    );
  });

  test("calls record the decoded body without the token", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "hi" } }];
    await webClient(mock).chat.postMessage({ channel: "#alerts", text: "hi", blocks });

    assert.equal(mock.calls.length, 1);
    assert.equal(mock.calls[0]?.method, "chat.postMessage");
    assert.deepEqual(mock.calls[0]?.body.blocks, blocks);
    assert.ok(!JSON.stringify(mock.calls).includes(mock.token));
  });

  test("JSON post is accepted", async () => {
    const { body } = await postJson(mock, "chat.postMessage", {
      channel: "#alerts",
      text: "json",
      metadata: { event_type: "e", event_payload: { a: 1 } },
    });

    assert.equal(body.ok, true);
    assert.deepEqual(mock.messages[0]?.metadata, { event_type: "e", event_payload: { a: 1 } });
  });

  test("too many blocks are invalid_blocks", async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" }));
    const { body } = await postJson(mock, "chat.postMessage", { channel: "#alerts", blocks });

    assert.deepEqual(body, { ok: false, error: "invalid_blocks" });
    assert.equal(mock.messages.length, 0);
  });

  test("thread reply is kept apart from messages", async () => {
    const client = webClient(mock);
    const parent = await client.chat.postMessage({ channel: "#alerts", text: "parent" });
    await client.chat.postMessage({ channel: "#alerts", text: "reply", thread_ts: parent.ts });

    assert.equal(mock.messages.length, 1);
    assert.equal(mock.replies.length, 1);
    assert.equal(mock.replies[0]?.thread_ts, parent.ts);
    assert.equal(mock.messages[0]?.reply_count, 1);
  });

  test("chat.update changes the stored message", async () => {
    const client = webClient(mock);
    const posted = await client.chat.postMessage({ channel: "#alerts", text: "before" });
    const channel = posted.channel ?? "";
    const ts = posted.ts ?? "";

    await client.chat.update({ channel, ts, text: "after" });
    const missing = await postJson(mock, "chat.update", { channel, ts: "1.000001", text: "x" });

    assert.equal(mock.messages[0]?.text, "after");
    assert.ok(mock.messages[0]?.edited);
    assert.equal(missing.body.error, "message_not_found");
  });

  test("history is newest first and pages by cursor", async () => {
    const client = webClient(mock);
    const channel = mock.channelId("history");
    for (const text of ["a", "b", "c"]) await client.chat.postMessage({ channel, text });

    const first = await client.conversations.history({ channel, limit: 2 });
    const cursor = first.response_metadata?.next_cursor;
    const second = await client.conversations.history({ channel, limit: 2, cursor });

    assert.deepEqual(
      first.messages?.map((m) => m.text),
      ["c", "b"],
    );
    assert.equal(first.has_more, true);
    assert.deepEqual(
      second.messages?.map((m) => m.text),
      ["a"],
    );
    assert.equal(second.has_more, false);
  });

  test("history returns metadata only when asked", async () => {
    const client = webClient(mock);
    const channel = mock.channelId("metadata");
    const metadata = { event_type: "e", event_payload: { a: 1 } };
    await client.chat.postMessage({ channel, text: "m", metadata });

    const without = await client.conversations.history({ channel });
    const withMetadata = await client.conversations.history({
      channel,
      include_all_metadata: true,
    });

    assert.equal(without.messages?.[0]?.metadata, undefined);
    assert.deepEqual(withMetadata.messages?.[0]?.metadata, metadata);
  });

  test("history by channel name is channel_not_found", async () => {
    await webClient(mock).chat.postMessage({ channel: "#named", text: "x" });
    const { body } = await postJson(mock, "conversations.history", { channel: "#named" });

    assert.equal(body.error, "channel_not_found");
  });

  test("failNext fails the given number of calls", async () => {
    mock.failNext("auth.test", { status: 503 }, 2);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(mock, "auth.test", {})).status);

    assert.deepEqual(statuses, [503, 503, 200]);
  });

  test("rate limit fault sends Retry-After", async () => {
    mock.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 3 });

    const response = await fetch(`${mock.url}chat.postMessage`, { method: "POST" });

    assert.equal(response.status, 429);
    assert.equal(response.headers.get("retry-after"), "3");
  });

  test("conversations.replies lists root and replies", async () => {
    const client = webClient(mock);
    const root = await client.chat.postMessage({ channel: "#threads", text: "root" });
    await client.chat.postMessage({ channel: "#threads", text: "reply", thread_ts: root.ts });

    const thread = await client.conversations.replies({
      channel: root.channel ?? "",
      ts: root.ts ?? "",
    });

    assert.deepEqual(
      thread.messages?.map((m) => m.text),
      ["root", "reply"],
    );
  });

  test("conversations.list names every channel", async () => {
    const id = mock.channelId("listed-channel");

    const result = await webClient(mock).conversations.list({});

    assert.ok(result.channels?.some((c) => c.id === id && c.name === "listed-channel"));
  });

  test("outage answers every call with its status", async () => {
    mock.setOutage(503);
    const during = await postJson(mock, "chat.postMessage", { channel: "#down", text: "x" });
    mock.setOutage(null);
    const after = await postJson(mock, "chat.postMessage", { channel: "#down", text: "x" });

    assert.equal(during.status, 503);
    assert.equal(after.status, 200);
    assert.equal(mock.messages.length, 1);
    assert.deepEqual(
      mock.calls.map((call) => call.duringOutage === true),
      [true, false],
    );
  });

  test("accept then delay stores the message before answering", async () => {
    mock.failNext("chat.postMessage", { acceptThenFail: true, delayMs: 300 });

    const pending = postJson(mock, "chat.postMessage", { channel: "#slow", text: "x" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const storedBeforeAnswer = mock.messages.length;
    const { status } = await pending;

    assert.equal(storedBeforeAnswer, 1);
    assert.equal(status, 200);
  });

  test("GET /__mock/messages lists stored messages", async () => {
    await webClient(mock).chat.postMessage({ channel: "#alerts", text: "listed" });

    const response = await fetch(mock.url.replace(/api\/$/, "__mock/messages"));
    const body = (await response.json()) as { messages: { text: string }[] };

    assert.deepEqual(
      body.messages.map((m) => m.text),
      ["listed"],
    );
  });
});

test("standalone mock runs and stops", async () => {
  const script = fileURLToPath(new URL("../support/slack-mock-main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, "line")) as [string];
  const started = JSON.parse(line) as { url: string; token: string };

  const response = await fetch(`${started.url}auth.test`, {
    method: "POST",
    headers: { authorization: `Bearer ${started.token}` },
  });
  assert.equal(((await response.json()) as { ok: boolean }).ok, true);

  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
});
