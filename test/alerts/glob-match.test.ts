import assert from "node:assert/strict";
import { test } from "node:test";
import { matchesGlob } from "../../src/alerts/glob-match.ts";

const cases: [string, string, boolean][] = [
  ["orders-flex", "orders-*", true],
  ["orders-flex", "*", true],
  ["orders-flex", "orders-fle?", true],
  ["orders-flex", "Orders-*", false],
  ["orders-flex", "orders", false],
  ["orders-flex", "*-flex", true],
  ["a.b", "a?b", true],
  ["axb", "a.b", false],
  ["a(b)", "a(b)", true],
];

for (const [name, glob, expected] of cases) {
  test(`${glob} ${expected ? "matches" : "does not match"} ${name}`, () => {
    assert.equal(matchesGlob(name, glob), expected);
  });
}
