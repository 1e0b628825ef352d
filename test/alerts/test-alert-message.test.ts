import assert from "node:assert/strict";
import { test } from "node:test";
import { buildTestAlertMessage } from "../../src/alerts/test-alert-message.ts";

test("test alert is labelled a test everywhere", () => {
  const message = buildTestAlertMessage({
    hostname: "worker-1",
    nowMs: Date.parse("2026-08-10T03:09:00Z"),
  });
  const json = JSON.stringify(message.blocks);

  assert.match(json, /:test_tube: TEST · flexwatch test alert/);
  assert.match(json, /This is a test message\. No restore job failed\./);
  assert.match(json, /Sent 2026-08-10 03:09:00 UTC from host worker-1/);
  assert.match(message.text, /^flexwatch test alert: no restore job failed/);
});
