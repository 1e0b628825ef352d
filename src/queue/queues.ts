import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { OperatorAlertJobData } from "../alerts/operator-alert.ts";
import type { AlertJobData, PollJobData, SweepJobData } from "./job-data.ts";
import { bullmqPrefix, QUEUE_NAMES } from "./queue-names.ts";

const SECOND_MS = 1000;
const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/** The backoff type the alert workers resolve with their own strategy (`alert-backoff.ts`). */
export const ALERT_BACKOFF_TYPE = "flexwatch-alert";

/**
 * Attempts of an alert job. The real limit is time (`alerts.deliveryTimeoutMs`), enforced by
 * the backoff strategy, so this only has to be larger than any count that time allows.
 */
const ALERT_MAX_ATTEMPTS = 100_000;

/**
 * Sweep jobs stay for a day after completing: a replica that starts late adds the same slot id,
 * and BullMQ ignores an id it still holds, so a slot is swept once.
 */
export const sweepJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5 * SECOND_MS },
  removeOnComplete: { age: DAY_S, count: 20_000 },
  removeOnFail: { age: 7 * DAY_S },
};

export function pollJobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: "exponential", delay: 10 * SECOND_MS, jitter: 0.5 },
    removeOnComplete: { age: DAY_S, count: 100_000 },
    removeOnFail: { age: 7 * DAY_S },
  };
}

/**
 * Alert jobs stay a week, so a re-enqueued alert id within that time is ignored by BullMQ.
 * Operator alert jobs use the same options and backoff.
 */
export const alertJobOptions: JobsOptions = {
  attempts: ALERT_MAX_ATTEMPTS,
  backoff: { type: ALERT_BACKOFF_TYPE },
  removeOnComplete: { age: 7 * DAY_S },
  removeOnFail: { age: 30 * DAY_S },
};

export interface Queues {
  sweep: Queue<SweepJobData>;
  poll: Queue<PollJobData>;
  alert: Queue<AlertJobData>;
  operatorAlert: Queue<OperatorAlertJobData>;
}

/** Opens the flexwatch queues on one shared connection. */
export function createQueues(connection: Redis, keyPrefix: string, pollAttempts: number): Queues {
  const prefix = bullmqPrefix(keyPrefix);

  return {
    sweep: new Queue<SweepJobData>(QUEUE_NAMES.sweep, {
      connection,
      prefix,
      defaultJobOptions: sweepJobOptions,
    }),
    poll: new Queue<PollJobData>(QUEUE_NAMES.poll, {
      connection,
      prefix,
      defaultJobOptions: pollJobOptions(pollAttempts),
    }),
    alert: new Queue<AlertJobData>(QUEUE_NAMES.alert, {
      connection,
      prefix,
      defaultJobOptions: alertJobOptions,
    }),
    operatorAlert: new Queue<OperatorAlertJobData>(QUEUE_NAMES.operatorAlert, {
      connection,
      prefix,
      defaultJobOptions: alertJobOptions,
    }),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all([
    queues.sweep.close(),
    queues.poll.close(),
    queues.alert.close(),
    queues.operatorAlert.close(),
  ]);
}
