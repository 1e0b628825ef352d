import { randomBytes } from "node:crypto";
import { findContentError } from "./slack-mock-request.ts";

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

type Body = Record<string, unknown>;
/** A response of the mock: HTTP status, JSON body and extra headers. */
export type Reply = { status: number; body: Body; headers?: Record<string, string> };

export const BOT_USER_ID = "U0FLEXBOT";
const BOT_ID = "B0FLEXBOT";
const CHANNEL_ID_PATTERN = /^[CGD][A-Z0-9]{8,}$/;
const DEFAULT_HISTORY_LIMIT = 100;
const MAX_HISTORY_LIMIT = 999;
const DEFAULT_LIST_LIMIT = 100;

export const ok = (body: Body = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
export const slackError = (error: string): Reply => ({
  status: 200,
  body: { ok: false, error },
});

/**
 * The state of the Slack mock (channels, messages, thread replies) and the Web API methods that
 * read and change it: `chat.postMessage`, `chat.update`, `conversations.history`,
 * `conversations.replies` and `conversations.list`.
 */
export class SlackMockWorkspace {
  /** Top-level messages of every channel, in the order they were posted. */
  readonly messages: SlackMockMessage[] = [];
  /** Thread replies, in the order they were posted. */
  readonly replies: SlackMockMessage[] = [];
  readonly #channelIds = new Map<string, string>();
  #lastTsMicros = 0n;

  channelId(name: string): string {
    const bare = name.replace(/^#/, "");
    let id = this.#channelIds.get(bare);
    if (id === undefined) {
      id = `C${randomBytes(5).toString("hex").toUpperCase()}`;
      this.#channelIds.set(bare, id);
    }
    return id;
  }

  postMessage(body: Body): Reply {
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

  update(body: Body): Reply {
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

  history(body: Body): Reply {
    // Slack's conversations.history takes a channel id only, never a name.
    const channel = typeof body.channel === "string" ? body.channel : "";
    if (!this.#knownId(channel)) return slackError("channel_not_found");
    const newestFirst = this.messages.filter((m) => m.channel === channel).reverse();
    return pageOf(newestFirst, body, DEFAULT_HISTORY_LIMIT, "messages");
  }

  threadReplies(body: Body): Reply {
    const channel = typeof body.channel === "string" ? body.channel : "";
    if (!this.#knownId(channel)) return slackError("channel_not_found");
    const root = this.messages.find((m) => m.channel === channel && m.ts === body.ts);
    if (root === undefined) return slackError("thread_not_found");
    // Slack returns the thread's root first, then its replies oldest first.
    const thread = [
      root,
      ...this.replies.filter((m) => m.channel === channel && m.thread_ts === root.ts),
    ];
    return pageOf(thread, body, DEFAULT_HISTORY_LIMIT, "messages");
  }

  listChannels(body: Body): Reply {
    const channels = [...this.#channelIds.entries()].map(([name, id]) => ({
      id,
      name,
      is_channel: true,
      is_archived: false,
    }));
    return pageOf(channels, body, DEFAULT_LIST_LIMIT, "channels");
  }

  #knownId(channel: string): boolean {
    return [...this.#channelIds.values()].includes(channel);
  }

  #resolveChannel(value: unknown, createNames: boolean): string | undefined {
    if (typeof value !== "string" || value === "") return undefined;
    if (CHANNEL_ID_PATTERN.test(value)) return this.#knownId(value) ? value : undefined;
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

/** Returns one cursor page of `items`; messages carry metadata only when it was asked for. */
function pageOf(items: readonly object[], body: Body, defaultLimit: number, key: string): Reply {
  const limit = Math.min(Number(body.limit ?? defaultLimit), MAX_HISTORY_LIMIT);
  const offset = decodeCursor(body.cursor);
  const withMetadata = body.include_all_metadata === true || body.include_all_metadata === "true";
  const page = items.slice(offset, offset + limit).map((item) => {
    if (!("ts" in item)) return item;
    const { channel: _channel, metadata, ...rest } = item as SlackMockMessage;
    return withMetadata && metadata !== undefined ? { ...rest, metadata } : rest;
  });
  const hasMore = offset + limit < items.length;
  const nextCursor = hasMore ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "";
  return ok({ [key]: page, has_more: hasMore, response_metadata: { next_cursor: nextCursor } });
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
