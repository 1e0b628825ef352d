import type { SlackConfig } from "../config/config.ts";
import { ALERT_SEVERITY, type AlertEvent } from "./alert-event.ts";
import { matchesSelector } from "./alert-selector.ts";

/** Destination of one alert: its channel and the people it mentions. */
export interface AlertRoute {
  /** Channel name or id, as configured. */
  channel: string;
  /** User or group ids to mention; empty unless the alert is critical. */
  mentions: readonly string[];
  /** Index of the matching `slack.routes` entry, or -1 for the default channel. */
  routeIndex: number;
}

/** The routing part of the Slack config. */
export type RoutingConfig = Pick<SlackConfig, "channel" | "mentions" | "routes">;

/**
 * Returns the route of an alert: the first `slack.routes` entry whose projects, cluster globs
 * and kinds all match, else the default channel with `slack.mentions`. Mentions are kept for
 * critical alerts only, so warnings never page anyone.
 */
export function routeAlert(
  event: Pick<AlertEvent, "projectId" | "cluster" | "kind">,
  config: RoutingConfig,
): AlertRoute {
  const routeIndex = config.routes.findIndex((route) => matchesSelector(event, route));
  const route = config.routes[routeIndex];
  const critical = ALERT_SEVERITY[event.kind] === "critical";

  if (route === undefined) {
    return { channel: config.channel, mentions: critical ? config.mentions : [], routeIndex: -1 };
  }
  return { channel: route.channel, mentions: critical ? route.mentions : [], routeIndex };
}
