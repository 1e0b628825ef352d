import { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { type AlertEvent, alertJobId } from "./alert-event.ts";
import { classifySlackError } from "./classify-slack-error.ts";
import type { SentRecord, SentRecordPort } from "./sent-record.ts";
import { createSlackClientLogger } from "./slack-client-logger.ts";
import { SlackDeliveryError } from "./slack-delivery-error.ts";
import { buildAlertMessage } from "./slack-message.ts";

/** Options of `SlackAlertSender`. */
export interface SlackAlertSenderOptions {
  /** Bot token with `chat:write`. Never logged. */
  token: string;
  /** Base URL of the Slack Web API, ending with `/`. */
  apiUrl: string;
  /** Channel id (`C0123ABCD`) or name (`#atlas-restores`). */
  channel: string;
  /** Timeout of one Slack API call, in milliseconds. */
  requestTimeoutMs: number;
  metrics: Metrics;
  logger: Logger;
  /** Origin of the Atlas UI that messages link to. @defaultValue "https://cloud.mongodb.com" */
  atlasUiBaseUrl?: string;
  /** Lifetime of the claim one send takes, in milliseconds. @defaultValue 3 × `requestTimeoutMs` */
  claimTtlMs?: number;
  /** Newest channel messages searched for an earlier post of a retried alert. @defaultValue 50 */
  historyLimit?: number;
}

/** Options of one `send` call. */
export interface SendOptions {
  /**
   * 1 for the first try of an alert job. From 2 on, the channel history is searched first,
   * because Slack may have accepted the previous try while its response never arrived.
   * @defaultValue 1
   */
  attempt?: number;
}

/** Result of `send`: `sent` when it posted the message, `duplicate` when it was posted before. */
export interface SendResult {
  outcome: "sent" | "duplicate";
  channel: string;
  ts: string;
}

/** Message metadata event type that marks flexwatch's alerts in a channel's history. */
export const ALERT_EVENT_TYPE = "flexwatch_restore_alert";

const DEFAULT_HISTORY_LIMIT = 50;
const CLAIM_TTL_REQUEST_TIMEOUTS = 3;
const SLACK_CHANNEL_ID_PATTERN = /^[CGD][A-Z0-9]{8,}$/;
const SECOND_MS = 1000;

// When the history cannot be read, a retry posts without searching it rather than not at all.
// missing_scope: the app lacks channels:history (public) or groups:history (private channels).
// not_in_channel: the app posts with chat:write.public but is no member of the channel.
const HISTORY_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  "missing_scope",
  "not_in_channel",
  "channel_not_found",
]);

/**
 * Posts restore alerts to one Slack channel, at most one top-level message per alert. The
 * `WebClient` does not retry, because the BullMQ alert job owns retries (backoff, attempts,
 * `Retry-After` through `SlackDeliveryError.retryAfterMs`). Every call is counted in
 * `flexwatch_slack_requests_total` by method and outcome.
 */
export class SlackAlertSender {
  readonly #client: WebClient;
  readonly #channel: string;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #atlasUiBaseUrl: string | undefined;
  readonly #claimTtlMs: number;
  readonly #historyLimit: number;
  readonly #warnedCodes = new Set<string>();
  /** Slack's id of the channel, which `conversations.history` needs instead of a name. */
  #channelId: string | undefined;

