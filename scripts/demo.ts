import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { startAtlasSimulator } from "../test/support/atlas-simulator.ts";
import { startSlackMock } from "../test/support/slack-mock.ts";
import { ensureRedis } from "./local-redis.ts";

/**
 * `npm run demo`: runs the flexwatch worker against the Atlas simulator and the Slack mock,
 * turns one restore job FAILED, and prints the Slack message and the metric that result.
 * With Atlas credentials in the environment it runs `flexwatch run` against Atlas instead.
 */
const CLI = resolve("src/cli/main.ts");
const DEMO_DIR = resolve(".demo");
const SWEEP_CRON = "*/3 * * * * *";
const WAIT_TIMEOUT_MS = 60_000;
const PROJECTS = { shop: "6512a0c1e4b0a1b2c3d4e5f6", analytics: "6512a0c1e4b0a1b2c3d4e5f7" };

async function main(): Promise<number> {
  if (hasAtlasCredentials()) return runAgainstAtlas();

  const redis = await ensureRedis();
  const atlas = await startAtlasSimulator();
  const slack = await startSlackMock();
  const keyPrefix = `flexwatch-demo-${randomBytes(3).toString("hex")}`;
  const metricsPort = await freePort();
  const runningJob = seedEstate(atlas);
  const configPath = writeDemoConfig(keyPrefix);
  let worker: ChildProcess | undefined;

  try {
    step(`Atlas simulator on ${atlas.url}, Slack mock on ${slack.url}, Redis at ${redis.url}`);
    worker = startWorker(configPath, { atlas, slack, redisUrl: redis.url, metricsPort });
    step(`worker started (cron "${SWEEP_CRON}"); logs in .demo/worker.log`);

    await waitFor("the baseline sweep of all 3 clusters", async () => {
      const lines = await restoreJobLines(metricsPort);
      return new Set(lines.map((line) => /cluster="([^"]+)"/.exec(line)?.[1])).size === 3;
    });
    step(`baseline recorded silently: ${slack.messages.length} Slack messages`);

    atlas.setRestoreJobStatus(PROJECTS.shop, "orders-flex", runningJob.id, "FAILED", {
      restoreFinishedDate: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    });
    step(`restore job ${runningJob.id} on orders-flex turned FAILED in the simulator`);

    await waitFor("the Slack alert", async () => slack.messages.length > 0);
    printSlackMessage(slack.messages[0]);
    await waitFor("the FAILED gauge", async () => (await failedLines(metricsPort)).length > 0);
    step("metric:");
    for (const line of await failedLines(metricsPort)) console.log(`    ${line}`);

    await sleep(7_000);
    step(
      `after two more sweeps: ${slack.messages.length} Slack message(s) in total (one per failure)`,
    );
    return slack.messages.length === 1 ? 0 : 1;
  } finally {
    worker?.kill("SIGTERM");
    await new Promise((done) => (worker ? worker.once("exit", done) : done(undefined)));
    await deleteDemoKeys(redis.url, keyPrefix);
    await atlas.close();
    await slack.close();
    redis.stop();
  }
}

function hasAtlasCredentials(): boolean {
  const env = process.env;
  return Boolean(env.MONGODB_ATLAS_CLIENT_ID || env.MONGODB_ATLAS_PUBLIC_API_KEY);
}

/** With real credentials, the demo is simply `flexwatch run` with the user's config. */
function runAgainstAtlas(): Promise<number> {
  step("Atlas credentials found in the environment: running `flexwatch run` against Atlas");
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "run"], { stdio: "inherit" });
  return new Promise((done) => child.on("exit", (code) => done(code ?? 1)));
}

type Simulator = Awaited<ReturnType<typeof startAtlasSimulator>>;
type SlackMock = Awaited<ReturnType<typeof startSlackMock>>;

