import { accept, type Rule, reject } from "./config-rules.ts";

/** Date, time and zone. Seconds and fractions of a second are optional. */
const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

const UNTIL_FIX =
  'write a date and time with a zone, e.g. until: "2025-07-01T18:00:00Z" or "2025-07-01T20:00:00+02:00"';

const REASON_FIX = 'say why the alerts are silenced, e.g. reason: "planned restore drill"';

/**
 * End of a silence: an ISO-8601 date-time with a zone (`Z` or `±hh:mm`), returned in UTC as
 * `toISOString` writes it. A zone is required because a silence must end at the same instant
 * on every replica, whatever its local time zone.
 */
export const silenceEnd: Rule<string> = (value) => {
  if (value === undefined) return reject("is missing", UNTIL_FIX);
  if (typeof value !== "string") return reject("must be a date and time in quotes", UNTIL_FIX);

  const match = DATE_TIME_PATTERN.exec(value.trim());
  if (match === null) {
    const message = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(value.trim())
      ? "must end with a time zone (Z or ±hh:mm)"
      : "must be an ISO-8601 date and time with a zone";
    return reject(message, UNTIL_FIX);
  }

  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const time = Date.parse(value.trim());
  const validTime = hour <= 23 && minute <= 59 && second <= 59;
  if (!isCalendarDate(year, month, day) || !validTime || Number.isNaN(time)) {
    return reject("is not a valid date and time", UNTIL_FIX);
  }
  return accept(new Date(time).toISOString());
};

/** The reason of a silence: required text, so that no silence is left unexplained. */
export const silenceReason: Rule<string> = (value) => {
  if (value === undefined) return reject("is missing", REASON_FIX);
  if (typeof value !== "string") return reject("must be text", `${REASON_FIX}, in quotes`);
  if (value.trim() === "") return reject("must not be empty", REASON_FIX);
  return accept(value.trim());
};

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
