import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONFIG_DEFAULTS } from "../../src/config/config-defaults.ts";
import { makeTestConfig, TEST_CLUSTER, TEST_PROJECT_ID } from "../support/test-config.ts";

describe("makeTestConfig", () => {
  test("base config is complete and loopback", () => {
    const config = makeTestConfig();

    assert.deepStrictEqual(config.projects, [{ id: TEST_PROJECT_ID, clusters: [TEST_CLUSTER] }]);
    assert.equal(new URL(config.atlas.baseUrl).hostname, "127.0.0.1");
    assert.equal(new URL(config.slack.apiUrl).hostname, "127.0.0.1");
    assert.deepStrictEqual(config.atlas.credentials, {
      kind: "service-account",
      clientId: "mdb_sa_id_simulator",
      clientSecret: "mdb_sa_sk_simulator",
    });
    assert.equal(config.slack.enabled, true);
    assert.equal(config.slack.token, "xoxb-test-token");
    assert.equal(config.slack.operatorChannel, config.slack.channel);
    assert.equal(config.atlas.rateLimit.capacity, CONFIG_DEFAULTS.file.atlas.rateLimit.capacity);
    assert.deepStrictEqual(config.alerts.silences, []);
  });

  test("config is deeply frozen", () => {
    const config = makeTestConfig({ slack: { routes: [] } });

    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.atlas.retry));
    assert.ok(Object.isFrozen(config.slack.routes));
  });

  test("overrides merge in depth", () => {
    const config = makeTestConfig({
      atlas: { baseUrl: "http://127.0.0.1:4000", retry: { attempts: 1 } },
      alerts: { kinds: { stuck: false } },
    });

    assert.equal(config.atlas.baseUrl, "http://127.0.0.1:4000");
    assert.equal(config.atlas.retry.attempts, 1);
    assert.equal(config.atlas.retry.baseDelayMs, 10);
    assert.equal(config.atlas.pageSize, 500);
    assert.equal(config.alerts.kinds.stuck, false);
    assert.equal(config.alerts.kinds.failed, true);
  });

  test("arrays and star replace the base", () => {
    const route = {
      projects: undefined,
      clusters: ["orders-*"],
      kinds: undefined,
      channel: "#orders",
      mentions: [],
    };

    assert.deepStrictEqual(makeTestConfig({ slack: { routes: [route] } }).slack.routes, [route]);
    assert.equal(makeTestConfig({ projects: "*" }).projects, "*");
    assert.deepStrictEqual(makeTestConfig({ projects: [] }).projects, []);
  });

  test("credentials of another kind replace the base", () => {
    const credentials = { kind: "api-key", publicKey: "public", privateKey: "private" } as const;
    const config = makeTestConfig({ atlas: { credentials } });

    assert.deepStrictEqual(config.atlas.credentials, credentials);
  });

  test("undefined override unsets a field", () => {
    const config = makeTestConfig({ slack: { enabled: false, token: undefined } });

    assert.equal(config.slack.token, undefined);
    assert.ok(Object.hasOwn(config.slack, "token"));
  });

  test("each call returns a fresh config", () => {
    const first = makeTestConfig({ alerts: { digestThreshold: 2 } });
    const second = makeTestConfig();

    assert.equal(first.alerts.digestThreshold, 2);
    assert.equal(second.alerts.digestThreshold, 10);
  });
});