/** Seeds two projects and three clusters; returns the job that will fail. */
function seedEstate(atlas: Simulator) {
  atlas.addProject(PROJECTS.shop);
  atlas.addProject(PROJECTS.analytics);
  atlas.addFlexCluster(PROJECTS.shop, "orders-flex");
  atlas.addFlexCluster(PROJECTS.shop, "search-flex");
  atlas.addFlexCluster(PROJECTS.analytics, "events-flex");
  atlas.addRestoreJobs(PROJECTS.shop, "orders-flex", 600);
  atlas.addRestoreJobs(PROJECTS.shop, "search-flex", 40);
  atlas.addRestoreJobs(PROJECTS.analytics, "events-flex", 25);
  const now = Date.now();
  return atlas.addRestoreJob(PROJECTS.shop, "orders-flex", {
    status: "RUNNING",
    deliveryType: "RESTORE",
    targetDeploymentItemName: "orders-flex-restore",
    restoreScheduledDate: new Date(now - 60_000).toISOString().replace(/\.\d+Z$/, "Z"),
    expirationDate: new Date(now + 6 * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"),
  });
}

function writeDemoConfig(keyPrefix: string): string {
  mkdirSync(DEMO_DIR, { recursive: true });
  const path = join(DEMO_DIR, "flexwatch.yaml");
  writeFileSync(
    path,
    [
      "projects:",
      `  - id: ${PROJECTS.shop}`,
      "    clusters: [orders-flex, search-flex]",
      `  - id: ${PROJECTS.analytics}`,
      '    clusters: "*"',
      "schedule:",
      `  cron: "${SWEEP_CRON}"`,
      "slack:",
      '  channel: "#atlas-restores"',
      "redis:",
      `  keyPrefix: ${keyPrefix}`,
      "",
    ].join("\n"),
  );
  return path;
}

function startWorker(
  configPath: string,
  ends: { atlas: Simulator; slack: SlackMock; redisUrl: string; metricsPort: number },
): ChildProcess {
  const log = openSync(join(DEMO_DIR, "worker.log"), "w");
  return spawn(process.execPath, ["--import", "tsx", CLI, "run", "--config", configPath], {
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      MONGODB_ATLAS_BASE_URL: ends.atlas.url,
      MONGODB_ATLAS_CLIENT_ID: ends.atlas.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: ends.atlas.clientSecret,
      SLACK_BOT_TOKEN: ends.slack.token,
      SLACK_API_URL: ends.slack.url,
      REDIS_URL: ends.redisUrl,
      METRICS_PORT: String(ends.metricsPort),
    },
  });
}

/** Prints the message as Slack would show it, and saves its Block Kit JSON next to the log. */
function printSlackMessage(message: SlackMock["messages"][number] | undefined): void {
  const path = join(DEMO_DIR, "slack-message.json");
  writeFileSync(path, `${JSON.stringify(message, null, 2)}\n`);
  step(`Slack message posted to ${message?.channel} (Block Kit JSON in .demo/slack-message.json):`);
  for (const block of (message?.blocks ?? []) as SlackBlock[]) {
    if (block.text?.text) console.log(`    ${block.text.text.replace(/\n/g, "\n    ")}`);
    for (const field of block.fields ?? []) console.log(`    ${field.text.replace(/\n/g, ": ")}`);
    for (const element of block.elements ?? [])
      if (element.text) console.log(`    ${element.text}`);
  }
  console.log(`    (fallback text: ${message?.text})`);
}

interface SlackBlock {
  text?: { text?: string };
  fields?: { text: string }[];
  elements?: { text?: string }[];
}

async function restoreJobLines(port: number): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
  if (response === undefined || !response.ok) return [];

  const body = await response.text();
  return body.split("\n").filter((line) => line.startsWith("flexwatch_restore_jobs{"));
}

async function failedLines(port: number): Promise<string[]> {
  return (await restoreJobLines(port)).filter((line) => line.includes('status="FAILED"'));
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  step(`waiting for ${what}…`);
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${WAIT_TIMEOUT_MS} ms waiting for ${what}; see .demo/worker.log`,
      );
    await sleep(500);
  }
}

async function deleteDemoKeys(url: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(url);
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.unlink(...keys);
  await redis.quit();
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function step(text: string): void {
  console.log(`\n» ${text}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
