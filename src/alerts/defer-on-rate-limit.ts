import type { DeliveryContext } from "./delivery-context.ts";
import { SlackDeliveryError } from "./slack-delivery-error.ts";

/**
 * Runs `post`. When Slack returns 429 with `Retry-After`, every post to the channel waits that
 * long, not only this alert's retry.
 */
export async function deferOnRateLimit<T>(
  context: DeliveryContext,
  limitKey: string,
  post: () => Promise<T>,
): Promise<T> {
  try {
    return await post();
  } catch (err) {
    if (err instanceof SlackDeliveryError && err.code === "http_429" && err.retryAfterMs) {
      await context.limiter.deferChannel(limitKey, err.retryAfterMs);
    }
    throw err;
  }
}
