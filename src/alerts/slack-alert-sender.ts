import type { KnownBlock } from "@slack/types";
import { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { classifySlackError } from "./classify-slack-error.ts";
import { createSlackClientLogger } from "./slack-client-logger.ts";
import { SlackDeliveryError } from "./slack-delivery-error.ts";

/** Options of `SlackAlertSender`. */
export interface SlackAlertSenderOptions {
  /** Bot token with `chat:write`. Never logged. */
  token: string;
  /** Base URL of the Slack Web API, ending with `/`. */
  apiUrl: string;
  /** Timeout of one Slack API call, in milliseconds. */
  requestTimeoutMs: number;
  metrics: Metrics;
  logger: Logger;
  /** Newest channel messages searched for an earlier post of an alert. @defaultValue 200 */
  historyLimit?: number;
}

/** One message to post. */
export interface PostMessageRequest {
  /** Channel id (`C0123ABCD`) or name (`#atlas-restores`). */
  channel: string;
  /** Plain-text fallback, used in notifications. */
  text: string;
  blocks: KnownBlock[];
  /** Posts the message as a reply in the thread of this message. */
  threadTs?: string;
  /** Marks the message with an alert id, so that a retry can find it in the channel. */
  alertId?: string;
  /** Message metadata event type. @defaultValue `ALERT_EVENT_TYPE` */
  eventType?: string;
}

/** Location of a posted message. */
export interface PostedMessage {
  /** Channel id, also when the request named the channel. */
  channel: string;
  /** Slack message timestamp, the message's id within its channel. */
  ts: string;
}

/** Search request for a message marked with an alert id. */
export interface FindMessageRequest {
  /** Channel id; `conversations.history` does not take names. */
  channelId: string;
  alertId: string;
  /** Searches the replies of this thread instead of the channel's top-level messages. */
  threadTs?: string;
}

/** A channel as `conversations.list` returns it. */
export interface SlackChannel {
  id: string;
  name: string;
}

/** Message metadata event type that marks flexwatch's alerts in a channel's history. */
export const ALERT_EVENT_TYPE = "flexwatch_restore_alert";

const DEFAULT_HISTORY_LIMIT = 200;
const CHANNELS_PER_PAGE = 1000;
/** Channel list pages read at most: 20,000 channels. */
const MAX_CHANNEL_PAGES = 20;

// When a channel's messages cannot be read, a retry posts without searching them rather than
// not at all. missing_scope: the app lacks channels:history (public) or groups:history
// (private channels). not_in_channel: the app posts with chat:write.public but is no member.
const HISTORY_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  "missing_scope",
  "not_in_channel",
  "channel_not_found",
]);

/**
 * The Slack Web API calls of flexwatch: post, update, find an earlier post by its alert id, and
 * list channels. The `WebClient` does not retry, because the BullMQ jobs own retries (backoff,
 * `Retry-After` through `SlackDeliveryError.retryAfterMs`). Every call is counted in
 * `flexwatch_slack_requests_total` by method and outcome, and every failure is thrown as a
 * `SlackDeliveryError`.
 */
export class SlackAlertSender {
  readonly #client: WebClient;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #historyLimit: number;
  readonly #warnedCodes = new Set<string>();

