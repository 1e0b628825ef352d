import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatRelativeTime } from "../../src/alerts/relative-time.ts";

const NOW_MS = Date.parse("2026-08-10T12:00:00Z");

describe("formatRelativeTime", () => {
  const cases: [string, string][] = [
    ["2026-08-10T12:00:20Z", "now"],
    ["2026-08-10T11:59:40Z", "now"],
    ["2026-08-10T12:05:00Z", "in 5 min"],
    ["2026-08-10T11:15:00Z", "45 min ago"],
    ["2026-08-10T14:00:00Z", "in 2 h"],
    ["2026-08-10T09:10:00Z", "3 h ago"],
    ["2026-08-12T12:00:00Z", "in 48 h"],
    ["2026-08-06T12:00:00Z", "4 d ago"],
  ];
  for (const [date, expected] of cases) {
    test(`${date} reads ${expected}`, () => {
      assert.equal(formatRelativeTime(date, NOW_MS), expected);
    });
  }

  test("invalid date gives undefined", () => {
    assert.equal(formatRelativeTime("soon", NOW_MS), undefined);
  });
});