  constructor(options: SlackAlertSenderOptions) {
    this.#client = new WebClient(options.token, {
      slackApiUrl: options.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.requestTimeoutMs,
      logger: createSlackClientLogger(options.logger),
    });
    this.#channel = options.channel;
    this.#channelId = SLACK_CHANNEL_ID_PATTERN.test(options.channel) ? options.channel : undefined;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#atlasUiBaseUrl = options.atlasUiBaseUrl;
    this.#claimTtlMs = options.claimTtlMs ?? CLAIM_TTL_REQUEST_TIMEOUTS * options.requestTimeoutMs;
    this.#historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  /**
   * Posts the alert unless `record` shows it was posted already, then stores where it went.
   * Throws `SlackDeliveryError`: retryable when another worker has the claim or Slack failed
   * for a while, permanent when the token, scopes or channel need fixing.
   */
  async send(
    event: AlertEvent,
    record: SentRecordPort,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const existing = await record.get();
    if (existing !== null) return this.#duplicate(existing);
    if (!(await record.claim(this.#claimTtlMs))) throw this.#claimedError();

    try {
      // Another worker may have posted and released its claim between get() and claim().
      const recorded = await record.get();
      if (recorded !== null) return this.#duplicate(recorded);

      const found = (options.attempt ?? 1) > 1 ? await this.#findPosted(event) : undefined;
      if (found !== undefined) {
        await record.put(found);
        this.#logger.info(
          logFields(event, found),
          "alert found in slack history; not posting again",
        );
        return { outcome: "duplicate", channel: found.channel, ts: found.ts };
      }

      const posted = await this.#post(event);
      await record.put(posted);
      return { outcome: "sent", channel: posted.channel, ts: posted.ts };
    } finally {
      await record.release();
    }
  }

  async #post(event: AlertEvent): Promise<SentRecord> {
    const message = buildAlertMessage(event, { atlasUiBaseUrl: this.#atlasUiBaseUrl });
    const result = await this.#call("chat.postMessage", () =>
      this.#client.chat.postMessage({
        channel: this.#channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { alert_id: alertJobId(event) } },
      }),
    );
    if (result.channel === undefined || result.ts === undefined) {
      throw new SlackDeliveryError(
        `Slack chat.postMessage to channel ${this.#channel} failed: the response has no channel or ts; the alert job retries`,
        { code: "invalid_response", retryable: true },
      );
    }

    this.#channelId = result.channel;
    return { channel: result.channel, ts: result.ts, postedAt: new Date().toISOString() };
  }

  /** Searches the channel's newest messages for this alert's metadata. */
  async #findPosted(event: AlertEvent): Promise<SentRecord | undefined> {
    const channelId = this.#channelId;
    if (channelId === undefined) {
      // NOTE: a retry in a process that has not posted yet cannot resolve a channel name to
      // an id without the channels:read scope, so it posts without searching the history.
      this.#warnOnce("channel_name", "slack history not searched: slack.channel is not an id");
      return undefined;
    }

    const history = await this.#readHistory(channelId);
    const alertId = alertJobId(event);
    const message = history.find(
      (m) =>
        m.metadata?.event_type === ALERT_EVENT_TYPE &&
        (m.metadata.event_payload as { alert_id?: unknown } | undefined)?.alert_id === alertId,
    );
    if (message?.ts === undefined) return undefined;

    return { channel: channelId, ts: message.ts, postedAt: slackTsToIso(message.ts) };
  }

  async #readHistory(channelId: string) {
    try {
      const result = await this.#call("conversations.history", () =>
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
      this.#warnOnce(err.code, "slack history not readable; posting without searching it", err);
      return [];
    }
  }

  /** Runs one Web API call, counts it, and turns its failure into a `SlackDeliveryError`. */
  async #call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.#metrics.slackRequests.inc({ method, outcome: "ok" });
      return result;
    } catch (err) {
      const error = classifySlackError(err, { method, channel: this.#channel });
      this.#metrics.slackRequests.inc({ method, outcome: error.code });
      throw error;
    }
  }

  #duplicate(record: SentRecord): SendResult {
    this.#channelId ??= record.channel;
    return { outcome: "duplicate", channel: record.channel, ts: record.ts };
  }

  #claimedError(): SlackDeliveryError {
    const message = `Slack alert to channel ${this.#channel} not sent: another worker is sending this alert; the alert job retries after its claim expires`;
    return new SlackDeliveryError(message, {
      code: "claimed",
      retryable: true,
      retryAfterMs: this.#claimTtlMs,
    });
  }

  #warnOnce(key: string, message: string, err?: SlackDeliveryError): void {
    if (this.#warnedCodes.has(key)) return;
    this.#warnedCodes.add(key);
    this.#logger.warn({ channel: this.#channel, code: err?.code, err }, message);
  }
}

function logFields(event: AlertEvent, record: SentRecord) {
  return {
    projectId: event.projectId,
    cluster: event.cluster,
    restoreJobId: event.job.id,
    channel: record.channel,
    ts: record.ts,
  };
}

/** Converts a Slack message timestamp (`1733350000.000100`) to ISO-8601 UTC. */
function slackTsToIso(ts: string): string {
  const date = new Date(Number.parseFloat(ts) * SECOND_MS);
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}
