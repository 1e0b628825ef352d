import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { escapeMrkdwn, formatUtc, truncateText } from "../../src/alerts/slack-text.ts";

describe("escapeMrkdwn", () => {
  test("escapes ampersand and angle brackets", () => {
    assert.equal(
      escapeMrkdwn("<!channel> & <http://x|y>"),
      "&lt;!channel&gt; &amp; &lt;http://x|y&gt;",
    );
  });

  test("leaves other characters alone", () => {
    assert.equal(escapeMrkdwn("orders-flex_(1),:@+'"), "orders-flex_(1),:@+'");
  });
});

describe("truncateText", () => {
  test("keeps text within the limit unchanged", () => {
    assert.equal(truncateText("abc", 3), "abc");
  });

  test("cuts long text and ends it with an ellipsis", () => {
    assert.equal(truncateText("abcdef", 4), "abc…");
  });

  test("drops a partial entity at the cut", () => {
    assert.equal(truncateText("a&amp;b", 5), "a…");
  });

  test("counts a surrogate pair as one character", () => {
    assert.equal(truncateText("😀😀😀", 2), "😀…");
  });
});

describe("formatUtc", () => {
  test("formats an offset date-time in UTC", () => {
    assert.equal(formatUtc("2026-08-10T05:03:29.999+02:00"), "2026-08-10 03:03:29 UTC");
  });

  test("returns an invalid date unchanged", () => {
    assert.equal(formatUtc("yesterday"), "yesterday");
  });
});