  constructor(options: SlackAlertSenderOptions) {
    this.#client = new WebClient(options.token, {
      slackApiUrl: options.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.requestTimeoutMs,
      logger: createSlackClientLogger(options.logger),
    });
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  /** Posts one message, without link previews. @throws SlackDeliveryError */
  async postMessage(request: PostMessageRequest): Promise<PostedMessage> {
    const metadata =
      request.alertId === undefined
        ? undefined
        : {
            event_type: request.eventType ?? ALERT_EVENT_TYPE,
            event_payload: { alert_id: request.alertId },
          };
    const result = await this.#call("chat.postMessage", request.channel, () =>
      this.#client.chat.postMessage({
        channel: request.channel,
        text: request.text,
        blocks: request.blocks,
        thread_ts: request.threadTs,
        unfurl_links: false,
        unfurl_media: false,
        metadata,
      }),
    );
    if (result.channel === undefined || result.ts === undefined) {
      throw new SlackDeliveryError(
        `Slack chat.postMessage to channel ${request.channel} failed: the response has no channel or ts; a retry may succeed`,
        { code: "invalid_response", retryable: true },
      );
    }
    return { channel: result.channel, ts: result.ts };
  }

  /** Replaces the text and blocks of a posted message. @throws SlackDeliveryError */
  async updateMessage(message: PostedMessage & Pick<PostMessageRequest, "text" | "blocks">) {
    await this.#call("chat.update", message.channel, () =>
      this.#client.chat.update({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        blocks: message.blocks,
      }),
    );
  }

  /**
   * Returns the ts of the newest message marked with `alertId` among the channel's newest
   * messages (or the thread's replies), or undefined when there is none. When Slack does not
   * let the bot read them (missing scope, not a member), it warns once and returns undefined.
   * @throws SlackDeliveryError for other failures, so that the caller retries before posting.
   */
  async findAlertMessage(request: FindMessageRequest): Promise<string | undefined> {
    const messages = await this.#readMessages(request);
    const match = messages.find(
      (message) =>
        (message.metadata?.event_payload as { alert_id?: unknown } | undefined)?.alert_id ===
        request.alertId,
    );
    return match?.ts;
  }

  /** Lists the channels the bot can see (`channels:read`). @throws SlackDeliveryError */
  async listChannels(): Promise<SlackChannel[]> {
    const channels: SlackChannel[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_CHANNEL_PAGES; page++) {
      const result = await this.#call("conversations.list", undefined, () =>
        this.#client.conversations.list({
          types: "public_channel,private_channel",
          exclude_archived: true,
          limit: CHANNELS_PER_PAGE,
          cursor,
        }),
      );
      for (const channel of result.channels ?? []) {
        if (channel.id !== undefined && channel.name !== undefined) {
          channels.push({ id: channel.id, name: channel.name });
        }
      }
      cursor = result.response_metadata?.next_cursor;
      if (cursor === undefined || cursor === "") break;
    }
    return channels;
  }

  async #readMessages(request: FindMessageRequest) {
    const { channelId, threadTs } = request;
    try {
      if (threadTs !== undefined) {
        const result = await this.#call("conversations.replies", channelId, () =>
          this.#client.conversations.replies({
            channel: channelId,
            ts: threadTs,
            limit: this.#historyLimit,
            include_all_metadata: true,
          }),
        );
        return result.messages ?? [];
      }
      const result = await this.#call("conversations.history", channelId, () =>
        this.#client.conversations.history({
          channel: channelId,
          limit: this.#historyLimit,
          include_all_metadata: true,
        }),
      );
      return result.messages ?? [];
    } catch (err) {
      if (!(err instanceof SlackDeliveryError) || !HISTORY_UNAVAILABLE_CODES.has(err.code)) {
        throw err;
      }
      this.#warnOnce(err, channelId);
      return [];
    }
  }

  /** Runs one Web API call, counts it, and turns its failure into a `SlackDeliveryError`. */
  async #call<T>(method: string, channel: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.#metrics.slackRequests.inc({ method, outcome: "ok" });
      return result;
    } catch (err) {
      const error = classifySlackError(err, { method, channel });
      this.#metrics.slackRequests.inc({ method, outcome: error.code });
      throw error;
    }
  }

  #warnOnce(err: SlackDeliveryError, channel: string): void {
    if (this.#warnedCodes.has(err.code)) return;
    this.#warnedCodes.add(err.code);
    this.#logger.warn(
      { channel, code: err.code, err },
      "slack history not readable; posting without searching it",
    );
  }
}
