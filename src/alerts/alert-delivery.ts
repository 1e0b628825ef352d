import type { Queue } from "bullmq";
import type { SilenceConfig } from "../config/config.ts";
import type { AlertThread } from "../state/alert-thread-store.ts";
import type { AlertDigest } from "./alert-digest.ts";
import { type AlertEvent, alertJobId } from "./alert-event.ts";
import { type AlertDeliveryResult, type AlertOutcome, done, wait } from "./alert-outcome.ts";
import { deferOnRateLimit } from "./defer-on-rate-limit.ts";
import type { DeliveryContext } from "./delivery-context.ts";
import { findEarlierAlert } from "./delivery-order.ts";
import type { MessageLinkOptions } from "./message-links.ts";
import { type PostOnceResult, postOnce } from "./post-once.ts";
import { type AlertRoute, type RoutingConfig, routeAlert } from "./route-alert.ts";
import type { SentRecord } from "./sent-record.ts";
import { findActiveSilence } from "./silence-match.ts";
import { SlackDeliveryError } from "./slack-delivery-error.ts";
import { buildAlertMessage } from "./slack-message.ts";
import { buildThreadReply } from "./thread-reply-message.ts";

/** Options of `AlertDelivery`. */
export interface AlertDeliveryOptions {
  context: DeliveryContext;
  /** The alert queue, read to keep the alerts of one restore job in order. */
  queue: Queue;
  routing: RoutingConfig;
  links: MessageLinkOptions;
  silences: readonly SilenceConfig[];
  /** Undefined turns digests off. */
  digest: AlertDigest | undefined;
}

/** Slack errors of `chat.update` that mean the top-level message can never be updated. */
const UNUPDATABLE_CODES: ReadonlySet<string> = new Set([
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
]);

/** Wait while another worker holds the restore job's send lock. */
const CLAIM_WAIT_MS = 1000;

type ClusterId = { projectId: string; cluster: string };

/**
 * Delivers one restore alert at most once. It checks the alert's record, the silences, the
 * order of its restore job's alerts, the digest of its sweep and the channel's rate limit.
 * Then, under the restore job's lock, it posts a top-level message, or a thread reply that
 * also updates the top-level message to the job's latest state. Returns `wait` when the alert
 * job should be delayed and tried again.
 * @throws SlackDeliveryError when Slack fails; the alert job's backoff decides the retry.
 */
export class AlertDelivery {
  readonly #options: AlertDeliveryOptions;

  constructor(options: AlertDeliveryOptions) {
    this.#options = options;
  }

  async deliver(event: AlertEvent): Promise<AlertOutcome> {
    const { context, routing, silences, digest } = this.#options;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const alertId = alertJobId(event);

    const existing = await context.threads.getSent(ref, alertId);
    if (existing !== null) return this.#duplicate(event, existing);

    const silence = findActiveSilence(event, silences, context.now());
    if (silence !== undefined) return this.#silence(event, silence);

    const route = routeAlert(event, routing);
    const earlier = await findEarlierAlert(event, {
      queue: this.#options.queue,
      threads: context.threads,
      nowMs: context.now(),
    });
    if (earlier !== undefined) return wait(earlier.waitMs, "earlier-alert");

    const digested = await digest?.deliver(event, route);
    if (digested !== undefined) return digested;

    const limitKey = await this.#limitKey(event, route.channel);
    const waitMs = await context.limiter.acquire(limitKey, alertId);
    if (waitMs > 0) return wait(waitMs, "rate-limit");

    return this.#withJobLock(ref, event.job.id, () =>
      deferOnRateLimit(context, limitKey, () => this.#post(event, route)),
    );
  }

