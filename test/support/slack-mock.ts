import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { findContentError, INVALID_JSON, readSlackRequestBody } from "./slack-mock-request.ts";

/** Bot token the mock accepts unless `startSlackMock` is given another one. */
export const DEFAULT_SLACK_MOCK_TOKEN = "xoxb-test-token";

/**
 * What the next call of a method does instead of succeeding: an HTTP error status (429 sends
 * `Retry-After`), a Slack error body, a delay before the normal response, or `acceptThenFail`,
 * which performs the call (a posted message is stored) and then responds with 500 or drops the
 * connection, the way Slack can accept a message while the client never gets the response.
 */
export type SlackMockFault =
  | { status: number; retryAfterSeconds?: number }
  | { ok: false; error: string }
  | { delayMs: number }
  | { acceptThenFail: true; response?: "http-500" | "drop-connection" };

/** One request the mock received; `body` is decoded, JSON fields parsed, `token` removed. */
export interface SlackMockCall {
  method: string;
  body: Record<string, unknown>;
  at: string;
}

/** A stored message in the shape `conversations.history` returns, plus its channel id. */
export interface SlackMockMessage {
  type: "message";
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  thread_ts?: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
  user: string;
  bot_id: string;
}

export interface SlackMock {
  /** Base URL for `WebClient`'s `slackApiUrl`; it ends with `/`. */
  url: string;
  token: string;
  calls: SlackMockCall[];
  /** Top-level messages of every channel, in the order they were posted. */
  messages: SlackMockMessage[];
  /** Thread replies (messages posted with `thread_ts`), in the order they were posted. */
  replies: SlackMockMessage[];
  /** Returns the id of the channel called `name` (with or without `#`), creating it if needed. */
  channelId(name: string): string;
  /** Makes the next `times` calls of `method` fail with `fault`. */
  failNext(method: string, fault: SlackMockFault, times?: number): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Reply = { status: number; body: Body; headers?: Record<string, string> };

const BOT_USER_ID = "U0FLEXBOT";
const BOT_ID = "B0FLEXBOT";
const CHANNEL_ID_PATTERN = /^[CGD][A-Z0-9]{8,}$/;
const DEFAULT_HISTORY_LIMIT = 100;
const MAX_HISTORY_LIMIT = 999;

const ok = (body: Body = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const slackError = (error: string): Reply => ({ status: 200, body: { ok: false, error } });

/**
 * Starts a Slack Web API stand-in on 127.0.0.1 serving `chat.postMessage`, `chat.update`,
 * `auth.test` and `conversations.history` under `/api/`, plus `GET /__mock/messages`,
 * `GET /__mock/calls` and `POST /__mock/fail-next` for tests in another process.
 * Channel names are created on first use; an unknown channel id is `channel_not_found`.
 */
export async function startSlackMock(
  options: { port?: number; token?: string } = {},
): Promise<SlackMock> {
  const mock = new SlackMockServer(options.token ?? DEFAULT_SLACK_MOCK_TOKEN);
  await mock.listen(options.port ?? 0);
  return mock;
}

class SlackMockServer implements SlackMock {
  url = "";
  readonly token: string;
  readonly calls: SlackMockCall[] = [];
  readonly messages: SlackMockMessage[] = [];
  readonly replies: SlackMockMessage[] = [];
  readonly #server: Server;
  readonly #channelIds = new Map<string, string>();
  readonly #faults = new Map<string, SlackMockFault[]>();
  #lastTsMicros = 0n;

  constructor(token: string) {
    this.token = token;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((err: unknown) => {
        response.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, "127.0.0.1", resolve);
    });
    const address = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}/api/`;
  }

  channelId(name: string): string {
    const bare = name.replace(/^#/, "");
    let id = this.#channelIds.get(bare);
    if (id === undefined) {
      id = `C${randomBytes(5).toString("hex").toUpperCase()}`;
      this.#channelIds.set(bare, id);
    }
    return id;
  }

  failNext(method: string, fault: SlackMockFault, times = 1): void {
    const queue = this.#faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.#faults.set(method, queue);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const body = await readSlackRequestBody(request);
    if (body === INVALID_JSON) return send(response, slackError("invalid_json"));
    if (path.startsWith("/__mock/")) {
      return send(response, this.#control(request.method ?? "GET", path, body));
    }
    const method = path.replace(/^\/api\//, "");
    const { token, ...recorded } = body;
    this.calls.push({ method, body: recorded, at: new Date().toISOString() });

    const fault = this.#faults.get(method)?.shift();
    if (fault !== undefined && !("acceptThenFail" in fault) && !("delayMs" in fault)) {
      return send(response, faultReply(fault));
    }
    if (fault !== undefined && "delayMs" in fault) await sleep(fault.delayMs);
    const reply = this.#authorize(request, token) ?? this.#call(method, recorded);
    if (fault !== undefined && "acceptThenFail" in fault) {
      if (fault.response === "drop-connection") return void response.destroy();
      return send(response, { status: 500, body: { ok: false, error: "internal_error" } });
    }
    return send(response, reply);
  }

  #control(httpMethod: string, path: string, body: Body): Reply {
    if (httpMethod === "GET" && path === "/__mock/messages") {
      return ok({ messages: this.messages, replies: this.replies });
    }
    if (httpMethod === "GET" && path === "/__mock/calls") return ok({ calls: this.calls });
    if (httpMethod === "POST" && path === "/__mock/fail-next") {
      this.failNext(String(body.method), body.fault as SlackMockFault, Number(body.times ?? 1));
      return ok();
    }
    return { status: 404, body: { ok: false, error: "unknown_mock_path" } };
  }

  #authorize(request: IncomingMessage, bodyToken: unknown): Reply | undefined {
    const header = request.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : bodyToken;
    if (token === undefined || token === "") return slackError("not_authed");
    return token === this.token ? undefined : slackError("invalid_auth");
  }

  #call(method: string, body: Body): Reply {
    switch (method) {
      case "auth.test":
        return ok({
          url: this.url.replace(/api\/$/, ""),
          team: "flexwatch-test",
          user: "flexwatch",
          team_id: "T0FLEXTEST",
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
        });
      case "chat.postMessage":
        return this.#postMessage(body);
      case "chat.update":
        return this.#update(body);
      case "conversations.history":
        return this.#history(body);
      default:
        return { status: 404, body: { ok: false, error: "unknown_method", req_method: method } };
    }
  }

  #postMessage(body: Body): Reply {
    const channel = this.#resolveChannel(body.channel, true);
    if (channel === undefined) return slackError("channel_not_found");
    const invalid = findContentError(body);
    if (invalid !== undefined) return slackError(invalid);
    const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : undefined;
    const parent = this.messages.find((m) => m.channel === channel && m.ts === threadTs);
    if (threadTs !== undefined && parent === undefined) return slackError("thread_not_found");

    const message: SlackMockMessage = {
      type: "message",
      channel,
      ts: this.#nextTs(),
      ...pickContent(body),
      user: BOT_USER_ID,
      bot_id: BOT_ID,
    };
    if (parent !== undefined) {
      message.thread_ts = parent.ts;
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      this.replies.push(message);
    } else {
      this.messages.push(message);
    }
    return ok({ channel, ts: message.ts, message: withoutChannel(message) });
  }

  #update(body: Body): Reply {
    const channel = this.#resolveChannel(body.channel, false);
    if (channel === undefined) return slackError("channel_not_found");
    const all = [...this.messages, ...this.replies];
    const message = all.find((m) => m.channel === channel && m.ts === body.ts);
    if (message === undefined) return slackError("message_not_found");
    const invalid = findContentError(body);
    if (invalid !== undefined) return slackError(invalid);

    Object.assign(message, pickContent(body), {
      edited: { user: BOT_USER_ID, ts: this.#nextTs() },
    });
    return ok({ channel, ts: message.ts, text: message.text, message: withoutChannel(message) });
  }

  #history(body: Body): Reply {
    // Slack's conversations.history takes a channel id only, never a name.
    const channel = typeof body.channel === "string" ? body.channel : "";
    if (![...this.#channelIds.values()].includes(channel)) return slackError("channel_not_found");
    const limit = Math.min(Number(body.limit ?? DEFAULT_HISTORY_LIMIT), MAX_HISTORY_LIMIT);
    const offset = decodeCursor(body.cursor);
    const withMetadata = body.include_all_metadata === true || body.include_all_metadata === "true";
    const newestFirst = this.messages.filter((m) => m.channel === channel).reverse();
    const page = newestFirst.slice(offset, offset + limit).map((m) => {
      const { channel: _channel, metadata, ...rest } = m;
      return withMetadata && metadata !== undefined ? { ...rest, metadata } : rest;
    });
    const hasMore = offset + limit < newestFirst.length;
    const nextCursor = hasMore ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "";
    return ok({
      messages: page,
      has_more: hasMore,
      response_metadata: { next_cursor: nextCursor },
    });
  }

  #resolveChannel(value: unknown, createNames: boolean): string | undefined {
    if (typeof value !== "string" || value === "") return undefined;
    if (CHANNEL_ID_PATTERN.test(value)) {
      return [...this.#channelIds.values()].includes(value) ? value : undefined;
    }
    const bare = value.replace(/^#/, "");
    return createNames ? this.channelId(bare) : this.#channelIds.get(bare);
  }

  /** Returns `seconds.micros` timestamps that always increase, like Slack's message ids. */
  #nextTs(): string {
    const nowMicros = BigInt(Date.now()) * 1000n;
    this.#lastTsMicros = nowMicros > this.#lastTsMicros ? nowMicros : this.#lastTsMicros + 1n;
    const seconds = this.#lastTsMicros / 1_000_000n;
    const micros = (this.#lastTsMicros % 1_000_000n).toString().padStart(6, "0");
    return `${seconds}.${micros}`;
  }
}

function faultReply(fault: { status: number; retryAfterSeconds?: number } | Body): Reply {
  if ("ok" in fault) return { status: 200, body: fault };
  const status = Number(fault.status);
  if (status !== 429) return { status, body: { ok: false, error: "internal_error" } };
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = `${fault.retryAfterSeconds}`;
  return { status, body: { ok: false, error: "ratelimited" }, headers };
}

function pickContent(body: Body): Partial<SlackMockMessage> {
  const content: Partial<SlackMockMessage> = {};
  if (typeof body.text === "string") content.text = body.text;
  if (body.blocks !== undefined) content.blocks = body.blocks;
  if (body.metadata !== undefined) content.metadata = body.metadata as SlackMockMessage["metadata"];
  return content;
}

function withoutChannel(message: SlackMockMessage): Omit<SlackMockMessage, "channel"> {
  const { channel: _channel, ...rest } = message;
  return rest;
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== "string" || cursor === "") return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString());
  return match ? Number(match[1]) : 0;
}

function send(response: ServerResponse, reply: Reply): void {
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...reply.headers,
  });
  response.end(payload);
}
