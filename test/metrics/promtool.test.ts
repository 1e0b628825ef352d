import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
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
const hasPromtool = spawnSync("promtool", ["--version"]).error === undefined;

let fixture: PipelineFixture;
let runtime: Runtime;

before(async () => {
  fixture = await startPipelineFixture("promtool");
  runtime = await openRuntime(await fixture.loadConfig(), createLogger("silent"));
  registerStateCollectors(runtime.metrics.registry, runtime.pipeline.store, runtime.logger);
  const waiter = new SweepWaiter(runtime.redis, fixture.keyPrefix, runtime.pipeline.queues);
  await waiter.ready();
  runtime.pipeline.startWorkers();
  await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);
  fixture.atlas.setRestoreJobStatus(
    ESTATE.shop,
    ESTATE.bigCluster,
    fixture.runningJobId,
    "FAILED",
    {
      restoreFinishedDate: isoSeconds(Date.now()),
    },
  );
  await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);
  await waiter.close();
});

after(async () => {
  await runtime.close();
  await fixture.cleanup();
});

// CI installs Prometheus (Debian package `prometheus`) so that this check runs there.
test("metrics pass promtool check metrics", {
  skip: hasPromtool ? false : "promtool is not installed",
}, async () => {
  const http = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    registry: runtime.metrics.registry,
    isReady: async () => true,
    logger: runtime.logger,
  });
  try {
    const body = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
    const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });

    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    assert.ok(body.includes("flexwatch_restore_jobs{"), "the restore job gauge is missing");
  } finally {
    await http.close();
  }
});
