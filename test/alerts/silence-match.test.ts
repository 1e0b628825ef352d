import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findActiveSilence } from "../../src/alerts/silence-match.ts";
import type { SilenceConfig } from "../../src/config/config.ts";
import { alertEvent, PROJECT_ID } from "./alert-fixtures.ts";

const NOW_MS = Date.parse("2026-08-10T12:00:00Z");

function silence(overrides: Partial<SilenceConfig>): SilenceConfig {
  return {
    projects: undefined,
    clusters: undefined,
    kinds: undefined,
    until: "2026-08-10T13:00:00Z",
    reason: "planned restore drill",
    ...overrides,
  };
}

describe("findActiveSilence", () => {
  test("matching silence in force is found", () => {
    const silences = [silence({ projects: [PROJECT_ID], clusters: ["orders-*"] })];

    assert.equal(findActiveSilence(alertEvent(), silences, NOW_MS), silences[0]);
  });

  test("ended silence is ignored", () => {
    const silences = [silence({ until: "2026-08-10T12:00:00Z" })];

    assert.equal(findActiveSilence(alertEvent(), silences, NOW_MS), undefined);
  });

  test("silence by kind leaves other kinds", () => {
    const silences = [silence({ kinds: ["stuck"] })];

    assert.equal(findActiveSilence(alertEvent(), silences, NOW_MS), undefined);
    assert.equal(findActiveSilence(alertEvent({ kind: "stuck" }), silences, NOW_MS), silences[0]);
  });

  test("silence of another cluster does not match", () => {
    const silences = [silence({ clusters: ["search-flex"] })];

    assert.equal(findActiveSilence(alertEvent(), silences, NOW_MS), undefined);
  });

  test("silence with an offset end time", () => {
    const silences = [silence({ until: "2026-08-10T13:30:00+02:00" })];

    assert.equal(findActiveSilence(alertEvent(), silences, NOW_MS), undefined);
  });
});
