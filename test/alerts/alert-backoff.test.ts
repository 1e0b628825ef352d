import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { MinimalJob } from "bullmq";
import { SlackDeliveryError } from "../../src/alerts/slack-delivery-error.ts";
import { createAlertBackoff } from "../../src/queue/alert-backoff.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const outage = new SlackDeliveryError("HTTP 503 from Slack", { code: "http_5xx", retryable: true });

/** Replays the retries of one alert job against a fake clock until `untilMs` after its creation. */
function replayRetries(untilMs: number, err: Error = outage) {
  let nowMs = 0;
  const backoff = createAlertBackoff({ deliveryTimeoutMs: DAY_MS, now: () => nowMs });
  const job = { timestamp: 0 } as MinimalJob;
  const attemptTimes: number[] = [0];
  for (let attemptsMade = 1; nowMs < untilMs; attemptsMade++) {
    const delayMs = backoff(attemptsMade, "flexwatch-alert", err, job);
    if (delayMs === -1) return { attemptTimes, gaveUpAt: nowMs };
    nowMs += delayMs;
    attemptTimes.push(nowMs);
  }
  return { attemptTimes, gaveUpAt: undefined };
}

describe("createAlertBackoff", () => {
  test("one-hour outage keeps retrying at most 5 min apart", () => {
    const { attemptTimes, gaveUpAt } = replayRetries(HOUR_MS);

    assert.equal(gaveUpAt, undefined);
    const gaps = attemptTimes.slice(1).map((at, index) => at - (attemptTimes[index] as number));
    assert.ok(Math.max(...gaps) <= 5 * MINUTE_MS, `largest gap ${Math.max(...gaps)} ms`);
    // So an alert queued at the start of the outage goes out within 5 min after Slack is back.
    assert.ok((attemptTimes.at(-1) as number) >= HOUR_MS);
  });

  test("gives up once the delivery timeout has passed", () => {
    const { gaveUpAt } = replayRetries(2 * DAY_MS);

    assert.ok(gaveUpAt !== undefined, "never gave up");
    assert.ok(gaveUpAt > DAY_MS - 5 * MINUTE_MS, `gave up at ${gaveUpAt}`);
    assert.ok(gaveUpAt <= DAY_MS, `gave up at ${gaveUpAt}`);
  });

  test("Retry-After is honoured", () => {
    const backoff = createAlertBackoff({ deliveryTimeoutMs: DAY_MS });
    const limited = new SlackDeliveryError("rate limited", {
      code: "http_429",
      retryable: true,
      retryAfterMs: 3000,
    });

    assert.equal(backoff(1, "flexwatch-alert", limited), 3000);
  });

  test("permanent errors wait 15 min", () => {
    const backoff = createAlertBackoff({ deliveryTimeoutMs: DAY_MS });
    const rejected = new SlackDeliveryError("channel_not_found", {
      code: "channel_not_found",
      retryable: false,
    });

    assert.equal(backoff(1, "flexwatch-alert", rejected), 15 * MINUTE_MS);
    assert.equal(backoff(9, "flexwatch-alert", rejected), 15 * MINUTE_MS);
  });

  test("shortened delays are used", () => {
    const backoff = createAlertBackoff({
      deliveryTimeoutMs: DAY_MS,
      firstRetryDelayMs: 100,
      maxRetryDelayMs: 400,
    });

    assert.ok(backoff(1, "flexwatch-alert", outage) <= 100);
    assert.ok(backoff(10, "flexwatch-alert", outage) <= 400);
    assert.ok(backoff(10, "flexwatch-alert", outage) >= 200);
  });
});
