import type { Queue } from "bullmq";
import { AtlasApiError } from "../atlas/atlas-api-error.ts";
import { TOKEN_ENDPOINT_PATH } from "../atlas/atlas-error-classification.ts";
import type { Logger } from "../logger.ts";
import type { ClusterRef } from "../state/cluster-ref.ts";
import type { OperatorAlertPolicy, OperatorAlertStore } from "../state/operator-alert-store.ts";
import type { PollFailureCounter } from "../state/poll-failure-counter.ts";
import {
  type OperatorAlertJobData,
  type OperatorAlertReason,
  type OperatorAlertSubject,
  type OperatorFailure,
  type OperatorFailureSource,
  operatorAlertJobId,
  operatorAlertKey,
  operatorResolvedJobId,
} from "./operator-alert.ts";

type ClusterId = Pick<ClusterRef, "projectId" | "cluster">;

/** Options of `OperatorAlertTracker`. */
export interface OperatorAlertTrackerOptions {
  store: OperatorAlertStore;
  /** Failed polls per cluster, whatever the error, for the metrics. */
  pollFailures: PollFailureCounter;
  queue: Queue<OperatorAlertJobData>;
  /** Threshold of consecutive failures; rejected credentials and API versions alert at once. */
  policy: OperatorAlertPolicy;
  logger: Logger;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/** Codes of an Atlas or OAuth error that mean the credentials themselves are rejected. */
const CREDENTIAL_ERROR_CODES: ReadonlySet<string> = new Set([
  "invalid_client",
  "access_denied",
  "CREDENTIALS_REJECTED",
  "MISSING_CREDENTIALS",
]);

/** Reasons that stop every poll, so waiting for more sweeps only delays the alert. */
const IMMEDIATE_REASONS: ReadonlySet<OperatorAlertReason> = new Set([
  "credentials-rejected",
  "api-version-rejected",
]);

/** Atlas statuses that reject the versioned media type: 406 unknown, 410 retired. */
const VERSION_REJECTED_STATUSES: ReadonlySet<number> = new Set([406, 410]);

/**
 * Counts polls and cluster listings that failed for good, per cluster, per project, or globally
 * (credentials or API version rejected), and queues an operator alert when a count reaches its
 * threshold. A success resets the counts and queues a "resolved" reply to the alert posted for
 * them. Its own Redis or queue failures are logged, never thrown, so they cannot hide the
 * poll's own error.
 */
export class OperatorAlertTracker {
  readonly #options: OperatorAlertTrackerOptions;
  readonly #now: () => Date;

  constructor(options: OperatorAlertTrackerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Counts a poll of `ref` that failed for good in sweep `sweepId`. */
  async recordPollFailure(ref: ClusterId, sweepId: string, err: unknown): Promise<void> {
    await this.#guard("record poll failure", ref, async () => {
      await this.#options.pollFailures.countFailure(ref, sweepId);
      await this.#recordFailure(toFailure(err, ref.projectId, ref.cluster, sweepId, "poll"));
    });
  }

