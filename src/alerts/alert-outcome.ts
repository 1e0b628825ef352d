import type { DeliveryKind } from "./sent-record.ts";

/**
 * Result of one delivered alert: `sent` when this job posted it (a message or a thread reply),
 * `digested` when this job posted the digest that lists it, `duplicate` when an earlier job,
 * try or digest delivered it, `silenced` when a silence matched it, and `disabled` when Slack is
 * turned off.
 */
export interface AlertDeliveryResult {
  outcome: "sent" | "digested" | "duplicate" | "silenced" | "disabled";
  delivery?: DeliveryKind;
  channel?: string;
  ts?: string;
}

/**
 * Why an alert job waits instead of delivering now: an earlier alert of the same restore job
 * is not delivered yet, the channel's rate limit reserved a later slot, or another worker holds
 * the restore job's lock or the digest's claim.
 */
export type WaitReason = "earlier-alert" | "rate-limit" | "claimed" | "digest-claimed";

/** What the alert processor does next: finish the job, or delay it by `waitMs`. */
export type AlertOutcome =
  | { type: "done"; result: AlertDeliveryResult }
  | { type: "wait"; waitMs: number; reason: WaitReason };

export function done(result: AlertDeliveryResult): AlertOutcome {
  return { type: "done", result };
}

export function wait(waitMs: number, reason: WaitReason): AlertOutcome {
  return { type: "wait", waitMs, reason };
}
