import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import type { Config, ProjectConfig } from "../../src/config/config.ts";
import { ConfigError } from "../../src/config/config-error.ts";
import { loadConfig, resolveConfigPath } from "../../src/config/load-config.ts";

const fixtures = resolve(import.meta.dirname, "../fixtures/config");
const fixture = (name: string) => join(fixtures, name);
const repoRoot = resolve(import.meta.dirname, "../..");

async function loadError(path: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  try {
    await loadConfig({ path, env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${path} to be rejected`);
}

describe("loadConfig", () => {
  test("minimal file gets every default", async () => {
    const config = await loadConfig({ path: fixture("minimal.yaml"), env: {} });

    const expected: Config = {
      projects: [{ id: "32b6e34b3d91647abb20e7b8", clusters: ["orders-flex", "search-flex"] }],
      schedule: { cron: "*/5 * * * *", timezone: "UTC" },
      atlas: {
        baseUrl: "https://cloud.mongodb.com",
        apiVersion: "2024-11-13",
        apiVersions: {
          restoreJobs: "2024-11-13",
          flexClusters: "2024-11-13",
          groups: "2023-01-01",
        },
        rateLimit: { capacity: 1200, refillPerMinute: 500, minRemaining: 100 },
        retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 },
        fullReadEvery: 12,
        discoveryCacheTtlMs: 900_000,
        pageSize: 500,
        requestTimeoutMs: 30_000,
        credentials: { kind: "none" },
      },
      slack: {
        enabled: true,
        channel: "#atlas-restores",
        operatorChannel: "#atlas-restores",
        routes: [],
        mentions: [],
        runbookUrl: undefined,
        atlasUiBaseUrl: "https://cloud.mongodb.com",
        token: undefined,
        apiUrl: "https://slack.com/api/",
        requestTimeoutMs: 10_000,
      },
      alerts: {
        kinds: {
          failed: true,
          expired: true,
          expiring: true,
          stuck: true,
          "unknown-status": true,
          recovered: true,
        },
        expiringLeadTimeMs: 3_600_000,
        stuckAfterMs: 3_600_000,
        digestThreshold: 10,
        operatorFailureThreshold: 3,
        operatorRepeatIntervalMs: 14_400_000,
        silences: [],
        lookbackMs: 3_600_000,
        deliveryTimeoutMs: 86_400_000,
      },
      redis: { url: "redis://127.0.0.1:6379", keyPrefix: "flexwatch" },
      queue: { pollConcurrency: 4, alertConcurrency: 1, pollAttempts: 3 },
      metrics: { port: 9464, host: "0.0.0.0" },
      logLevel: "info",
    };
    assert.deepStrictEqual(config, expected);
  });

  test("full file overrides every default", async () => {
    const config = await loadConfig({ path: fixture("full.yaml"), env: {} });

    assert.deepStrictEqual(config.projects, [
      { id: "32b6e34b3d91647abb20e7b8", clusters: "*" },
      { id: "6512a0c1e4b0a1b2c3d4e5f7", clusters: ["events-flex"] },
    ]);
    assert.deepStrictEqual(config.schedule, { cron: "0 */10 * * * *", timezone: "Europe/Berlin" });
    assert.deepStrictEqual(config.atlas, {
      baseUrl: "https://cloud.mongodb.com",
      apiVersion: "2025-03-12",
      apiVersions: { restoreJobs: "2025-03-12", flexClusters: "2025-01-01", groups: "2025-02-02" },
      rateLimit: { capacity: 600, refillPerMinute: 250, minRemaining: 50 },
      retry: { attempts: 6, baseDelayMs: 500, maxDelayMs: 120_000 },
      fullReadEvery: 6,
      discoveryCacheTtlMs: 3_600_000,
      pageSize: 100,
      requestTimeoutMs: 45_000,
      credentials: { kind: "none" },
    });
    assert.deepStrictEqual(config.slack, {
      enabled: true,
      channel: "C0123456789",
      operatorChannel: "#flexwatch-ops",
      routes: [
        {
          projects: ["6512a0c1e4b0a1b2c3d4e5f7"],
          clusters: ["events-*", "search-??"],
          kinds: ["failed", "expired"],
          channel: "#events-team",
          mentions: ["S0614TZR7"],
        },
        {
          projects: undefined,
          clusters: undefined,
          kinds: ["stuck"],
          channel: "G0123456789",
          mentions: [],
        },
      ],
      mentions: ["U024BE7LH", "W0123ABCD"],
      runbookUrl: "https://wiki.example.com/runbooks/atlas-restore#flex",
      atlasUiBaseUrl: "https://cloud.mongodbgov.com",
      token: undefined,
      apiUrl: "https://slack.com/api/",
      requestTimeoutMs: 1500,
    });
    assert.deepStrictEqual(config.alerts, {
      kinds: {
        failed: true,
        expired: true,
        expiring: false,
        stuck: true,
        "unknown-status": true,
        recovered: false,
      },
      expiringLeadTimeMs: 7_200_000,
      stuckAfterMs: 5_400_000,
      digestThreshold: 25,
      operatorFailureThreshold: 5,
      operatorRepeatIntervalMs: 43_200_000,
      silences: [
        {
          projects: undefined,
          clusters: ["orders-flex"],
          kinds: ["expired"],
          until: "2025-07-01T18:00:00.000Z",
          reason: "planned restore drill",
        },
      ],
      lookbackMs: 172_800_000,
      deliveryTimeoutMs: 5_400_000,
    });
    assert.equal(config.redis.keyPrefix, "fw_prod-1");
    assert.deepStrictEqual(config.queue, {
      pollConcurrency: 8,
      alertConcurrency: 2,
      pollAttempts: 5,
    });
    assert.equal(config.metrics.host, "::");
  });

  test("environment is merged into the file", async () => {
    const env = {
      MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:8080/",
      MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_example",
      MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_example",
      REDIS_URL: "redis://127.0.0.1:6379/3",
      SLACK_BOT_TOKEN: "xoxb-example",
      SLACK_API_URL: "http://127.0.0.1:9000/api",
      METRICS_PORT: "9100",
      LOG_LEVEL: "debug",
    };
    const config = await loadConfig({ path: fixture("minimal.yaml"), env });

    assert.equal(config.atlas.baseUrl, "http://127.0.0.1:8080");
    assert.deepStrictEqual(config.atlas.credentials, {
      kind: "service-account",
      clientId: "mdb_sa_id_example",
      clientSecret: "mdb_sa_sk_example",
    });
    assert.equal(config.redis.url, "redis://127.0.0.1:6379/3");
    assert.equal(config.slack.token, "xoxb-example");
    assert.equal(config.slack.apiUrl, "http://127.0.0.1:9000/api/");
    assert.equal(config.metrics.port, 9100);
    assert.equal(config.logLevel, "debug");
  });

  test("slack disabled holds no token", async () => {
    const config = await loadConfig({
      path: fixture("slack-disabled.yaml"),
      env: { SLACK_BOT_TOKEN: "xoxb-example" },
    });

    assert.equal(config.slack.enabled, false);
    assert.equal(config.slack.channel, "");
    assert.equal(config.slack.token, undefined);
    assert.notEqual(config.projects, "*");
    assert.equal((config.projects as ProjectConfig[])[0]?.clusters, "*");
  });

  test("shared alias is accepted", async () => {
    const config = await loadConfig({ path: fixture("shared-alias.yaml"), env: {} });

    assert.deepStrictEqual((config.projects as ProjectConfig[])[1]?.clusters, [
      "orders-flex",
      "search-flex",
    ]);
  });

  test("config is deeply frozen", async () => {
    const config = await loadConfig({ path: fixture("minimal.yaml"), env: {} });

    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.projects));
    assert.ok(Object.isFrozen((config.projects as ProjectConfig[])[0]));
    assert.ok(Object.isFrozen((config.projects as ProjectConfig[])[0]?.clusters));
    assert.ok(Object.isFrozen(config.atlas.credentials));
    assert.throws(() => {
      (config.queue as { pollConcurrency: number }).pollConcurrency = 99;
    }, TypeError);
    assert.throws(() => (config.projects as unknown as string[]).push("x"), TypeError);
  });

  test("example file in the repository is valid", async () => {
    const config = await loadConfig({ path: join(repoRoot, "flexwatch.example.yaml"), env: {} });

    assert.ok(config.projects.length > 0);
  });

  describe("when the file cannot be used", () => {
    test("missing file names path and flag", async () => {
      const path = fixture("does-not-exist.yaml");
      const error = await loadError(path);

      assert.equal(error.code, "FLEXWATCH_CONFIG_INVALID");
      assert.equal(error.issues[0]?.path, path);
      assert.equal(error.issues[0]?.message, "does not exist");
      assert.match(error.message, /--config PATH/);
      assert.match(error.message, /FLEXWATCH_CONFIG/);
    });

    test("directory instead of file is reported", async () => {
      const error = await loadError(fixtures);

      assert.match(error.issues[0]?.message ?? "", /cannot be read \(EISDIR\)/);
    });

    test("empty file is reported", async () => {
      const error = await loadError(fixture("empty.yaml"));

      assert.equal(error.issues[0]?.message, "is empty");
    });

    test("YAML syntax error gives line and column", async () => {
      const error = await loadError(fixture("syntax-error.yaml"));
      const issue = error.issues[0];

      assert.ok(issue);
      assert.match(issue.path, /syntax-error\.yaml:\d+:\d+$/);
      assert.match(issue.message, /^is not valid YAML: /);
      assert.match(issue.fix, /^fix the YAML syntax at line \d+, column \d+$/);
    });

    test("duplicate YAML key is a syntax error", async () => {
      const error = await loadError(fixture("duplicate-key.yaml"));

      assert.match(error.issues[0]?.path ?? "", /duplicate-key\.yaml:6:1$/);
      assert.match(error.issues[0]?.message ?? "", /unique/);
    });

    test("alias inside its own anchor is rejected", async () => {
      const error = await loadError(fixture("recursive-alias.yaml"));

      assert.equal(
        error.issues[0]?.message,
        "is not valid YAML: an alias refers to a value that contains it",
      );
    });

    test("alias bomb is rejected", async () => {
      const error = await loadError(fixture("alias-bomb.yaml"));

      assert.match(error.issues[0]?.message ?? "", /^is not valid YAML: /);
    });
  });

  test("file and environment issues reported together", async () => {
    const error = await loadError(fixture("many-issues.yaml"), { REDIS_URL: "http://127.0.0.1" });
    const paths = error.issues.map((issue) => issue.path);

    assert.deepStrictEqual(paths, [
      "projects[0].id",
      "projects[0].clusters",
      "projects[0].cluster",
      "schedule.cron",
      "slack.token",
      "queue.pollConcurrency",
      "REDIS_URL",
    ]);
    assert.match(
      error.message,
      /^invalid flexwatch configuration \(7 issues, config file .*many-issues\.yaml\):\n/,
    );
    assert.doesNotMatch(error.message, /xoxb-0000/);
    assert.doesNotMatch(JSON.stringify(error.issues), /xoxb-0000/);
  });
});

describe("resolveConfigPath", () => {
  test("flag comes first", () => {
    assert.equal(
      resolveConfigPath("/etc/a.yaml", { FLEXWATCH_CONFIG: "/etc/b.yaml" }),
      "/etc/a.yaml",
    );
  });

  test("environment comes second", () => {
    assert.equal(resolveConfigPath(undefined, { FLEXWATCH_CONFIG: "/etc/b.yaml" }), "/etc/b.yaml");
  });

  test("working directory file comes last", () => {
    assert.equal(resolveConfigPath(undefined, {}), "./flexwatch.yaml");
  });

  test("empty values count as unset", () => {
    assert.equal(resolveConfigPath("", { FLEXWATCH_CONFIG: " " }), "./flexwatch.yaml");
    assert.equal(resolveConfigPath("  ", { FLEXWATCH_CONFIG: "/etc/b.yaml" }), "/etc/b.yaml");
  });

  test("process environment is the default", () => {
    const saved = process.env.FLEXWATCH_CONFIG;
    process.env.FLEXWATCH_CONFIG = "/etc/from-process.yaml";
    try {
      assert.equal(resolveConfigPath(), "/etc/from-process.yaml");
    } finally {
      if (saved === undefined) delete process.env.FLEXWATCH_CONFIG;
      else process.env.FLEXWATCH_CONFIG = saved;
    }
  });
});
