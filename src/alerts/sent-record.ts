/**
 * Form in which an alert reached Slack: `message` a top-level message, `reply` a reply in the
 * thread of its restore job, `digest` a line in a digest message, `silenced` none, because a
 * silence matched it.
 */
export type DeliveryKind = "message" | "reply" | "digest" | "silenced";

/**
 * The record of one delivered alert, stored per (restore job, alert kind). Its presence is what
 * makes a retried, re-queued or duplicated alert job post nothing.
 */
export interface SentRecord {
  /** Channel id Slack returned, e.g. `C0123ABCD`; the configured channel when silenced. */
  channel: string;
  /** Timestamp of the message that carries the alert; empty when silenced. */
  ts: string;
  /** When the alert was delivered or silenced, ISO-8601 UTC. */
  postedAt: string;
  /** Absent in records written before threads existed, which were all top-level messages. */
  delivery?: DeliveryKind;
  /** For a reply: the timestamp of the thread's top-level message. */
  threadTs?: string;
  /** For a silenced alert: the silence's reason and end. */
  silence?: { reason: string; until: string };
}

/**
 * Written before a post and deleted with the alert's record. Finding one means an earlier try
 * may have posted without recording it, so the channel is searched before posting again.
 */
export interface PostingIntent {
  /** Channel as the route names it (id or name). */
  channel: string;
  /** Thread the post was a reply in. */
  threadTs?: string;
  /** Alert ids a digest post stands for. */
  alertIds?: string[];
  /** ISO-8601 UTC. */
  startedAt: string;
}
