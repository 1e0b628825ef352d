import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { redactConfig } from "../../src/config/redact-config.ts";
import { makeTestConfig } from "../support/test-config.ts";

const fixtures = resolve(import.meta.dirname, "../fixtures/config");

const SECRETS = {
  clientSecret: "mdb_sa_sk_secret-one",
  privateKey: "private-key-secret-two",
  slackToken: "xoxb-secret-three",
  redisPassword: "secret-four",
};

describe("redactConfig", () => {
  test("service account secret, token and Redis password are redacted", async () => {
    const config = await loadConfig({
      path: join(fixtures, "minimal.yaml"),
      env: {
        MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_visible",
        MONGODB_ATLAS_CLIENT_SECRET: SECRETS.clientSecret,
        SLACK_BOT_TOKEN: SECRETS.slackToken,
        REDIS_URL: `redis://flexwatch:${SECRETS.redisPassword}@127.0.0.1:6379/2`,
      },
    });
    const redacted = redactConfig(config) as typeof config & {
      atlas: { credentials: Record<string, string> };
    };
    const printed = JSON.stringify(redacted);

    for (const secret of Object.values(SECRETS)) assert.doesNotMatch(printed, new RegExp(secret));
    assert.deepStrictEqual(redacted.atlas.credentials, {
      kind: "service-account",
      clientId: "mdb_sa_id_visible",
      clientSecret: "[redacted]",
    });
    assert.equal(redacted.slack.token, "[redacted]");
    assert.equal(redacted.redis.url, "redis://flexwatch:[redacted]@127.0.0.1:6379/2");
    assert.equal(config.slack.token, SECRETS.slackToken, "the config itself is not changed");
  });

  test("API key private key is redacted", async () => {
    const config = await loadConfig({
      path: join(fixtures, "minimal.yaml"),
      env: {
        MONGODB_ATLAS_PUBLIC_API_KEY: "abcdefgh",
        MONGODB_ATLAS_PRIVATE_API_KEY: SECRETS.privateKey,
      },
    });
    const redacted = redactConfig(config) as { atlas: { credentials: unknown } };

    assert.doesNotMatch(JSON.stringify(redacted), new RegExp(SECRETS.privateKey));
    assert.deepStrictEqual(redacted.atlas.credentials, {
      kind: "api-key",
      publicKey: "abcdefgh",
      privateKey: "[redacted]",
    });
  });

  test("unset secrets show as not set", async () => {
    const config = await loadConfig({ path: join(fixtures, "minimal.yaml"), env: {} });
    const redacted = redactConfig(config) as {
      atlas: { credentials: unknown };
      slack: { token: unknown };
    };

    assert.equal(redacted.slack.token, "[not set]");
    assert.deepStrictEqual(redacted.atlas.credentials, {
      kind: "none",
      clientSecret: "[not set]",
      privateKey: "[not set]",
    });
  });

  test("copy is plain and the rest is unchanged", async () => {
    const config = await loadConfig({ path: join(fixtures, "full.yaml"), env: {} });
    const redacted = redactConfig(config) as typeof config;

    assert.equal(Object.isFrozen(redacted), false);
    assert.deepStrictEqual(redacted.projects, config.projects);
    assert.deepStrictEqual(redacted.queue, config.queue);
    assert.equal(redacted.redis.url, "redis://127.0.0.1:6379");
  });

  test("new settings are kept and secrets still redacted", async () => {
    const config = await loadConfig({
      path: join(fixtures, "full.yaml"),
      env: {
        MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_visible",
        MONGODB_ATLAS_CLIENT_SECRET: SECRETS.clientSecret,
        SLACK_BOT_TOKEN: SECRETS.slackToken,
        REDIS_URL: `redis://:${SECRETS.redisPassword}@127.0.0.1:6379`,
      },
    });
    const redacted = redactConfig(config) as typeof config;
    const printed = JSON.stringify(redacted);

    for (const secret of Object.values(SECRETS)) assert.doesNotMatch(printed, new RegExp(secret));
    assert.deepStrictEqual(redacted.slack.routes, config.slack.routes);
    assert.deepStrictEqual(redacted.alerts.silences, config.alerts.silences);
    assert.deepStrictEqual(redacted.alerts.kinds, config.alerts.kinds);
    assert.deepStrictEqual(redacted.atlas.rateLimit, config.atlas.rateLimit);
    assert.equal(redacted.slack.runbookUrl, config.slack.runbookUrl);
    assert.equal(redacted.slack.operatorChannel, "#flexwatch-ops");
  });

  test("all projects are printed as a star", () => {
    const config = makeTestConfig({ projects: "*" });
    const redacted = redactConfig(config) as typeof config;

    assert.equal(redacted.projects, "*");
    assert.equal(redacted.slack.token, "[redacted]");
    assert.doesNotMatch(JSON.stringify(redacted), /mdb_sa_sk_simulator|xoxb-test-token/);
  });

  test("password in a runbook URL is redacted", () => {
    const config = makeTestConfig({
      slack: { runbookUrl: "https://ops:hunter2-secret@wiki.example.com/runbook" },
    });
    const redacted = redactConfig(config) as typeof config;

    assert.equal(redacted.slack.runbookUrl, "https://ops:[redacted]@wiki.example.com/runbook");
  });
});
