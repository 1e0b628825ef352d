import type { Queue } from "bullmq";
import type { AlertJobData } from "../queue/job-data.ts";
import type { AlertDigest } from "./alert-digest.ts";
import { type AlertEvent, alertJobId } from "./alert-event.ts";

/**
 * Queues the alert job of one alert of sweep `sweepId` and returns its job id. With digests on,
 * the alert is registered for its sweep's digest first, and the job waits out the digest
 * window. The job id is fixed per (restore job, kind), so BullMQ ignores a second add while it
 * still keeps the job.
 */
export async function enqueueAlert(
  queue: Queue<AlertJobData>,
  event: AlertEvent,
  sweepId: string,
  digest?: Pick<AlertDigest, "register" | "windowMs">,
): Promise<string> {
  const data: AlertJobData = { ...event, sweepId };
  const jobId = alertJobId(event);

  await digest?.register(data);
  await queue.add(event.kind, data, { jobId, delay: digest?.windowMs });
  return jobId;
}
