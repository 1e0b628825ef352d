import type { Job } from "bullmq";
import {
  type OperatorAlertJobData,
  type OperatorAlertResult,
  operatorAlertKey,
} from "../src/alerts/operator-alert.ts";
import {
  buildOperatorAlertMessage,
  buildOperatorResolvedMessage,
} from "../src/alerts/operator-message.ts";
import type { SlackAlertSender } from "../src/alerts/slack-alert-sender.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics/metrics.ts";
import type { OperatorAlertStore } from "../src/state/operator-alert-store.ts";

type FailingData = Extract<OperatorAlertJobData, { type: "failing" }>;
type ResolvedData = Extract<OperatorAlertJobData, { type: "resolved" }>;

export interface SendOperatorAlertDependencies {
  /** Null when Slack is turned off in the config: operator alerts are then only logged. */
  sender: Pick<SlackAlertSender, "postMessage"> | null;
  store: OperatorAlertStore;
  /** `slack.operatorChannel`. */
  channel: string;
  /** `alerts.operatorRepeatIntervalMs`, named in the message. */
  repeatIntervalMs: number;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
}

/**
 * Creates the operator alert processor. A `failing` job posts only while the run of failures
 * it was queued for is unresolved and the job is still that run's pending alert. So a late
 * retry, a job superseded after a long Slack outage, or a run resolved meanwhile posts nothing.
 * A `resolved` job replies in the thread of the last posted alert.
 */
export function createSendOperatorAlertProcessor(deps: SendOperatorAlertDependencies) {
  return async (job: Job<OperatorAlertJobData>): Promise<OperatorAlertResult> => {
    const data = job.data;
    const logger = deps.logger.child({
      job: "operator-alert",
      jobId: job.id,
      alertKey: operatorAlertKey(data.subject),
      reason: data.reason,
    });

    try {
      const result =
        data.type === "failing"
          ? await handleFailing(deps, data, job.id ?? "", logger)
          : await handleResolved(deps, data, logger);
      deps.metrics.operatorAlerts.inc({ reason: data.reason, outcome: result.outcome });
      logger.info(
        { outcome: result.outcome, channel: result.channel, ts: result.ts },
        "operator alert handled",
      );
      return result;
    } catch (err) {
      deps.metrics.operatorAlerts.inc({ reason: data.reason, outcome: "error" });
      logger.warn(
        { err, attempt: job.attemptsMade + 1 },
        "operator alert delivery failed; retrying",
      );
      throw err;
    }
  };
}

async function handleFailing(
  deps: SendOperatorAlertDependencies,
  data: FailingData,
  jobId: string,
  logger: Logger,
): Promise<OperatorAlertResult> {
  const entry = await deps.store.get(data.subject);
  if (entry === null || entry.since !== data.since) return { outcome: "stale" };
  if (entry.posted?.jobId === jobId) {
    return { outcome: "duplicate", channel: entry.posted.channel, ts: entry.posted.ts };
  }
  if (entry.pendingJobId !== jobId) return { outcome: "superseded" };

  const postedAt = now(deps).toISOString();
  if (deps.sender === null) {
    logger.error(
      { failures: entry.failures, errorCode: entry.errorCode, since: entry.since },
      "operator alert not posted: slack is disabled",
    );
    await deps.store.recordPosted(data.subject, data.since, {
      jobId,
      channel: "",
      ts: "",
      postedAt,
    });
    return { outcome: "disabled" };
  }

  const message = buildOperatorAlertMessage(data.subject, entry, {
    repeatIntervalMs: deps.repeatIntervalMs,
  });
  const posted = await deps.sender.postMessage({ channel: deps.channel, ...message });
  const recorded = await deps.store.recordPosted(data.subject, data.since, {
    jobId,
    ...posted,
    postedAt,
  });
  if (!recorded) {
    // A success resolved the run while this message was on its way, and found no message to
    // reply to, so the reply goes out from here.
    await postResolvedReply(deps.sender, {
      type: "resolved",
      subject: data.subject,
      reason: data.reason,
      since: data.since,
      failures: entry.failures,
      resolvedAt: now(deps).toISOString(),
      thread: posted,
    });
  }
  return { outcome: "sent", channel: posted.channel, ts: posted.ts };
}

async function handleResolved(
  deps: SendOperatorAlertDependencies,
  data: ResolvedData,
  logger: Logger,
): Promise<OperatorAlertResult> {
  if (deps.sender === null) {
    logger.info({ failures: data.failures }, "operator alert resolved; slack is disabled");
    return { outcome: "disabled" };
  }

  const posted = await postResolvedReply(deps.sender, data);
  return { outcome: "resolved", channel: posted.channel, ts: posted.ts };
}

async function postResolvedReply(
  sender: Pick<SlackAlertSender, "postMessage">,
  data: ResolvedData,
) {
  const message = buildOperatorResolvedMessage(data);
  return sender.postMessage({
    channel: data.thread.channel,
    threadTs: data.thread.ts,
    ...message,
  });
}

function now(deps: SendOperatorAlertDependencies): Date {
  return deps.now?.() ?? new Date();
}
