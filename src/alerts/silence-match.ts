import type { SilenceConfig } from "../config/config.ts";
import type { AlertEvent } from "./alert-event.ts";
import { matchesSelector } from "./alert-selector.ts";

/**
 * Returns the first silence in force at `nowMs` that matches the alert, or undefined. A
 * silence is in force until its `until` time. One whose `until` is not a valid date is
 * ignored, because the config check rejects such values before they get here.
 */
export function findActiveSilence(
  event: Pick<AlertEvent, "projectId" | "cluster" | "kind">,
  silences: readonly SilenceConfig[],
  nowMs: number,
): SilenceConfig | undefined {
  return silences.find((silence) => {
    const untilMs = Date.parse(silence.until);
    return !Number.isNaN(untilMs) && nowMs < untilMs && matchesSelector(event, silence);
  });
}
