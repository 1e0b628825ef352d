import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ConfigIssue } from "../../src/config/config-error.ts";
import { readEnvironment } from "../../src/config/read-environment.ts";

function onlyIssue(env: NodeJS.ProcessEnv): ConfigIssue {
  const { issues } = readEnvironment(env);
  assert.equal(issues.length, 1, `expected one issue, got ${JSON.stringify(issues)}`);
  return issues[0] as ConfigIssue;
}

describe("readEnvironment", () => {
  test("empty environment gives the defaults", () => {
    const { settings, issues } = readEnvironment({});

    assert.deepStrictEqual(issues, []);
    assert.deepStrictEqual(settings, {
      atlasBaseUrl: "https://cloud.mongodb.com",
      atlasCredentials: { kind: "none" },
      redisUrl: "redis://127.0.0.1:6379",
      slackToken: undefined,
      slackApiUrl: "https://slack.com/api/",
      metricsPort: 9464,
      logLevel: "info",
    });
  });

  test("empty and blank values count as unset", () => {
    const { settings, issues } = readEnvironment({
      REDIS_URL: "",
      METRICS_PORT: "  ",
      SLACK_BOT_TOKEN: "",
    });

    assert.deepStrictEqual(issues, []);
    assert.equal(settings.redisUrl, "redis://127.0.0.1:6379");
    assert.equal(settings.metricsPort, 9464);
    assert.equal(settings.slackToken, undefined);
  });

  test("trailing newline of a mounted secret is dropped", () => {
    const { settings } = readEnvironment({ SLACK_BOT_TOKEN: "xoxb-example\n" });

    assert.equal(settings.slackToken, "xoxb-example");
  });

  describe("when credentials are set", () => {
    test("service account is used", () => {
      const { settings } = readEnvironment({
        MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_1",
        MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_1",
      });

      assert.deepStrictEqual(settings.atlasCredentials, {
        kind: "service-account",
        clientId: "mdb_sa_id_1",
        clientSecret: "mdb_sa_sk_1",
      });
    });

    test("API key is used without a service account", () => {
      const { settings } = readEnvironment({
        MONGODB_ATLAS_PUBLIC_API_KEY: "abcdefgh",
        MONGODB_ATLAS_PRIVATE_API_KEY: "0000-private",
      });

      assert.deepStrictEqual(settings.atlasCredentials, {
        kind: "api-key",
        publicKey: "abcdefgh",
        privateKey: "0000-private",
      });
    });

    test("service account wins over an API key", () => {
      const { settings } = readEnvironment({
        MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_1",
        MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_1",
        MONGODB_ATLAS_PUBLIC_API_KEY: "abcdefgh",
        MONGODB_ATLAS_PRIVATE_API_KEY: "0000-private",
      });

      assert.equal(settings.atlasCredentials.kind, "service-account");
    });

    const PAIRS = [
      ["MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET"],
      ["MONGODB_ATLAS_CLIENT_SECRET", "MONGODB_ATLAS_CLIENT_ID"],
      ["MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY"],
      ["MONGODB_ATLAS_PRIVATE_API_KEY", "MONGODB_ATLAS_PUBLIC_API_KEY"],
    ];
    for (const [present = "", missing = ""] of PAIRS) {
      test(`${present} alone names ${missing}`, () => {
        const secret = "value-that-must-not-leak";
        const issue = onlyIssue({ [present]: secret });

        assert.equal(issue.path, missing);
        assert.equal(issue.value, undefined);
        assert.equal(issue.message, `is not set while ${present} is set`);
        assert.match(issue.fix, new RegExp(`unset ${present}$`));
        assert.doesNotMatch(JSON.stringify(issue), new RegExp(secret));
      });
    }

    test("half pair fails beside complete pair", () => {
      const { settings, issues } = readEnvironment({
        MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_1",
        MONGODB_ATLAS_PUBLIC_API_KEY: "abcdefgh",
        MONGODB_ATLAS_PRIVATE_API_KEY: "0000-private",
      });

      assert.deepStrictEqual(
        issues.map((issue) => issue.path),
        ["MONGODB_ATLAS_CLIENT_SECRET"],
      );
      assert.equal(settings.atlasCredentials.kind, "api-key");
    });
  });

  describe("MONGODB_ATLAS_BASE_URL", () => {
    test("trailing slash is stripped", () => {
      const { settings } = readEnvironment({ MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:8080/" });

      assert.equal(settings.atlasBaseUrl, "http://127.0.0.1:8080");
    });

    const INVALID: [string, RegExp][] = [
      ["cloud.mongodb.com", /http or https URL/],
      ["ftp://cloud.mongodb.com", /http or https URL/],
      ["https://cloud.mongodb.com/api/atlas/v2", /path, query or fragment/],
      ["https://cloud.mongodb.com?x=1", /path, query or fragment/],
      ["https://user:pass@cloud.mongodb.com", /user name or password/],
    ];
    for (const [value, message] of INVALID) {
      test(`"${value}" is rejected`, () => {
        const issue = onlyIssue({ MONGODB_ATLAS_BASE_URL: value });

        assert.equal(issue.path, "MONGODB_ATLAS_BASE_URL");
        assert.match(issue.message, message);
        assert.match(issue.fix, /https:\/\/cloud\.mongodb\.com/);
      });
    }
  });

  describe("REDIS_URL", () => {
    const VALID = [
      "redis://127.0.0.1:6379",
      "redis://127.0.0.1:6379/",
      "redis://127.0.0.1:6379/0",
      "redis://127.0.0.1:6379/15",
      "rediss://:secret@redis.internal:6380/2",
    ];
    for (const value of VALID) {
      test(`"${value}" is accepted`, () => {
        const { settings, issues } = readEnvironment({ REDIS_URL: value });

        assert.deepStrictEqual(issues, []);
        assert.equal(settings.redisUrl, value);
      });
    }

    const INVALID: [string, RegExp][] = [
      ["http://127.0.0.1:6379", /redis:\/\/ or rediss:\/\//],
      ["127.0.0.1:6379", /redis:\/\/ or rediss:\/\//],
      ["redis://", /with a host/],
      ["redis://127.0.0.1:6379/16", /database index from 0 to 15/],
      ["redis://127.0.0.1:6379/db", /database index from 0 to 15/],
      ["redis://127.0.0.1:6379/-1", /database index from 0 to 15/],
    ];
    for (const [value, message] of INVALID) {
      test(`"${value}" is rejected`, () => {
        const issue = onlyIssue({ REDIS_URL: value });

        assert.equal(issue.path, "REDIS_URL");
        assert.equal(issue.value, value);
        assert.match(issue.message, message);
      });
    }
  });

  describe("SLACK_API_URL", () => {
    test("missing trailing slash is added", () => {
      const { settings } = readEnvironment({ SLACK_API_URL: "http://127.0.0.1:9000/api" });

      assert.equal(settings.slackApiUrl, "http://127.0.0.1:9000/api/");
    });

    test("trailing slash is kept", () => {
      const { settings } = readEnvironment({ SLACK_API_URL: "https://slack.com/api/" });

      assert.equal(settings.slackApiUrl, "https://slack.com/api/");
    });

    test("non-http URL is rejected", () => {
      const issue = onlyIssue({ SLACK_API_URL: "slack.com/api" });

      assert.equal(issue.path, "SLACK_API_URL");
      assert.match(issue.message, /http or https URL/);
    });
  });

  describe("METRICS_PORT", () => {
    test("port number is read", () => {
      assert.equal(readEnvironment({ METRICS_PORT: "65535" }).settings.metricsPort, 65535);
    });

    for (const value of ["0", "65536", "80.5", "-1", "port", "0x50"]) {
      test(`"${value}" is rejected`, () => {
        const issue = onlyIssue({ METRICS_PORT: value });

        assert.equal(issue.path, "METRICS_PORT");
        assert.equal(issue.value, value);
        assert.match(issue.message, /from 1 to 65535/);
      });
    }
  });

  describe("LOG_LEVEL", () => {
    test("level is read in any case", () => {
      assert.equal(readEnvironment({ LOG_LEVEL: "WARN" }).settings.logLevel, "warn");
    });

    test("unknown level is rejected", () => {
      const issue = onlyIssue({ LOG_LEVEL: "verbose" });

      assert.equal(issue.path, "LOG_LEVEL");
      assert.match(issue.message, /fatal, error, warn, info, debug, trace, silent/);
    });
  });
});
