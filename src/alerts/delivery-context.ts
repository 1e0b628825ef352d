import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { AlertThreadStore } from "../state/alert-thread-store.ts";
import type { ChannelRateLimiter } from "./channel-rate-limiter.ts";
import type { SlackAlertSender } from "./slack-alert-sender.ts";
import type { SlackChannelDirectory } from "./slack-channel-directory.ts";

/** Dependencies that the delivery of restore alerts and of digests share. */
export interface DeliveryContext {
  sender: Pick<SlackAlertSender, "postMessage" | "updateMessage" | "findAlertMessage">;
  directory: Pick<SlackChannelDirectory, "resolveId" | "cachedId" | "remember">;
  limiter: Pick<ChannelRateLimiter, "acquire" | "deferChannel">;
  threads: AlertThreadStore;
  metrics: Metrics;
  logger: Logger;
  /**
   * Lifetime of a restore job's send lock and of a digest's claim, in milliseconds. It must
   * outlast the Slack calls of one delivery (search, post, update), each bounded by the
   * request timeout.
   */
  claimTtlMs: number;
  /** The clock, epoch ms. */
  now: () => number;
}
