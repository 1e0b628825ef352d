import { CronExpressionParser } from "cron-parser";

/**
 * Returns the start of the most recent cron slot at or before `now`, in epoch milliseconds,
 * or null when the expression has no earlier occurrence. A replica that starts between two
 * ticks uses it to run the slot that may have been missed while no replica was up.
 */
export function mostRecentSlotMs(cron: string, timezone: string, now: Date): number | null {
  const expression = CronExpressionParser.parse(cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: timezone,
  });
  if (!expression.hasPrev()) return null;

  return expression.prev().getTime();
}

/** Returns the slot of a cron tick: node-cron's scheduled date truncated to the second. */
export function slotOfTick(scheduledAt: Date): number {
  return Math.floor(scheduledAt.getTime() / 1000) * 1000;
}