  /** Resets the counts of the cluster, its project and the global ones after a good poll. */
  async recordPollSuccess(ref: ClusterId): Promise<void> {
    await this.#guard("record poll success", ref, async () => {
      await this.#options.pollFailures.reset(ref);
      await this.#resolve({ scope: "cluster", ...ref });
      await this.#resolve({ scope: "project", projectId: ref.projectId });
      await this.#resolve({ scope: "global" });
    });
  }

  /** Counts a failed listing of the flex clusters of a `"*"` project in sweep `sweepId`. */
  async recordDiscoveryFailure(projectId: string, sweepId: string, err: unknown): Promise<void> {
    await this.#guard("record discovery failure", { projectId }, async () => {
      await this.#recordFailure(toFailure(err, projectId, undefined, sweepId, "discovery"));
    });
  }

  /** Counts a failed listing of the projects of `projects: "*"` in sweep `sweepId`. */
  async recordProjectListFailure(sweepId: string, err: unknown): Promise<void> {
    await this.#guard("record project list failure", {}, async () => {
      const failure = toFailure(err, undefined, undefined, sweepId, "discovery");
      await this.#recordFailure(failure);
    });
  }

  /**
   * Resets the counts that failed listings of a project set, after a good listing. Counts set
   * by polls stay, because listing clusters succeeding does not mean polling them does.
   */
  async recordDiscoverySuccess(projectId: string): Promise<void> {
    await this.#guard("record discovery success", { projectId }, async () => {
      await this.#resolve({ scope: "project", projectId }, "discovery");
      await this.#resolve({ scope: "global" }, "discovery");
    });
  }

  async #recordFailure(failure: OperatorFailure): Promise<void> {
    const { store, queue, policy, logger } = this.#options;
    const now = this.#now();
    const effectivePolicy = IMMEDIATE_REASONS.has(failure.reason)
      ? { ...policy, threshold: 1 }
      : policy;
    const candidate = operatorAlertJobId(failure.subject, now.getTime(), policy.repeatIntervalMs);

    const recorded = await store.recordFailure(failure, now, effectivePolicy, candidate);
    if (recorded.alertJobId === undefined) return;

    const data: OperatorAlertJobData = {
      type: "failing",
      subject: failure.subject,
      reason: failure.reason,
      since: recorded.since,
    };
    // BullMQ ignores a job id it still keeps, so a re-add after a crash is harmless.
    await queue.add(failure.reason, data, { jobId: recorded.alertJobId });
    if (recorded.alertJobId !== candidate) return;

    logger.warn(
      { ...subjectFields(failure.subject), reason: failure.reason, failures: recorded.failures },
      "operator alert queued",
    );
  }

  async #resolve(subject: OperatorAlertSubject, onlySource?: OperatorFailureSource) {
    const { store, queue, logger } = this.#options;
    const entry = await store.get(subject);
    if (entry === null || (onlySource !== undefined && entry.source !== onlySource)) return;

    // Queued before the delete, so a crash in between leaves the entry for the next success,
    // which queues the same job id again.
    const thread = entry.posted;
    if (thread !== undefined && thread.ts !== "") {
      const data: OperatorAlertJobData = {
        type: "resolved",
        subject,
        reason: entry.reason,
        since: entry.since,
        failures: entry.failures,
        resolvedAt: this.#now().toISOString(),
        thread: { channel: thread.channel, ts: thread.ts },
      };
      await queue.add("resolved", data, { jobId: operatorResolvedJobId(subject, entry.since) });
    }
    if (await store.deleteRun(subject, entry.since)) {
      logger.info(
        { ...subjectFields(subject), reason: entry.reason, failures: entry.failures },
        "operator alert condition resolved",
      );
    }
  }

  async #guard(action: string, ids: Record<string, string>, run: () => Promise<void>) {
    try {
      await run();
    } catch (err) {
      this.#options.logger.error({ err, ...ids, action }, "operator alert state not updated");
    }
  }
}

/**
 * Sorts a failure to the subject that owns it. Rejected credentials or API versions and failed
 * project listings are global. Other Atlas errors with a project scope and failed cluster
 * listings belong to the project, and the rest to the cluster. `projectId` is undefined for a
 * project listing.
 */
function toFailure(
  err: unknown,
  projectId: string | undefined,
  cluster: string | undefined,
  sweepId: string,
  source: OperatorFailureSource,
): OperatorFailure {
  const atlasError = err instanceof AtlasApiError ? err : undefined;
  const globalReason = atlasError === undefined ? undefined : globalReasonOf(atlasError);

  let subject: OperatorAlertSubject;
  let reason: OperatorAlertReason;
  if (globalReason !== undefined) {
    subject = { scope: "global" };
    reason = globalReason;
  } else if (projectId === undefined) {
    subject = { scope: "global" };
    reason = "project-list-failed";
  } else if (cluster === undefined || atlasError?.scope === "project") {
    subject = { scope: "project", projectId };
    reason = "project-poll-failed";
  } else {
    subject = { scope: "cluster", projectId, cluster };
    reason = "cluster-poll-failed";
  }

  return {
    subject,
    reason,
    source,
    sweepId,
    errorCode: atlasError?.errorCode,
    httpStatus: atlasError?.status,
    message: err instanceof Error ? err.message : String(err),
  };
}

function globalReasonOf(err: AtlasApiError): OperatorAlertReason | undefined {
  if (err.scope !== "global") return undefined;
  if (err.errorCode === "VERSION_GONE") return "api-version-rejected";
  if (err.status !== undefined && VERSION_REJECTED_STATUSES.has(err.status)) {
    return "api-version-rejected";
  }
  // Every global failure of the token endpoint (rejected client, token limits) stops all polls.
  if (err.status === 401 || err.endpoint === TOKEN_ENDPOINT_PATH) return "credentials-rejected";
  if (err.errorCode !== undefined && CREDENTIAL_ERROR_CODES.has(err.errorCode)) {
    return "credentials-rejected";
  }
  // Other global errors (an invalid response, a request Atlas cannot serve) are counted for
  // the cluster, because a success elsewhere would otherwise resolve them every sweep.
  return undefined;
}

function subjectFields(subject: OperatorAlertSubject): Record<string, string> {
  const fields: Record<string, string> = { alertKey: operatorAlertKey(subject) };
  if (subject.scope !== "global") fields.projectId = subject.projectId;
  if (subject.scope === "cluster") fields.cluster = subject.cluster;
  return fields;
}
