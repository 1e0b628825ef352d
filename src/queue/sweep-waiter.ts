import { randomUUID } from "node:crypto";
import { Job, type Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { OnceSummary } from "../cli/once-summary.ts";
import type { AlertResult, PollResult, SweepResult } from "./job-data.ts";
import { bullmqPrefix, QUEUE_NAMES } from "./queue-names.ts";
import type { Queues } from "./queues.ts";

/** How often the state of an alert job is read while waiting for it. */
const ALERT_STATE_CHECK_MS = 250;

interface Waited<T> {
  jobId: string;
  result?: T;
  error?: string;
}

/**
 * Runs a sweep with an id of its own through the queues and waits for its polls and the
 * alerts they enqueued. `flexwatch once` uses it; so do the pipeline tests.
 */
export class SweepWaiter {
  readonly #queues: Queues;
  readonly #events: Record<"sweep" | "poll" | "alert", QueueEvents>;
  readonly #retryGraceMs: number;

  /**
   * @param retryGraceMs - how long an alert may wait for a retry before `sweepAndWait` reports
   *   it as not delivered. @defaultValue 30000
   */
  constructor(connection: Redis, keyPrefix: string, queues: Queues, retryGraceMs = 30_000) {
    this.#retryGraceMs = retryGraceMs;
    const prefix = bullmqPrefix(keyPrefix);
    this.#queues = queues;
    // waitUntilFinished adds a listener to the queue per job waited for, and a sweep of many
    // clusters waits for all their polls at once.
    for (const queue of [queues.poll, queues.alert]) queue.setMaxListeners(0);
    this.#events = {
      sweep: new QueueEvents(QUEUE_NAMES.sweep, { connection, prefix }),
      poll: new QueueEvents(QUEUE_NAMES.poll, { connection, prefix }),
      alert: new QueueEvents(QUEUE_NAMES.alert, { connection, prefix }),
    };
  }

  /** Resolves once the event streams are read, so no job can finish unseen. */
  async ready(): Promise<void> {
    await Promise.all(Object.values(this.#events).map((events) => events.waitUntilReady()));
  }

  /** Runs one sweep and waits, until `deadline` (epoch ms), for its polls and alerts. */
  async sweepAndWait(deadline: number): Promise<OnceSummary> {
    const sweepId = `once-${randomUUID()}`;
    const sweepJob = await this.#queues.sweep.add(
      "sweep",
      { sweepId, slotMs: null, origin: "once" },
      { jobId: sweepId },
    );
    const sweep = (await sweepJob.waitUntilFinished(
      this.#events.sweep,
      remaining(deadline),
    )) as SweepResult;

    const polls = await Promise.all(
      sweep.pollJobIds.map((id) =>
        this.#waitFor<PollResult>(this.#queues.poll, "poll", id, deadline),
      ),
    );
    const alertIds = polls.flatMap((poll) => poll.result?.alertJobIds ?? []);
    const alerts = await Promise.all(alertIds.map((id) => this.#waitForAlert(id, deadline)));

    return {
      sweepId,
      ok:
        polls.every((poll) => poll.error === undefined) &&
        sweep.discoveryErrors.length === 0 &&
        alerts.every((alert) => alert.error === undefined),
      discoveryErrors: sweep.discoveryErrors,
      polls,
      alerts,
    };
  }

  /**
   * Waits for an alert job to finish, or to be waiting for a retry for longer than the retry
   * grace. Alert jobs retry for up to a day (a Slack outage, a rejected channel is retried every
   * 15 min), and `once` should report that rather than wait for it.
   */
  async #waitForAlert(jobId: string, deadline: number): Promise<Waited<AlertResult>> {
    let retryingSince: number | undefined;
    while (Date.now() < deadline) {
      const job = await Job.fromId(this.#queues.alert, jobId);
      if (job === undefined) return { jobId, error: "job not found in the queue" };

      const state = await job.getState();
      if (state === "completed") return { jobId, result: job.returnvalue as AlertResult };
      if (state === "failed") return { jobId, error: job.failedReason };
      if (state === "delayed" && job.attemptsMade > 0) {
        retryingSince ??= Date.now();
        if (Date.now() - retryingSince >= this.#retryGraceMs) {
          return { jobId, error: `not delivered yet, retried later: ${job.failedReason}` };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, ALERT_STATE_CHECK_MS));
    }

    return { jobId, error: "not delivered before the timeout; it stays queued and is retried" };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#events).map((events) => events.close()));
  }

  async #waitFor<T>(
    queue: Queue,
    kind: "poll" | "alert",
    jobId: string,
    deadline: number,
  ): Promise<Waited<T>> {
    const job = await Job.fromId(queue, jobId);
    if (job === undefined) return { jobId, error: "job not found in the queue" };

    try {
      const result = (await job.waitUntilFinished(this.#events[kind], remaining(deadline))) as T;
      return { jobId, result };
    } catch (err) {
      return { jobId, error: (err as Error).message };
    }
  }
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}
