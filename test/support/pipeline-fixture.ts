import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../src/config/config.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { type AtlasSimulator, startAtlasSimulator } from "./atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from "./redis.ts";
import { type SlackMock, startSlackMock } from "./slack-mock.ts";

/** The estate of the end-to-end cases: two projects, three clusters, one of 1,200 jobs. */
export const ESTATE = {
  shop: "6512a0c1e4b0a1b2c3d4e5f6",
  analytics: "6512a0c1e4b0a1b2c3d4e5f7",
  bigCluster: "orders-flex",
  bigClusterJobs: 1200,
} as const;

/** A running Atlas simulator, Slack mock and config file for one test, with cleanup. */
export interface PipelineFixture {
  atlas: AtlasSimulator;
  slack: SlackMock;
  keyPrefix: string;
  configPath: string;
  /** Environment that points flexwatch at the simulator, the mock and the test Redis. */
  env: NodeJS.ProcessEnv;
  /** A RUNNING job of the big cluster that a test can turn FAILED. */
  runningJobId: string;
  loadConfig(): Promise<Config>;
  cleanup(): Promise<void>;
}

export async function startPipelineFixture(
  name: string,
  cron = "0 0 1 1 *",
): Promise<PipelineFixture> {
  const atlas = await startAtlasSimulator();
  const slack = await startSlackMock();
  const keyPrefix = uniqueKeyPrefix(name);
  const dir = mkdtempSync(join(tmpdir(), "flexwatch-test-"));
  const configPath = join(dir, "flexwatch.yaml");
  writeFileSync(configPath, configYaml(keyPrefix, cron));
  const runningJobId = seedEstate(atlas);
  const env: NodeJS.ProcessEnv = {
    MONGODB_ATLAS_BASE_URL: atlas.url,
    MONGODB_ATLAS_CLIENT_ID: atlas.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: atlas.clientSecret,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.url,
    REDIS_URL: testRedisUrl(),
    LOG_LEVEL: "silent",
  };

  return {
    atlas,
    slack,
    keyPrefix,
    configPath,
    env,
    runningJobId,
    loadConfig: () => loadConfig({ path: configPath, env }),
    async cleanup() {
      const redis = connectTestRedis();
      await deleteKeysWithPrefix(redis, keyPrefix);
      await redis.quit();
      await atlas.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function configYaml(keyPrefix: string, cron: string): string {
  return [
    "projects:",
    `  - id: ${ESTATE.shop}`,
    `    clusters: [${ESTATE.bigCluster}, search-flex]`,
    `  - id: ${ESTATE.analytics}`,
    "    clusters: [events-flex]",
    "schedule:",
    `  cron: "${cron}"`,
    "slack:",
    '  channel: "#atlas-restores"',
    "redis:",
    `  keyPrefix: ${keyPrefix}`,
    "",
  ].join("\n");
}

function seedEstate(atlas: AtlasSimulator): string {
  atlas.addProject(ESTATE.shop);
  atlas.addProject(ESTATE.analytics);
  atlas.addFlexCluster(ESTATE.shop, ESTATE.bigCluster);
  atlas.addFlexCluster(ESTATE.shop, "search-flex");
  atlas.addFlexCluster(ESTATE.analytics, "events-flex");
  atlas.addRestoreJobs(ESTATE.shop, ESTATE.bigCluster, ESTATE.bigClusterJobs - 1);
  atlas.addRestoreJobs(ESTATE.shop, "search-flex", 30);
  atlas.addRestoreJobs(ESTATE.analytics, "events-flex", 12);
  const running = atlas.addRestoreJob(ESTATE.shop, ESTATE.bigCluster, {
    status: "RUNNING",
    restoreScheduledDate: isoSeconds(Date.now() - 60_000),
    expirationDate: isoSeconds(Date.now() + 6 * 3_600_000),
  });
  return running.id;
}

/** Formats a time as Atlas does: ISO-8601 UTC without milliseconds. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}
