import type { SilenceConfig } from "../config/config.ts";
import { type AlertEvent, alertJobId } from "./alert-event.ts";
import { type AlertOutcome, done, wait } from "./alert-outcome.ts";
import { deferOnRateLimit } from "./defer-on-rate-limit.ts";
import type { DeliveryContext } from "./delivery-context.ts";
import { buildDigestMessage } from "./digest-message.ts";
import type { DigestStore, PostedDigest } from "./digest-store.ts";
import { postOnce } from "./post-once.ts";
import { type AlertRoute, type RoutingConfig, routeAlert } from "./route-alert.ts";
import { findActiveSilence } from "./silence-match.ts";

/** Options of `AlertDigest`. */
export interface AlertDigestOptions {
  context: DeliveryContext;
  store: DigestStore;
  routing: RoutingConfig;
  silences: readonly SilenceConfig[];
  /** More alerts than this for one channel in one sweep are posted as one digest. */
  threshold: number;
  /**
   * Delay of every alert job after its poll, in milliseconds, so that the alerts of a sweep
   * are registered before the first of them decides on a digest.
   */
  windowMs: number;
}

/** Wait while another worker has a digest's claim. */
const CLAIM_WAIT_MS = 1000;

/**
 * Collapses the alerts of one sweep for one channel into one digest message when there are
 * more than `threshold` of them. Polls register each alert when they queue it. The first alert
 * job that finds more than `threshold` registered claims the digest and posts it, listing every
 * registered alert not delivered yet. It records each listed alert as delivered by the digest,
 * so the other jobs of the sweep find their record and finish as duplicates.
 */
export class AlertDigest {
  readonly #options: AlertDigestOptions;

  constructor(options: AlertDigestOptions) {
    this.#options = options;
  }

  get windowMs(): number {
    return this.#options.windowMs;
  }

  /**
   * Registers an alert for its sweep's digest. Silenced alerts, and alerts whose restore job
   * already has a thread (they become replies), are left out.
   */
  async register(event: AlertEvent): Promise<void> {
    const { context, routing, silences, store } = this.#options;
    if (event.sweepId === undefined) return;
    if (findActiveSilence(event, silences, context.now()) !== undefined) return;

    const ref = { projectId: event.projectId, cluster: event.cluster };
    if ((await context.threads.getThread(ref, event.job.id)) !== null) return;
    const route = routeAlert(event, routing);
    await store.register(event.sweepId, route.channel, alertJobId(event), event);
  }

  /**
   * Delivers the alert as part of its sweep's digest. Returns undefined when it goes on its
   * own: no sweep, not more than `threshold` alerts, or it arrived after the digest was posted.
   */
  async deliver(event: AlertEvent, route: AlertRoute): Promise<AlertOutcome | undefined> {
    const { store, threshold, context } = this.#options;
    const sweepId = event.sweepId;
    if (sweepId === undefined) return undefined;

    const posted = await store.getPosted(sweepId, route.channel);
    if (posted !== null) return this.#asMember(event, posted);
    if ((await store.count(sweepId, route.channel)) <= threshold) return undefined;

    if (!(await store.claim(sweepId, route.channel, context.claimTtlMs))) {
      return wait(CLAIM_WAIT_MS, "digest-claimed");
    }
    try {
      return await this.#deliverClaimed(event, sweepId, route);
    } finally {
      await store.release(sweepId, route.channel);
    }
  }

