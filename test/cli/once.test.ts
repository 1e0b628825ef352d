import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { ESTATE, type PipelineFixture, startPipelineFixture } from "../support/pipeline-fixture.ts";
import { runCli } from "../support/run-cli.ts";

describe("flexwatch once", () => {
  let fixture: PipelineFixture;

  before(async () => {
    fixture = await startPipelineFixture("once-cli");
  });

  after(async () => {
    await fixture.cleanup();
  });

  test("exits 0 and prints the summary", async () => {
    const result = await runCli(["once", "--config", fixture.configPath], fixture.env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /PROJECT\s+CLUSTER\s+RESTORE JOBS\s+TRANSITIONS\s+ALERTS/);
    assert.match(
      result.stdout,
      new RegExp(`${ESTATE.shop}\\s+${ESTATE.bigCluster}\\s+COMPLETED=1199 RUNNING=1`),
    );
    assert.match(result.stdout, /3 clusters polled, 0 failed/);
  });

  test("prints JSON with --json", async () => {
    // Log lines at info must go to stderr, or they would break the JSON on stdout.
    const env = { ...fixture.env, LOG_LEVEL: "info" };
    const result = await runCli(["once", "--json", "--config", fixture.configPath], env);

    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.ok, true);
    assert.equal(summary.polls.length, 3);
    assert.equal(summary.polls[0].result.baseline, false);
    assert.match(result.stderr, /"msg":"poll finished"/);
  });

  test("exits 1 when a named cluster is gone", async () => {
    fixture.atlas.removeFlexCluster(ESTATE.analytics, "events-flex");

    const result = await runCli(["once", "--config", fixture.configPath], fixture.env);

    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /events-flex.*CLUSTER_NOT_FOUND/);
    assert.match(result.stdout, /3 clusters polled, 1 failed/);
    assert.equal(fixture.slack.messages.length, 0);
  });

  test("exits 2 naming an invalid project id", async () => {
    const path = `${fixture.configPath}.bad.yaml`;
    writeFileSync(
      path,
      'projects:\n  - id: not-a-project\n    clusters: [a]\nschedule:\n  cron: "* * * * *"\nslack:\n  channel: "#x"\n',
    );

    const result = await runCli(["once", "--config", path], fixture.env);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /projects\[0\]\.id/);
    assert.match(result.stderr, /not-a-project/);
  });

  test("exits 2 without SLACK_BOT_TOKEN", async () => {
    const env = { ...fixture.env, SLACK_BOT_TOKEN: undefined };

    const result = await runCli(["once", "--config", fixture.configPath], env);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /SLACK_BOT_TOKEN/);
  });
});

describe("flexwatch check-config", () => {
  let fixture: PipelineFixture;

  before(async () => {
    fixture = await startPipelineFixture("check-config-cli");
  });

  after(async () => {
    await fixture.cleanup();
  });

  test("prints the config with secrets redacted", async () => {
    const result = await runCli(["check-config", "--config", fixture.configPath], fixture.env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"cron": "0 0 1 1 \*"/);
    assert.doesNotMatch(result.stdout, new RegExp(fixture.atlas.clientSecret));
    assert.doesNotMatch(result.stdout, new RegExp(fixture.slack.token));
    assert.match(result.stdout, /\[redacted\]/);
  });

  test("exits 2 for a missing file", async () => {
    const result = await runCli(
      ["check-config", "--config", "/nonexistent/flexwatch.yaml"],
      fixture.env,
    );

    assert.equal(result.code, 2);
    assert.match(result.stderr, /\/nonexistent\/flexwatch\.yaml/);
  });
});
