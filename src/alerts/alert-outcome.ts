import type { DeliveryKind } from "./sent-record.ts";

/**
 * Result of one alert job. The outcome is `sent` when this job posted the alert (a message or a
 * thread reply) and `digested` when it posted the digest that lists it. It is `duplicate` when
 * an earlier job, try or digest delivered the alert, `silenced` when a silence matched it, and
 * `disabled` when Slack is turned off.
 */
export interface AlertDeliveryResult {
  outcome: "sent" | "digested" | "duplicate" | "silenced" | "disabled";
  delivery?: DeliveryKind;
  channel?: string;
  ts?: string;
}

/**
 * Reason an alert job waits instead of delivering now. Either an earlier alert of the same
 * restore job is not delivered yet, or the channel's rate limit reserved a later slot, or
 * another worker has the restore job's lock or the digest's claim.
 */
export type WaitReason = "earlier-alert" | "rate-limit" | "claimed" | "digest-claimed";

/** Next step of the alert processor: finish the job, or delay it by `waitMs`. */
export type AlertOutcome =
  | { type: "done"; result: AlertDeliveryResult }
  | { type: "wait"; waitMs: number; reason: WaitReason };

export function done(result: AlertDeliveryResult): AlertOutcome {
  return { type: "done", result };
}

export function wait(waitMs: number, reason: WaitReason): AlertOutcome {
  return { type: "wait", waitMs, reason };
}
