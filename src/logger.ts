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

/** Stream of the log lines: stdout for the worker, stderr for commands whose stdout is their output. */
export type LogDestination = "stdout" | "stderr";

/** Creates the process logger: JSON lines, secrets redacted. */
export function createLogger(
  level = process.env.LOG_LEVEL ?? "info",
  destination: LogDestination = "stdout",
): Logger {
  const options = {
    level,
    base: { service: "flexwatch" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === "stderr" ? pino(options, pino.destination(2)) : pino(options);
}

export type { Logger };
