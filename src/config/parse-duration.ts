const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)$/;

/**
 * Node.js timers fire at once, with a warning, when asked to wait longer than 2^31 - 1 ms
 * (about 24.8 days), so no duration may exceed it.
 */
const MAX_DURATION_MS = 2 ** 31 - 1;

/** The accepted forms, for error messages and help text. */
export const DURATION_FORMS =
  'a whole number followed by ms, s, m, h or d, e.g. "500ms", "90s", "15m", "1h", "2d"';

/** A duration string that `parseDuration` rejects. `reason` names the rule it breaks. */
export class InvalidDurationError extends RangeError {
  override name = "InvalidDurationError";

  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`invalid duration ${JSON.stringify(value)}: ${reason}; write ${DURATION_FORMS}`);
  }
}

/**
 * Parses a duration such as `"90s"` or `"2d"` into milliseconds.
 *
 * @throws InvalidDurationError for zero, negative, fractional, unit-less or unknown-unit
 * values, and for durations above 2^31 - 1 ms (about 24.8 days).
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match) throw new InvalidDurationError(text, describeMalformed(trimmed));

  const [, amount = "", unit = ""] = match;
  const ms = Number(amount) * (MS_PER_UNIT[unit] ?? Number.NaN);
  if (ms === 0) throw new InvalidDurationError(text, "must be greater than zero");
  if (!(ms <= MAX_DURATION_MS)) {
    throw new InvalidDurationError(text, "must be at most 24d (the longest Node.js timer)");
  }

  return ms;
}

/**
 * Formats milliseconds in the largest unit that divides them exactly, the way the config file
 * writes durations: 120000 as `"2m"`, 1500 as `"1500ms"`.
 */
export function formatDurationMs(ms: number): string {
  const units = Object.entries(MS_PER_UNIT).sort(([, a], [, b]) => b - a);
  const [unit, size] = units.find(([, size]) => ms % size === 0) ?? ["ms", 1];
  return `${ms / size}${unit}`;
}

function describeMalformed(text: string): string {
  if (text.startsWith("-")) return "must be greater than zero";
  if (/^\d+$/.test(text)) return "a duration needs a unit";
  if (/^\d+\.\d+/.test(text)) {
    return "must be a whole number, so use a smaller unit (e.g. 90m, not 1.5h)";
  }
  return "must be a number followed by a unit";
}
