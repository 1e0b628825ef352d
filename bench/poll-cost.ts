import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { ensureRedis } from "../scripts/local-redis.ts";
import { openRuntime } from "../src/cli/runtime.ts";
import { parseConfig } from "../src/config/parse-config.ts";
import { createLogger } from "../src/logger.ts";
import { SweepWaiter } from "../src/queue/sweep-waiter.ts";
import { diffRestoreJobs } from "../src/state/diff-restore-jobs.ts";
import { startAtlasSimulator } from "../test/support/atlas-simulator.ts";
import { startSlackMock } from "../test/support/slack-mock.ts";

/**
 * `node --import tsx bench/poll-cost.ts`: measures what a sweep costs in Atlas requests and
 * wall time for a busy cluster and for many small ones, against the loopback simulator and a
 * real Redis, and how long the pure diff takes on large clusters. Prints Markdown tables.
 */
const PROJECT_ID = "6512a0c1e4b0a1b2c3d4e5f6";
const SWEEPS = 10;
const SWEEP_TIMEOUT_MS = 120_000;

interface Scenario {
  name: string;
  clusters: number;
  jobsPerCluster: number;
}

const SCENARIOS: Scenario[] = [
  { name: "one busy cluster", clusters: 1, jobsPerCluster: 2_000 },
  { name: "many small clusters", clusters: 50, jobsPerCluster: 100 },
];

async function main(): Promise<void> {
  const redis = await ensureRedis();
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}\n`);
  console.log(
    "| scenario | baseline sweep | later sweep, median | restore-job requests, baseline | restore-job requests per later sweep |",
  );
  console.log("|---|---|---|---|---|");
  try {
    for (const scenario of SCENARIOS) console.log(await runScenario(scenario, redis.url));
  } finally {
    redis.stop();
  }
  console.log("\n| jobs per cluster | diff, median of 20 |\n|---|---|");
  for (const jobs of [2_000, 10_000]) console.log(`| ${jobs} | ${formatMs(benchDiff(jobs))} |`);
}

async function runScenario(scenario: Scenario, redisUrl: string): Promise<string> {
  const atlas = await startAtlasSimulator();
  const slack = await startSlackMock();
  const keyPrefix = `flexwatch-bench-${randomBytes(3).toString("hex")}`;
  const clusters = Array.from({ length: scenario.clusters }, (_, index) => `bench-${index}`);
  atlas.addProject(PROJECT_ID);
  for (const cluster of clusters) {
    atlas.addFlexCluster(PROJECT_ID, cluster);
    atlas.addRestoreJobs(PROJECT_ID, cluster, scenario.jobsPerCluster);
  }
  const config = parseConfig(
    {
      projects: [{ id: PROJECT_ID, clusters }],
      schedule: { cron: "0 0 1 1 *" },
      slack: { channel: "#bench" },
      redis: { keyPrefix },
    },
    {
      MONGODB_ATLAS_BASE_URL: atlas.url,
      MONGODB_ATLAS_CLIENT_ID: atlas.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: atlas.clientSecret,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      REDIS_URL: redisUrl,
    },
  );
  const runtime = await openRuntime(config, createLogger("silent"));
  const waiter = new SweepWaiter(runtime.redis, keyPrefix, runtime.pipeline.queues);
  await waiter.ready();
  runtime.pipeline.startWorkers();

  try {
    const baseline = await timedSweep(waiter, atlas);
    const later = [];
    for (let sweep = 0; sweep < SWEEPS; sweep++) later.push(await timedSweep(waiter, atlas));
    const medianMs = median(later.map((result) => result.ms));
    const requests = median(later.map((result) => result.requests));
    return `| ${scenario.name} (${scenario.clusters} × ${scenario.jobsPerCluster} jobs) | ${formatMs(baseline.ms)} | ${formatMs(medianMs)} | ${baseline.requests} | ${requests} |`;
  } finally {
    await waiter.close();
    await runtime.close();
    await deleteKeys(redisUrl, keyPrefix);
    await atlas.close();
    await slack.close();
  }
}

async function timedSweep(
  waiter: SweepWaiter,
  atlas: Awaited<ReturnType<typeof startAtlasSimulator>>,
): Promise<{ ms: number; requests: number }> {
  const before = restoreJobRequests(atlas);
  const start = performance.now();
  const summary = await waiter.sweepAndWait(Date.now() + SWEEP_TIMEOUT_MS);
  const ms = performance.now() - start;
  if (!summary.ok)
    throw new Error(`a sweep failed: ${JSON.stringify(summary.polls.map((poll) => poll.error))}`);

  return { ms, requests: restoreJobRequests(atlas) - before };
}

function restoreJobRequests(atlas: Awaited<ReturnType<typeof startAtlasSimulator>>): number {
  return atlas.requests.filter((request) => request.path.endsWith("/backup/restoreJobs")).length;
}

function benchDiff(jobCount: number): number {
  const now = new Date();
  const jobs = Array.from({ length: jobCount }, (_, index) => ({
    id: index.toString(16).padStart(24, "0"),
    status: "COMPLETED",
    restoreScheduledDate: new Date(now.getTime() - index * 60_000).toISOString(),
    restoreFinishedDate: new Date(now.getTime() - index * 60_000 + 30_000).toISOString(),
  }));
  const rules = {
    lookbackMs: 3_600_000,
    expiringLeadTimeMs: 3_600_000,
    stuckAfterMs: 3_600_000,
    enabledKinds: new Set([
      "failed",
      "expired",
      "expiring",
      "stuck",
      "unknown-status",
      "recovered",
    ] as const),
  };
  const input = { projectId: PROJECT_ID, cluster: "bench", jobs, complete: true, now, ...rules };
  const saved = diffRestoreJobs({ ...input, saved: null }).jobs;
  const times = [];
  for (let run = 0; run < 20; run++) {
    const start = performance.now();
    diffRestoreJobs({ ...input, saved });
    times.push(performance.now() - start);
  }
  return median(times);
}

async function deleteKeys(url: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(url);
  const keys = await redis.keys(`*${keyPrefix}*`);
  if (keys.length > 0) await redis.unlink(...keys);
  await redis.quit();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

await main();
