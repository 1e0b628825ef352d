import assert from "node:assert/strict";
import { test } from "node:test";
import { formatMentions } from "../../src/alerts/slack-mentions.ts";

test("user and group ids become mentions", () => {
  assert.equal(
    formatMentions(["U0ONCALL1", "W0GRID0001", "S0DBTEAM1"]),
    "<@U0ONCALL1> <@W0GRID0001> <!subteam^S0DBTEAM1>",
  );
});

test("other values and repeats are dropped", () => {
  assert.equal(
    formatMentions(["!channel", "@here", "u0lower", "U0ONCALL1", "U0ONCALL1"]),
    "<@U0ONCALL1>",
  );
});
