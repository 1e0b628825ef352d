import { DelayedError, type Job } from "bullmq";
import type { AlertDelivery } from "../src/alerts/alert-delivery.ts";
import { type AlertEvent, alertJobId } from "../src/alerts/alert-event.ts";
import type { AlertDeliveryResult } from "../src/alerts/alert-outcome.ts";
import { SlackDeliveryError } from "../src/alerts/slack-delivery-error.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { AlertJobData } from "../src/queue/job-data.ts";

/** A Slack error no retry can fix, as `onPermanentError` receives it. */
export interface SlackPermanentErrorReport {
  /** Slack's error string, e.g. `channel_not_found`. */
  code: string;
  /** Channel of the failed call as configured, or undefined when unknown. */
  channel: string | undefined;
  /** What failed and what to fix. It contains no secret. */
  message: string;
  alertId: string;
  projectId: string;
  cluster: string;
  restoreJobId: string;
}

export interface SendAlertDependencies {
  /** Null when Slack is turned off in the config: alerts are then only logged and counted. */
  delivery: Pick<AlertDelivery, "deliver"> | null;
  metrics: Metrics;
  logger: Logger;
  /**
   * Called after a permanent Slack error (bad token, channel or scope) is logged and counted,
   * to raise an operator alert. Its own failure is logged, never thrown.
   */
  onPermanentError?: (report: SlackPermanentErrorReport) => Promise<void>;
}

/**
 * Creates the alert processor. `AlertDelivery` checks the alert's record before it posts, so a
 * retried, stalled or duplicated alert job posts at most one Slack message per (restore job,
 * kind). When delivery must wait (order, rate limit, a lock), the job is delayed to that time and
 * no attempt is used up.
 */
export function createSendAlertProcessor(deps: SendAlertDependencies) {
  return async (job: Job<AlertJobData>, token?: string): Promise<AlertDeliveryResult> => {
    const event = job.data;
    const logger = deps.logger.child({
      job: "alert",
      projectId: event.projectId,
      cluster: event.cluster,
      restoreJobId: event.job.id,
      kind: event.kind,
    });

    if (deps.delivery === null) {
      deps.metrics.alerts.inc({ kind: event.kind, outcome: "disabled" });
      logger.warn({ status: event.job.status }, "restore alert not posted: slack is disabled");
      return { outcome: "disabled" };
    }

    try {
      const outcome = await deps.delivery.deliver(event);
      if (outcome.type === "wait") {
        logger.debug({ reason: outcome.reason, waitMs: outcome.waitMs }, "alert delayed");
        await job.moveToDelayed(Date.now() + outcome.waitMs, token);
        throw new DelayedError();
      }

      const { result } = outcome;
      deps.metrics.alerts.inc({ kind: event.kind, outcome: result.outcome });
      logger.info(
        {
          channel: result.channel,
          ts: result.ts,
          outcome: result.outcome,
          delivery: result.delivery,
        },
        "alert handled",
      );
      return result;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      await handleFailure(deps, event, err, job.attemptsMade + 1, logger);
      throw err;
    }
  };
}

async function handleFailure(
  deps: SendAlertDependencies,
  event: AlertEvent,
  err: unknown,
  attempt: number,
  logger: Logger,
): Promise<void> {
  deps.metrics.alerts.inc({ kind: event.kind, outcome: "error" });
  if (!(err instanceof SlackDeliveryError) || err.retryable) {
    logger.warn({ err, attempt }, "alert delivery failed; retrying");
    return;
  }

  // An operator has to fix the token, scope or channel; the job retries slowly meanwhile.
  deps.metrics.slackPermanentErrors.inc({ code: err.code, channel: err.channel ?? "" });
  logger.error(
    { err, code: err.code, channel: err.channel, attempt },
    "slack rejected the alert; fix the slack settings",
  );
  try {
    await deps.onPermanentError?.({
      code: err.code,
      channel: err.channel,
      message: err.message,
      alertId: alertJobId(event),
      projectId: event.projectId,
      cluster: event.cluster,
      restoreJobId: event.job.id,
    });
  } catch (reportErr) {
    logger.error({ err: reportErr }, "slack error not reported to operators");
  }
}
