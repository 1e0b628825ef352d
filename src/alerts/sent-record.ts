/** Location of the one top-level Slack message of an alert. */
export interface SentRecord {
  /** Channel id Slack returned, e.g. `C0123ABCD`. */
  channel: string;
  /** Slack message timestamp, the id of the message within its channel. */
  ts: string;
  /** When the message was posted, ISO-8601 UTC. */
  postedAt: string;
}

/**
 * The sent record of one alert, stored per (restore job, alert kind), as the Slack sender needs
 * it. `claim` is a lock with a TTL that keeps two workers from posting the same alert at once.
 */
export interface SentRecordPort {
  get(): Promise<SentRecord | null>;
  /** Returns false when another worker has the claim. */
  claim(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
  put(record: SentRecord): Promise<void>;
}