  async #deliverClaimed(
    event: AlertEvent,
    sweepId: string,
    route: AlertRoute,
  ): Promise<AlertOutcome | undefined> {
    const { store, context } = this.#options;
    const posted = await store.getPosted(sweepId, route.channel);
    if (posted !== null) return this.#asMember(event, posted);

    const members = await this.#undeliveredMembers(sweepId, route.channel);
    // Too few left when earlier jobs of the sweep posted before the count passed the threshold.
    if (!members.has(alertJobId(event)) || members.size < 2) return undefined;

    const digestId = digestAlertId(sweepId, route.channel);
    const limitKey = (await context.directory.cachedId(route.channel)) ?? route.channel;
    const waitMs = await context.limiter.acquire(limitKey, digestId);
    if (waitMs > 0) return wait(waitMs, "rate-limit");

    const digest = await deferOnRateLimit(context, limitKey, () =>
      this.#post(sweepId, route, digestId, members),
    );
    for (const [alertId, member] of members) {
      if (digest.alertIds.includes(alertId)) await this.#recordMember(member, digest);
    }
    return done({
      outcome: "digested",
      delivery: "digest",
      channel: digest.channel,
      ts: digest.ts,
    });
  }

  async #post(
    sweepId: string,
    route: AlertRoute,
    digestId: string,
    members: Map<string, AlertEvent>,
  ): Promise<PostedDigest> {
    const { store, context, routing } = this.#options;
    const events = [...members.values()];
    const mentions = events.flatMap((member) => routeAlert(member, routing).mentions);
    const message = buildDigestMessage({ events, sweepId, mentions, nowMs: context.now() });

    const result = await postOnce({
      sender: context.sender,
      directory: context.directory,
      intents: {
        get: () => store.getIntent(sweepId, route.channel),
        put: (intent) => store.putIntent(sweepId, route.channel, intent),
      },
      message: { channel: route.channel, ...message, alertId: digestId },
      alertIds: [...members.keys()],
    });
    const alertIds = (result.found ? result.previous?.alertIds : undefined) ?? [...members.keys()];
    const digest = { channel: result.channel, ts: result.ts, alertIds, postedAt: isoNow(context) };
    await store.putPosted(sweepId, route.channel, digest);

    context.logger.info(
      {
        sweepId,
        channel: digest.channel,
        ts: digest.ts,
        alerts: alertIds.length,
        found: result.found,
      },
      "alert digest posted",
    );
    return digest;
  }

  async #asMember(event: AlertEvent, digest: PostedDigest): Promise<AlertOutcome | undefined> {
    // An alert registered after the digest was posted is delivered on its own.
    if (!digest.alertIds.includes(alertJobId(event))) return undefined;

    await this.#recordMember(event, digest);
    return done({
      outcome: "duplicate",
      delivery: "digest",
      channel: digest.channel,
      ts: digest.ts,
    });
  }

  async #recordMember(event: AlertEvent, digest: PostedDigest): Promise<void> {
    const { threads, logger } = this.#options.context;
    const ref = { projectId: event.projectId, cluster: event.cluster };
    const alertId = alertJobId(event);
    if ((await threads.getSent(ref, alertId)) !== null) return;

    const hasThread = (await threads.getThread(ref, event.job.id)) !== null;
    await threads.recordDelivery(ref, {
      alertId,
      record: {
        channel: digest.channel,
        ts: digest.ts,
        postedAt: digest.postedAt,
        delivery: "digest",
      },
      thread: hasThread
        ? undefined
        : {
            restoreJobId: event.job.id,
            value: {
              channel: digest.channel,
              ts: digest.ts,
              digest: true,
              kinds: [event.kind],
              latest: event,
              rootShows: alertId,
            },
          },
    });
    logger.info(
      {
        projectId: ref.projectId,
        cluster: ref.cluster,
        restoreJobId: event.job.id,
        kind: event.kind,
        ts: digest.ts,
      },
      "alert delivered in a digest",
    );
  }

  async #undeliveredMembers(sweepId: string, channel: string): Promise<Map<string, AlertEvent>> {
    const { store, context } = this.#options;
    const members = await store.members(sweepId, channel);
    const byCluster = new Map<string, string[]>();
    for (const [alertId, event] of members) {
      const key = `${event.projectId}/${event.cluster}`;
      byCluster.set(key, [...(byCluster.get(key) ?? []), alertId]);
    }
    for (const alertIds of byCluster.values()) {
      const first = members.get(alertIds[0] as string) as AlertEvent;
      const ref = { projectId: first.projectId, cluster: first.cluster };
      const delivered = await context.threads.getSentMany(ref, alertIds);
      for (const alertId of delivered.keys()) members.delete(alertId);
    }
    return members;
  }
}

/** Returns the id a digest message is marked with: `digest-<sweepId>-<channel>`. */
export function digestAlertId(sweepId: string, channel: string): string {
  return `digest-${sweepId}-${channel.replace(/^#/, "")}`;
}

function isoNow(context: DeliveryContext): string {
  return new Date(context.now()).toISOString();
}
