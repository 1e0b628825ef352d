import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openRuntime, type Runtime } from "../../src/cli/runtime.ts";
import { startHttpServer } from "../../src/http/http-server.ts";
import { createLogger } from "../../src/logger.ts";
import { registerStateCollectors } from "../../src/metrics/state-collector.ts";
import { SweepWaiter } from "../../src/queue/sweep-waiter.ts";
import {
  ESTATE,
  isoSeconds,
  type PipelineFixture,
  startPipelineFixture,
} from "../support/pipeline-fixture.ts";

const SWEEP_TIMEOUT_MS = 60_000;

describe("pipeline end to end", () => {
  let fixture: PipelineFixture;
  let runtime: Runtime;
  let waiter: SweepWaiter;

  before(async () => {
    fixture = await startPipelineFixture("pipeline");
    runtime = await openRuntime(await fixture.loadConfig(), createLogger("silent"));
    waiter = new SweepWaiter(runtime.redis, fixture.keyPrefix, runtime.pipeline.queues, 1000);
    await waiter.ready();
    runtime.pipeline.startWorkers();
  });

  after(async () => {
    await waiter.close();
    await runtime.close();
    await fixture.cleanup();
  });

  test("baseline sweep posts nothing", async () => {
    const summary = await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

    assert.equal(summary.ok, true, JSON.stringify(summary.polls.map((poll) => poll.error)));
    assert.equal(summary.polls.length, 3);
    const big = summary.polls.find((poll) => poll.result?.cluster === ESTATE.bigCluster);
    assert.equal(big?.result?.baseline, true);
    assert.equal(big?.result?.jobsByStatus.COMPLETED, ESTATE.bigClusterJobs - 1);
    assert.equal(big?.result?.jobsByStatus.RUNNING, 1);
    assert.equal(big?.result?.requests, 3);
    assert.equal(summary.alerts.length, 0);
    assert.equal(fixture.slack.messages.length, 0);
  });

  test("job turning FAILED posts one message", async () => {
    fixture.atlas.setRestoreJobStatus(
      ESTATE.shop,
      ESTATE.bigCluster,
      fixture.runningJobId,
      "FAILED",
      {
        restoreFinishedDate: isoSeconds(Date.now()),
      },
    );

    const summary = await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

    assert.equal(summary.ok, true);
    assert.equal(summary.alerts.length, 1);
    assert.equal(summary.alerts[0]?.result?.outcome, "sent");
    assert.equal(fixture.slack.messages.length, 1);
    const message = fixture.slack.messages[0];
    assert.match(message?.text ?? "", new RegExp(fixture.runningJobId));
    assert.match(message?.text ?? "", new RegExp(ESTATE.bigCluster));
    assert.match(JSON.stringify(message?.blocks), /FAILED/);
  });

  test("third sweep posts nothing more", async () => {
    const summary = await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

    assert.equal(summary.ok, true);
    assert.equal(summary.alerts.length, 0);
    assert.equal(fixture.slack.messages.length, 1);
  });

  test("metrics show the FAILED count", async () => {
    registerStateCollectors(runtime.metrics.registry, runtime.pipeline.store, runtime.logger);
    const http = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      registry: runtime.metrics.registry,
      isReady: async () => true,
      logger: runtime.logger,
    });
    try {
      const body = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
      const labels = `project_id="${ESTATE.shop}",cluster="${ESTATE.bigCluster}"`;
      const lines = body.split("\n");

      assert.ok(lines.includes(`flexwatch_restore_jobs{${labels},status="FAILED"} 1`));
      assert.ok(
        lines.includes(
          `flexwatch_restore_jobs{${labels},status="COMPLETED"} ${ESTATE.bigClusterJobs - 1}`,
        ),
      );
      assert.ok(lines.includes(`flexwatch_restore_jobs{${labels},status="RUNNING"} 0`));
      assert.ok(lines.includes('flexwatch_alerts_total{kind="failed",outcome="sent"} 1'));
      assert.ok(lines.some((line) => /^flexwatch_last_sweep_timestamp_seconds \d/.test(line)));
    } finally {
      await http.close();
    }
  });

  test("alert Slack rejects is reported", async () => {
    const job = fixture.atlas.addRestoreJob(ESTATE.shop, "search-flex", {
      status: "FAILED",
      restoreFinishedDate: isoSeconds(Date.now()),
    });
    fixture.slack.failNext("chat.postMessage", { ok: false, error: "channel_not_found" });
    const started = Date.now();

    const summary = await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);

    assert.equal(summary.ok, false);
    assert.equal(summary.alerts.length, 1);
    assert.match(summary.alerts[0]?.jobId ?? "", new RegExp(job.id));
    assert.match(summary.alerts[0]?.error ?? "", /channel_not_found/);
    assert.ok(Date.now() - started < 30_000, "the sweep waited for the 15-minute retry");
    assert.equal(fixture.slack.messages.length, 1);
  });
});
