import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { Queue } from "bullmq";
import { bullmqPrefix, QUEUE_NAMES } from "../../src/queue/queue-names.ts";
import { freePort } from "../support/free-port.ts";
import {
  ESTATE,
  isoSeconds,
  type PipelineFixture,
  startPipelineFixture,
} from "../support/pipeline-fixture.ts";
import { connectTestRedis } from "../support/redis.ts";

const CLI = resolve("src/cli/main.ts");
const EVERY_TWO_SECONDS = "*/2 * * * * *";
const WAIT_TIMEOUT_MS = 60_000;
const CLUSTERS = [ESTATE.bigCluster, "search-flex", "events-flex"];

let fixture: PipelineFixture;
let replicas: ChildProcess[] = [];

before(async () => {
  fixture = await startPipelineFixture("replicas", EVERY_TWO_SECONDS);
});

after(async () => {
  for (const replica of replicas) if (replica.exitCode === null) replica.kill("SIGKILL");
  await fixture.cleanup();
});

test("two run replicas poll once per slot and post once", async () => {
  replicas = [startReplica(await freePort()), startReplica(await freePort())];

  await waitUntil("two polls of every cluster", () =>
    CLUSTERS.every((cluster) => firstPageRequests(cluster) >= 2),
  );
  assert.equal(fixture.slack.messages.length, 0, "the baseline posted a message");

  fixture.atlas.setRestoreJobStatus(
    ESTATE.shop,
    ESTATE.bigCluster,
    fixture.runningJobId,
    "FAILED",
    {
      restoreFinishedDate: isoSeconds(Date.now()),
    },
  );
  await waitUntil("the Slack alert", () => fixture.slack.messages.length > 0);
  const pollsAfterAlert = firstPageRequests(ESTATE.bigCluster);
  await waitUntil(
    "three more sweeps",
    () => firstPageRequests(ESTATE.bigCluster) >= pollsAfterAlert + 3,
  );

  const exitCodes = await Promise.all(replicas.map(stopReplica));
  assert.deepEqual(exitCodes, [0, 0]);
  assert.equal(fixture.slack.messages.length, 1);
  assert.match(fixture.slack.messages[0]?.text ?? "", new RegExp(fixture.runningJobId));

  const slotTimes = await completedSweepSlotTimes();
  const slots = slotTimes.length;
  const slotsElapsed = (Math.max(...slotTimes) - Math.min(...slotTimes)) / 2000 + 1;
  assert.ok(slots <= slotsElapsed, `${slots} sweeps in ${slotsElapsed} two-second slots`);
  for (const cluster of CLUSTERS) {
    const polls = firstPageRequests(cluster);
    assert.ok(polls <= slots, `${cluster} was polled ${polls} times in ${slots} slots`);
    assert.ok(polls >= slots - 2, `${cluster} was polled ${polls} times in ${slots} slots`);
  }
});

function startReplica(metricsPort: number): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", CLI, "run", "--config", fixture.configPath],
    {
      env: { ...process.env, ...fixture.env, METRICS_PORT: String(metricsPort), LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  return child;
}

async function stopReplica(replica: ChildProcess): Promise<number | null> {
  replica.kill("SIGTERM");
  const [code] = await once(replica, "exit");
  return code as number | null;
}

/** Counts first-page restore job requests of one cluster: one per poll. */
function firstPageRequests(cluster: string): number {
  return fixture.atlas.requests.filter(
    (request) =>
      request.path.endsWith(`/flexClusters/${cluster}/backup/restoreJobs`) &&
      (request.query.pageNum ?? "1") === "1",
  ).length;
}

/** Returns the slot start (epoch ms) of every completed sweep job, from its `sweep-<ms>` id. */
async function completedSweepSlotTimes(): Promise<number[]> {
  const redis = connectTestRedis();
  const queue = new Queue(QUEUE_NAMES.sweep, {
    connection: redis,
    prefix: bullmqPrefix(fixture.keyPrefix),
  });
  const jobs = await queue.getJobs(["completed"]);
  await queue.close();
  await redis.quit();
  return jobs.map((job) => {
    const match = /^sweep-(\d+)$/.exec(job.id ?? "");
    assert.ok(match, `unexpected sweep job id ${job.id}`);
    return Number(match[1]);
  });
}

async function waitUntil(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    if (replicas.some((replica) => replica.exitCode !== null))
      assert.fail(`a replica exited while waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}
