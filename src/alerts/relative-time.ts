const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Durations up to this many hours are shown in hours, longer ones in days. */
const MAX_HOURS_SHOWN = 48;

/**
 * Formats `isoDateTime` relative to `nowMs`, rounded to whole units: `in 2 h`, `3 h ago`,
 * `in 5 min`, `2 d ago`, or `now` within half a minute. Returns undefined for an invalid date.
 */
export function formatRelativeTime(isoDateTime: string, nowMs: number): string | undefined {
  const dateMs = new Date(isoDateTime).getTime();
  if (Number.isNaN(dateMs)) return undefined;

  const diffMs = dateMs - nowMs;
  const amount = formatDuration(Math.abs(diffMs));
  if (amount === undefined) return "now";

  return diffMs > 0 ? `in ${amount}` : `${amount} ago`;
}

function formatDuration(durationMs: number): string | undefined {
  const minutes = Math.round(durationMs / MINUTE_MS);
  if (minutes === 0) return undefined;
  if (minutes < 60) return `${minutes} min`;

  const hours = Math.round(durationMs / HOUR_MS);
  if (hours <= MAX_HOURS_SHOWN) return `${hours} h`;

  return `${Math.round(durationMs / DAY_MS)} d`;
}
