import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from "@slack/web-api";
import { SlackDeliveryError } from "./slack-delivery-error.ts";

/** The Slack call that failed, for the error message. */
export interface SlackCallContext {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  /** Channel as configured or as Slack returned it; undefined for calls about no channel. */
  channel?: string;
}

const SECOND_MS = 1000;
const BUG_HINT = "flexwatch built a message Slack does not accept; report it with this log line";

/**
 * Slack error strings that no retry can fix, each with what an operator should do. Every other
 * Slack error string is retried, so that an error missing from this table delays an alert
 * rather than dropping it. The alert job's delivery timeout still bounds those retries.
 */
const PERMANENT_ERRORS: Readonly<Record<string, string>> = {
  channel_not_found:
    "check the channel (slack.channel, slack.routes[].channel or --channel): it must exist and be visible to the app",
  not_in_channel: "invite the Slack app to the channel",
  is_archived: "unarchive the channel or set another slack.channel",
  restricted_action: "a workspace setting stops the app from posting in this channel",
  not_authed: "set SLACK_BOT_TOKEN",
  invalid_auth: "check SLACK_BOT_TOKEN: Slack does not accept it",
  account_inactive: "reinstall the Slack app and update SLACK_BOT_TOKEN",
  token_revoked: "reinstall the Slack app and update SLACK_BOT_TOKEN",
  token_expired: "reinstall the Slack app and update SLACK_BOT_TOKEN",
  missing_scope: "add the missing scope to the Slack app and reinstall it",
  msg_too_long: BUG_HINT,
  no_text: BUG_HINT,
  invalid_blocks: BUG_HINT,
  invalid_blocks_format: BUG_HINT,
  invalid_metadata_format: BUG_HINT,
  invalid_arguments: BUG_HINT,
};

/**
 * Turns anything a `WebClient` call throws into a `SlackDeliveryError`, in one table:
 *
 * | failure | code | retryable |
 * | --- | --- | --- |
 * | HTTP 429 | `http_429`, with `retryAfterMs` from `Retry-After` | yes |
 * | HTTP 5xx or 408 | `http_5xx` or `http_408` | yes |
 * | other HTTP status | `http_<status>` (a wrong `SLACK_API_URL`) | no |
 * | no response within the timeout | `timeout` | yes |
 * | connection failed | `network` | yes |
 * | Slack error string in `PERMANENT_ERRORS` | the string | no |
 * | any other Slack error string | the string | yes |
 */
export function classifySlackError(err: unknown, context: SlackCallContext): SlackDeliveryError {
  if (err instanceof SlackDeliveryError) return err;
  if (err instanceof WebAPIRateLimitedError) {
    const retryAfterMs = err.retryAfter * SECOND_MS;
    return failure(context, `rate limited; retry after ${err.retryAfter} s`, {
      code: "http_429",
      retryable: true,
      retryAfterMs,
      cause: err,
    });
  }
  if (err instanceof WebAPIHTTPError) return fromHttpStatus(err, context);
  if (err instanceof WebAPIRequestError) return fromRequestError(err, context);
  if (err instanceof WebAPIPlatformError) return fromSlackErrorString(err, context);
  if (err instanceof Error && err.message.startsWith("Retry header did not contain")) {
    // @slack/web-api 8 throws a plain Error for a 429 whose Retry-After it cannot parse.
    return failure(context, "rate limited without a usable Retry-After", {
      code: "http_429",
      retryable: true,
      cause: err,
    });
  }
  return failure(context, "unexpected error; a retry may succeed", {
    code: "unexpected",
    retryable: true,
    cause: err,
  });
}

function fromHttpStatus(err: WebAPIHTTPError, context: SlackCallContext): SlackDeliveryError {
  const status = err.statusCode;
  if (status >= 500 || status === 408) {
    const code = status >= 500 ? "http_5xx" : "http_408";
    return failure(context, `HTTP ${status} from Slack; a retry may succeed`, {
      code,
      retryable: true,
      cause: err,
    });
  }
  return failure(context, `HTTP ${status} from Slack; check SLACK_API_URL`, {
    code: `http_${status}`,
    retryable: false,
    cause: err,
  });
}

function fromRequestError(err: WebAPIRequestError, context: SlackCallContext): SlackDeliveryError {
  // AbortSignal.timeout, which WebClient uses for its `timeout` option, rejects with this name.
  if (err.original.name === "TimeoutError" || err.original.name === "AbortError") {
    return failure(context, "timed out waiting for Slack; a retry may succeed", {
      code: "timeout",
      retryable: true,
      cause: err,
    });
  }
  return failure(context, "could not reach Slack; a retry may succeed", {
    code: "network",
    retryable: true,
    cause: err,
  });
}

function fromSlackErrorString(
  err: WebAPIPlatformError,
  context: SlackCallContext,
): SlackDeliveryError {
  const code = err.data.error;
  const hint = PERMANENT_ERRORS[code];
  if (hint === undefined) {
    return failure(context, `Slack returned ${code}; a retry may succeed`, {
      code,
      retryable: true,
      cause: err,
    });
  }
  // Slack names the scope a missing_scope call lacked in a `needed` field.
  const { needed } = err.data as { needed?: unknown };
  const neededText = typeof needed === "string" ? ` (needed: ${needed})` : "";
  return failure(context, `Slack returned ${code}${neededText}: ${hint}`, {
    code,
    retryable: false,
    cause: err,
  });
}

function failure(
  context: SlackCallContext,
  detail: string,
  options: ConstructorParameters<typeof SlackDeliveryError>[1],
): SlackDeliveryError {
  const target = context.channel === undefined ? "" : ` to channel ${context.channel}`;
  const message = `Slack ${context.method}${target} failed: ${detail}`;
  return new SlackDeliveryError(message, { ...options, channel: context.channel });
}