  /**
   * Returns the rate-limit key of the channel the alert goes to: the thread's channel for a
   * reply, else the route's, as an id when known, so that a name and its id share one limit.
   */
  async #limitKey(event: AlertEvent, routeChannel: string): Promise<string> {
    const { threads, directory } = this.#options.context;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const thread = await threads.getThread(ref, event.job.id);
    const channel = thread?.channel ?? routeChannel;
    return (await directory.cachedId(channel)) ?? channel;
  }

  async #post(event: AlertEvent, route: AlertRoute): Promise<AlertOutcome> {
    const { context } = this.#options;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const alertId = alertJobId(event);
    // Another worker may have delivered it between the first check and the lock.
    const recorded = await context.threads.getSent(ref, alertId);
    if (recorded !== null) return done(duplicateResult(recorded));

    const thread = await context.threads.getThread(ref, event.job.id);
    const nowMs = context.now();
    const posted = await this.#postOnce(event, route, thread, nowMs);

    const delivery = posted.threadTs === undefined ? "message" : "reply";
    const record: SentRecord = {
      channel: posted.channel,
      ts: posted.ts,
      postedAt: new Date(nowMs).toISOString(),
      delivery,
      threadTs: posted.threadTs,
    };
    const next = nextThread(thread, event, record);
    await context.threads.recordDelivery(ref, {
      alertId,
      record,
      thread: { restoreJobId: event.job.id, value: next },
    });
    await this.#updateRoot(ref, event.job.id, next);

    const outcome = posted.found ? "duplicate" : "sent";
    return done({ outcome, delivery, channel: posted.channel, ts: posted.ts });
  }

  /** Posts the alert as the job's top-level message, or as a reply when it has a thread. */
  #postOnce(
    event: AlertEvent,
    route: AlertRoute,
    thread: AlertThread | null,
    nowMs: number,
  ): Promise<PostOnceResult> {
    const { context, links } = this.#options;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const alertId = alertJobId(event);
    const message =
      thread === null
        ? buildAlertMessage(event, { ...links, mentions: route.mentions, nowMs })
        : buildThreadReply(event, { mentions: route.mentions, nowMs });

    return postOnce({
      sender: context.sender,
      directory: context.directory,
      intents: {
        get: () => context.threads.getIntent(ref, alertId),
        put: (intent) => context.threads.putIntent(ref, alertId, intent),
      },
      message: {
        channel: thread?.channel ?? route.channel,
        threadTs: thread?.ts,
        ...message,
        alertId,
      },
    });
  }

  /**
   * Finishes an alert delivered before. When its thread's top-level message does not show the
   * latest state yet (an update failed), it is updated now, so the retry of a failed update is
   * the alert job's own retry.
   */
  async #duplicate(event: AlertEvent, existing: SentRecord): Promise<AlertOutcome> {
    const { threads } = this.#options.context;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const thread = await threads.getThread(ref, event.job.id);
    if (thread === null || !needsRootUpdate(thread)) return done(duplicateResult(existing));

    return this.#withJobLock(ref, event.job.id, async () => {
      const current = await threads.getThread(ref, event.job.id);
      if (current !== null) await this.#updateRoot(ref, event.job.id, current);
      return done(duplicateResult(existing));
    });
  }

  async #silence(event: AlertEvent, silence: SilenceConfig): Promise<AlertOutcome> {
    const { context, routing } = this.#options;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const route = routeAlert(event, routing);
    const record: SentRecord = {
      channel: route.channel,
      ts: "",
      postedAt: new Date(context.now()).toISOString(),
      delivery: "silenced",
      silence: { reason: silence.reason, until: silence.until },
    };

    // Recorded so that the alert is not posted after the silence ends either.
    await context.threads.recordDelivery(ref, { alertId: alertJobId(event), record });
    context.logger.info(
      {
        projectId: event.projectId,
        cluster: event.cluster,
        restoreJobId: event.job.id,
        kind: event.kind,
        reason: silence.reason,
        until: silence.until,
      },
      "alert silenced",
    );
    return done({ outcome: "silenced", delivery: "silenced", channel: route.channel });
  }

  async #updateRoot(ref: ClusterId, restoreJobId: string, thread: AlertThread): Promise<void> {
    if (!needsRootUpdate(thread)) return;

    const { context, links } = this.#options;
    const earlierKinds = thread.kinds.slice(0, -1);
    const message = buildAlertMessage(thread.latest, {
      ...links,
      nowMs: context.now(),
      earlierKinds,
    });
    try {
      await context.sender.updateMessage({ channel: thread.channel, ts: thread.ts, ...message });
    } catch (err) {
      if (!(err instanceof SlackDeliveryError) || !UNUPDATABLE_CODES.has(err.code)) throw err;
      // Retrying cannot bring back a deleted message, so the thread keeps the replies only.
      context.logger.warn(
        { ...ref, restoreJobId, channel: thread.channel, ts: thread.ts, code: err.code },
        "alert thread's top-level message not updated",
      );
    }
    await context.threads.putThread(ref, restoreJobId, {
      ...thread,
      rootShows: alertJobId(thread.latest),
    });
  }

  async #withJobLock(
    ref: ClusterId,
    restoreJobId: string,
    run: () => Promise<AlertOutcome>,
  ): Promise<AlertOutcome> {
    const { threads, claimTtlMs } = this.#options.context;
    if (!(await threads.claimJob(ref, restoreJobId, claimTtlMs))) {
      return wait(CLAIM_WAIT_MS, "claimed");
    }
    try {
      return await run();
    } finally {
      await threads.releaseJob(ref, restoreJobId);
    }
  }
}

function needsRootUpdate(thread: AlertThread): boolean {
  return !thread.digest && thread.rootShows !== alertJobId(thread.latest);
}

function nextThread(
  thread: AlertThread | null,
  event: AlertEvent,
  record: SentRecord,
): AlertThread {
  if (thread === null) {
    return {
      channel: record.channel,
      ts: record.ts,
      digest: false,
      kinds: [event.kind],
      latest: event,
      rootShows: alertJobId(event),
    };
  }
  return { ...thread, kinds: [...thread.kinds, event.kind], latest: event };
}

function duplicateResult(record: SentRecord): AlertDeliveryResult {
  return {
    outcome: "duplicate",
    delivery: record.delivery ?? "message",
    channel: record.channel,
    ts: record.ts === "" ? undefined : record.ts,
  };
}
