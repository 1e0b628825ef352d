import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  formatDurationMs,
  InvalidDurationError,
  parseDuration,
} from "../../src/config/parse-duration.ts";

describe("parseDuration", () => {
  const VALID: [string, number][] = [
    ["500ms", 500],
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h", 3_600_000],
    ["2d", 172_800_000],
    ["24d", 2_073_600_000],
    [" 30s ", 30_000],
  ];
  for (const [text, ms] of VALID) {
    test(`"${text}" is ${ms} ms`, () => {
      assert.equal(parseDuration(text), ms);
    });
  }

  const INVALID: [string, RegExp][] = [
    ["0", /needs a unit/],
    ["0s", /greater than zero/],
    ["0ms", /greater than zero/],
    ["-5m", /greater than zero/],
    ["90", /needs a unit/],
    ["1.5h", /whole number/],
    ["5w", /number followed by a unit/],
    ["1H", /number followed by a unit/],
    ["1h30m", /number followed by a unit/],
    ["90 s", /number followed by a unit/],
    ["soon", /number followed by a unit/],
    ["", /number followed by a unit/],
    ["25d", /at most 24d/],
    ["99999999999999999999d", /at most 24d/],
  ];
  for (const [text, reason] of INVALID) {
    test(`"${text}" is rejected`, () => {
      assert.throws(
        () => parseDuration(text),
        (error: unknown) => {
          assert.ok(error instanceof InvalidDurationError);
          assert.ok(error instanceof RangeError);
          assert.equal(error.value, text);
          assert.match(error.reason, reason);
          return true;
        },
      );
    });
  }

  test("error message names the value and the accepted forms", () => {
    assert.throws(() => parseDuration("0s"), {
      message:
        'invalid duration "0s": must be greater than zero; write a whole number followed by ms, s, m, h or d, e.g. "500ms", "90s", "15m", "1h", "2d"',
    });
  });
});

describe("formatDurationMs", () => {
  const CASES: [number, string][] = [
    [120_000, "2m"],
    [1500, "1500ms"],
    [90_000, "90s"],
    [3_600_000, "1h"],
    [172_800_000, "2d"],
  ];
  for (const [ms, text] of CASES) {
    test(`${ms} ms is "${text}"`, () => {
      assert.equal(formatDurationMs(ms), text);
      assert.equal(parseDuration(text), ms);
    });
  }
});
