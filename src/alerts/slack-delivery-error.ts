/** Options of `SlackDeliveryError`. */
export interface SlackDeliveryErrorOptions {
  /**
   * Slack's error string (`channel_not_found`), or `http_429`, `http_5xx`, `http_<status>`,
   * `timeout`, `network`, `invalid_response` or `unexpected`.
   */
  code: string;
  /** Channel of the failed call, as the call named it (id or name). */
  channel?: string;
  /** True when sending again later may succeed without anyone changing anything. */
  retryable: boolean;
  /** Delay Slack asked for with `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A Slack alert that could not be delivered. The alert job branches on `retryable` and
 * `retryAfterMs`; the codes and their classification are listed in `classify-slack-error.ts`.
 */
export class SlackDeliveryError extends Error {
  override readonly name = "SlackDeliveryError";
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly channel: string | undefined;

  constructor(message: string, options: SlackDeliveryErrorOptions) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.channel = options.channel;
  }
}
