import { type ClusterRef, clusterKey } from "./cluster-ref.ts";

/** Redis keys of one cluster's saved state. */
export interface ClusterStateKeys {
  /** Hash: restore job id → SavedJob JSON. */
  jobs: string;
  /** Hash: `version`, `baselineAt`, `lastPolledAt`. */
  meta: string;
  /** Hash: status → number of saved jobs in it. */
  counts: string;
  /** Hash: alert job id → AlertEvent JSON, for alerts not yet sent. */
  outbox: string;
  /** Hash: alert job id → SentRecord JSON. */
  sent: string;
  /** Prefix of the send locks, one per restore job: `<sendingPrefix><restoreJobId>`. */
  sendingPrefix: string;
  /** Hash: restore job id → AlertThread JSON, the job's top-level Slack message. */
  threads: string;
  /** Hash: alert job id → PostingIntent JSON, written before a post and removed with its record. */
  posting: string;
}

/**
 * Builds the keys of one cluster's state. They all share the hash tag `{<projectId>/<cluster>}`,
 * so in Redis Cluster they sit in one slot and one Lua script may touch them all.
 * Throws when the project id or cluster name contains `{`, `}` or `/`, which would break the
 * hash tag or the cluster registry's `<projectId>/<cluster>` members.
 */
export function clusterStateKeys(
  keyPrefix: string,
  ref: Pick<ClusterRef, "projectId" | "cluster">,
): ClusterStateKeys {
  for (const value of [ref.projectId, ref.cluster]) {
    if (value === "" || /[{}/]/.test(value)) {
      throw new Error(
        `invalid cluster reference ${JSON.stringify(clusterKey(ref))}: the project id and cluster name must be non-empty and must not contain "{", "}" or "/". Check the configured projects`,
      );
    }
  }

  const base = `${keyPrefix}:{${clusterKey(ref)}}`;
  return {
    jobs: `${base}:jobs`,
    meta: `${base}:meta`,
    counts: `${base}:counts`,
    outbox: `${base}:outbox`,
    sent: `${base}:sent`,
    sendingPrefix: `${base}:sending:`,
    threads: `${base}:threads`,
    posting: `${base}:posting`,
  };
}
