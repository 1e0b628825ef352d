import { LogLevel, type Logger as SlackLogger } from "@slack/web-api";
import type { Logger } from "../logger.ts";

/**
 * Adapts pino to the logger interface of `@slack/web-api`, so that the client never writes to
 * the console. Its debug and info lines are dropped, because the debug lines repeat whole
 * request bodies. Its warnings go to debug and its errors to warn, because the sender classifies
 * and reports every failed call itself.
 */
export function createSlackClientLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const child = logger.child({ component: "slack-web-api" });
  const text = (parts: unknown[]) => parts.map(String).join(" ");

  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => child.debug({ detail: text(parts) }, "slack client warning"),
    error: (...parts: unknown[]) => child.warn({ detail: text(parts) }, "slack client error"),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
