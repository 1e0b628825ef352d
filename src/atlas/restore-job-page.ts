import { z } from "zod";
import { MISSING_STATUS, type RestoreJob } from "./restore-job.ts";

const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/;

// A field of the wrong type is dropped rather than failing the job, because every field but
// `id` is optional in the specification. Keys not listed here, `snapshotUrl` and `links`
// among them, are stripped by zod.
const optionalString = z.string().optional().catch(undefined);

const restoreJobSchema = z.object({
  id: z.string().regex(OBJECT_ID_PATTERN),
  status: z.string().min(1).catch(MISSING_STATUS),
  deliveryType: optionalString,
  instanceName: optionalString,
  projectId: optionalString,
  snapshotId: optionalString,
  snapshotFinishedDate: optionalString,
  restoreScheduledDate: optionalString,
  restoreFinishedDate: optionalString,
  expirationDate: optionalString,
  targetDeploymentItemName: optionalString,
  targetProjectId: optionalString,
});

/** Restore jobs parsed from one page of `results`. */
export interface RestoreJobPage {
  jobs: RestoreJob[];
  /** Indexes in `results` of the items skipped because they had no valid 24-hex `id`. */
  skippedIndexes: number[];
}

/**
 * Parses the `results` of one restore job page. Fields are copied as Atlas sent them, unknown
 * statuses included. `snapshotUrl` is dropped because it is a credential-bearing link.
 */
export function parseRestoreJobPage(results: unknown[]): RestoreJobPage {
  const jobs: RestoreJob[] = [];
  const skippedIndexes: number[] = [];

  results.forEach((item, index) => {
    const parsed = restoreJobSchema.safeParse(item);
    if (parsed.success) jobs.push(withoutUndefined(parsed.data));
    else skippedIndexes.push(index);
  });

  return { jobs, skippedIndexes };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, fieldValue]) => fieldValue !== undefined),
  ) as T;
}
