import type { Job } from "bullmq";
import { alertJobId } from "../src/alerts/alert-event.ts";
import type { SentRecordPort } from "../src/alerts/sent-record.ts";
import type { SlackAlertSender } from "../src/alerts/slack-alert-sender.ts";
import { SlackDeliveryError } from "../src/alerts/slack-delivery-error.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { AlertJobData, AlertResult } from "../src/queue/job-data.ts";
import type { StateStore } from "../src/state/state-store.ts";

export interface SendAlertDependencies {
  /** Null when Slack is turned off in the config: alerts are then only logged and counted. */
  sender: Pick<SlackAlertSender, "send"> | null;
  store: StateStore;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Creates the alert processor. The sender checks the sent record before it posts, so a
 * retried, stalled or duplicated alert job posts at most one top-level Slack message.
 */
export function createSendAlertProcessor(deps: SendAlertDependencies) {
  return async (job: Job<AlertJobData>): Promise<AlertResult> => {
    const event = job.data;
    const id = alertJobId(event);
    const logger = deps.logger.child({
      job: "alert",
      projectId: event.projectId,
      cluster: event.cluster,
      restoreJobId: event.job.id,
      kind: event.kind,
    });

    if (deps.sender === null) {
      deps.metrics.alerts.inc({ kind: event.kind, outcome: "disabled" });
      logger.warn({ status: event.job.status }, "restore alert not posted: slack is disabled");
      return { outcome: "disabled" };
    }

    try {
      const result = await deps.sender.send(event, sentRecordPort(deps.store, event, id), {
        attempt: attemptNumber(job),
      });
      deps.metrics.alerts.inc({ kind: event.kind, outcome: result.outcome });
      logger.info(
        { channel: result.channel, ts: result.ts, outcome: result.outcome },
        "alert handled",
      );
      return result;
    } catch (err) {
      deps.metrics.alerts.inc({ kind: event.kind, outcome: "error" });
      logAlertError(logger, err, job.attemptsMade + 1);
      throw err;
    }
  };
}

function sentRecordPort(store: StateStore, event: AlertJobData, id: string): SentRecordPort {
  const ref = { projectId: event.projectId, cluster: event.cluster };
  return {
    get: () => store.getSent(ref, id),
    claim: (ttlMs) => store.claimSend(ref, id, ttlMs),
    release: () => store.releaseSend(ref, id),
    put: (record) => store.recordSent(ref, id, record),
  };
}

function logAlertError(logger: Logger, err: unknown, attempt: number): void {
  if (err instanceof SlackDeliveryError && !err.retryable) {
    // An operator has to fix the token, scope or channel; the job retries slowly meanwhile.
    logger.error(
      { err, code: err.code, attempt },
      "slack rejected the alert; fix the slack settings",
    );
    return;
  }
  logger.warn({ err, attempt }, "alert delivery failed; retrying");
}

/**
 * Returns the number of this attempt. A job re-run after its worker died (stalled) is not a
 * failed attempt, so `attemptsMade` stays put; `attemptsStarted` still counts it, and that
 * re-run is the case where Slack may already hold the message.
 */
function attemptNumber(job: Job<AlertJobData>): number {
  return Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
}
