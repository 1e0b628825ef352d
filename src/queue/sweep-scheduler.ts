import type { Queue } from "bullmq";
import cron, { type ScheduledTask } from "node-cron";
import type { ScheduleConfig } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { SweepJobData } from "./job-data.ts";
import { cronSweepJobId } from "./queue-names.ts";
import { mostRecentSlotMs, slotOfTick } from "./schedule-slot.ts";

/**
 * Enqueues one sweep job per cron slot. Every replica runs a scheduler; the job id comes from
 * the slot, so BullMQ keeps one job per slot however many replicas tick. Completed sweep jobs
 * are kept (see `sweepJobOptions`) so that a late replica cannot add a slot's sweep again.
 */
export class SweepScheduler {
  readonly #queue: Queue<SweepJobData>;
  readonly #schedule: ScheduleConfig;
  readonly #logger: Logger;
  #task: ScheduledTask | undefined;

  constructor(queue: Queue<SweepJobData>, schedule: ScheduleConfig, logger: Logger) {
    this.#queue = queue;
    this.#schedule = schedule;
    this.#logger = logger.child({ component: "scheduler" });
  }

  /** Starts ticking, after enqueuing the most recent slot in case no replica has swept it. */
  async start(now = new Date()): Promise<void> {
    const recentSlotMs = mostRecentSlotMs(this.#schedule.cron, this.#schedule.timezone, now);
    if (recentSlotMs !== null) await this.enqueueSlot(recentSlotMs, "catch-up");

    this.#task = cron.schedule(
      this.#schedule.cron,
      async (context) => {
        await this.enqueueSlot(slotOfTick(context.date), "tick");
      },
      { timezone: this.#schedule.timezone, name: "flexwatch-sweep", noOverlap: false },
    );
  }

  /** Enqueues the sweep of one slot; a no-op when that slot's sweep job already exists. */
  async enqueueSlot(slotMs: number, reason: "tick" | "catch-up"): Promise<void> {
    const jobId = cronSweepJobId(slotMs);
    try {
      await this.#queue.add("sweep", { sweepId: jobId, slotMs, origin: "cron" }, { jobId });
      this.#logger.debug({ jobId, reason }, "sweep enqueued");
    } catch (err) {
      this.#logger.error({ err, jobId, reason }, "failed to enqueue sweep");
    }
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
