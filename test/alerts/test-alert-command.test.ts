import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { type PipelineFixture, startPipelineFixture } from "../support/pipeline-fixture.ts";
import { runCli } from "../support/run-cli.ts";

describe("flexwatch test-alert", () => {
  let fixture: PipelineFixture;

  before(async () => {
    fixture = await startPipelineFixture("test-alert");
  });
  after(async () => {
    await fixture.cleanup();
  });
  beforeEach(() => {
    fixture.slack.reset();
  });

  test("posts a labelled test message to slack.channel", async () => {
    const result = await runCli(["test-alert", "--config", fixture.configPath], fixture.env);

    assert.equal(result.code, 0, result.stderr);
    const [message] = fixture.slack.messages;
    const channel = fixture.slack.channelId("atlas-restores");
    assert.equal(result.stdout, `posted a test alert to channel ${channel} (ts ${message?.ts})\n`);
    assert.match(message?.text ?? "", /^flexwatch test alert: no restore job failed/);
    assert.equal(message?.metadata?.event_type, "flexwatch_test_alert");
  });

  test("--channel picks another channel", async () => {
    const result = await runCli(
      ["test-alert", "--channel", "#other", "--config", fixture.configPath],
      fixture.env,
    );

    assert.equal(result.code, 0, result.stderr);
    assert.equal(fixture.slack.messages[0]?.channel, fixture.slack.channelId("other"));
  });

  test("unknown channel exits 1 and says what to fix", async () => {
    const result = await runCli(
      ["test-alert", "--channel", "C0000000000", "--config", fixture.configPath],
      fixture.env,
    );

    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /test alert not posted: Slack chat\.postMessage to channel C0000000000 failed: Slack returned channel_not_found: check the channel \(slack\.channel/,
    );
  });

  test("rejected token exits 1 without showing it", async () => {
    const env = { ...fixture.env, SLACK_BOT_TOKEN: "xoxb-rejected-token" };

    const result = await runCli(["test-alert", "--config", fixture.configPath], env);

    assert.equal(result.code, 1);
    assert.match(result.stderr, /invalid_auth: check SLACK_BOT_TOKEN/);
    assert.ok(!result.stderr.includes("xoxb-rejected-token"));
  });

  test("missing token exits 2 naming it", async () => {
    const { SLACK_BOT_TOKEN: _token, ...env } = fixture.env;

    const result = await runCli(["test-alert", "--config", fixture.configPath], env);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /SLACK_BOT_TOKEN is not set/);
    assert.equal(fixture.slack.calls.length, 0);
  });
});
