import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { SlackAlertSender } from "./slack-alert-sender.ts";
import { SlackDeliveryError } from "./slack-delivery-error.ts";

/** Options of `SlackChannelDirectory`. */
export interface SlackChannelDirectoryOptions {
  redis: Redis;
  keyPrefix: string;
  sender: Pick<SlackAlertSender, "listChannels">;
  logger: Logger;
}

const SLACK_CHANNEL_ID_PATTERN = /^[CGD][A-Z0-9]{8,}$/;
/**
 * A name missing from the channel list is looked up again after this long at the earliest,
 * because Slack rate-limits `conversations.list` per method and a workspace may take many pages.
 */
const RELIST_AFTER_MS = 15 * 60_000;

/**
 * Resolves configured channel names (`#atlas-restores`) to Slack channel ids, which
 * `conversations.history` needs to find an earlier post. Ids come from the channel of every
 * successful post, shared by all replicas in one Redis hash, and otherwise from
 * `conversations.list`, which needs the `channels:read` scope (`groups:read` for private
 * channels). Without that scope a name seen in no post stays unresolved.
 */
export class SlackChannelDirectory {
  readonly #options: SlackChannelDirectoryOptions;
  readonly #ids = new Map<string, string>();
  readonly #warned = new Set<string>();
  #listUnavailable = false;
  #listedAtMs: number | undefined;

  constructor(options: SlackChannelDirectoryOptions) {
    this.#options = options;
  }

  /**
   * Returns the id of `channel`, or undefined when it cannot be resolved. Throws a retryable
   * `SlackDeliveryError` when listing channels failed for a while, so that the caller retries
   * rather than posting without searching.
   */
  async resolveId(channel: string): Promise<string | undefined> {
    return (await this.cachedId(channel)) ?? this.#lookUp(bareName(channel));
  }

  /** Returns the id of `channel` when it is an id or was resolved before, without Slack calls. */
  async cachedId(channel: string): Promise<string | undefined> {
    if (SLACK_CHANNEL_ID_PATTERN.test(channel)) return channel;

    const name = bareName(channel);
    const known = this.#ids.get(name) ?? (await this.#options.redis.hget(this.#key(), name));
    if (known === null || known === undefined) return undefined;

    this.#ids.set(name, known);
    return known;
  }

  /** Stores the id Slack returned for a post to `channel`. */
  async remember(channel: string, channelId: string): Promise<void> {
    if (channel === channelId) return;

    const name = bareName(channel);
    if (this.#ids.get(name) === channelId) return;
    this.#ids.set(name, channelId);
    await this.#options.redis.hset(this.#key(), name, channelId);
  }

  async #lookUp(name: string): Promise<string | undefined> {
    if (this.#listUnavailable) return undefined;
    if (this.#listedAtMs !== undefined && Date.now() - this.#listedAtMs < RELIST_AFTER_MS) {
      return undefined;
    }

    let channels: Awaited<ReturnType<SlackAlertSender["listChannels"]>>;
    try {
      channels = await this.#options.sender.listChannels();
    } catch (err) {
      if (err instanceof SlackDeliveryError && !err.retryable) {
        this.#listUnavailable = true;
        this.#warnOnce("list", { code: err.code, err }, "slack channel names not resolvable");
        return undefined;
      }
      throw err;
    }

    this.#listedAtMs = Date.now();
    await this.#rememberAll(channels);
    const id = this.#ids.get(name);
    if (id === undefined) this.#warnOnce(name, { channel: name }, "slack channel name not found");
    return id;
  }

  async #rememberAll(channels: readonly { id: string; name: string }[]): Promise<void> {
    if (channels.length === 0) return;

    for (const channel of channels) this.#ids.set(channel.name, channel.id);
    await this.#options.redis.hset(
      this.#key(),
      Object.fromEntries(channels.map((channel) => [channel.name, channel.id])),
    );
  }

  #warnOnce(key: string, fields: object, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#options.logger.warn(fields, message);
  }

  #key(): string {
    return `${this.#options.keyPrefix}:slack:channel-ids`;
  }
}

function bareName(channel: string): string {
  return channel.replace(/^#/, "");
}
