import { type Logger, pino } from "pino";

/**
 * Paths pino replaces with "[redacted]" wherever they appear, as a second line of defence:
 * code never passes these values to a logger on purpose.
 */
const REDACTED_PATHS = [
  "clientSecret",
  "privateKey",
  "token",
  "accessToken",
  "access_token",
  "snapshotUrl",
  "authorization",
  "*.clientSecret",
  "*.privateKey",
  "*.token",
  "*.accessToken",
  "*.access_token",
  "*.snapshotUrl",
  "*.authorization",
  "*.*.snapshotUrl",
  "headers.authorization",
];

/** Creates the process logger: JSON lines on stdout, secrets redacted. */
export function createLogger(level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service: "flexwatch" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
