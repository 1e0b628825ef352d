import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseConfig } from "../../src/config/parse-config.ts";
import {
  assertRuleCase,
  documentWith,
  issuesOf,
  OTHER_PROJECT_ID,
  onlyIssue,
  PROJECT_ID,
  type RuleCase,
} from "./config-documents.ts";

/** An all-digit project id written without quotes, as YAML reads it: a number. */
const NUMERIC_ID: unknown = parse("123456789012345678901234");

const RULE_CASES: RuleCase[] = [
  {
    name: "project id that is not 24 hex characters",
    changes: { projects: [{ id: "abc", clusters: ["orders-flex"] }] },
    path: "projects[0].id",
    value: "abc",
    message: /^must be 24 lowercase hex characters \(an Atlas project id\)$/,
    fix: /^copy it from the Atlas project settings$/,
  },
  {
    name: "project id in uppercase",
    changes: { projects: [{ id: PROJECT_ID.toUpperCase(), clusters: ["orders-flex"] }] },
    path: "projects[0].id",
    value: PROJECT_ID.toUpperCase(),
    message: /lowercase hex/,
    fix: /Atlas project settings/,
  },
  {
    name: "project id that YAML read as a number",
    changes: { projects: [{ id: NUMERIC_ID, clusters: ["orders-flex"] }] },
    path: "projects[0].id",
    value: NUMERIC_ID,
    message: /written as text$/,
    fix: /put the value in quotes/,
  },
  {
    name: "missing project id",
    changes: { projects: [{ clusters: ["orders-flex"] }] },
    path: "projects[0].id",
    value: undefined,
    message: /^is missing$/,
    fix: /Atlas project settings/,
  },
  {
    name: "repeated project id",
    changes: {
      projects: [
        { id: PROJECT_ID, clusters: ["a"] },
        { id: OTHER_PROJECT_ID, clusters: ["b"] },
        { id: PROJECT_ID, clusters: ["c"] },
      ],
    },
    path: "projects[2].id",
    value: PROJECT_ID,
    message: /^duplicate project id$/,
    fix: /merge/,
  },
  {
    name: "empty project list",
    changes: { projects: [] },
    path: "projects",
    value: [],
    message: /at least one project/,
    fix: /^list the Atlas projects/,
  },
  {
    name: "missing project list",
    changes: { projects: undefined },
    path: "projects",
    value: undefined,
    message: /^is missing$/,
    fix: /^list the Atlas projects/,
  },
  {
    name: "project list of the wrong type",
    changes: { projects: "32b6e34b3d91647abb20e7b8" },
    path: "projects",
    value: "32b6e34b3d91647abb20e7b8",
    message: /^must be a list of projects or "\*"$/,
    fix: /^list the Atlas projects.*projects: "\*"/,
  },
  {
    name: "project that is not a mapping",
    changes: { projects: ["32b6e34b3d91647abb20e7b8"] },
    path: "projects[0]",
    value: "32b6e34b3d91647abb20e7b8",
    message: /^must be a mapping of keys to values$/,
    fix: /id: and clusters:/,
  },
  {
    name: "cluster name with an underscore",
    changes: { projects: [{ id: PROJECT_ID, clusters: ["orders-flex", "bad_name"] }] },
    path: "projects[0].clusters[1]",
    value: "bad_name",
    message: /letters, digits and hyphens/,
    fix: /exactly as the Atlas UI shows it/,
  },
  {
    name: "cluster name starting with a hyphen",
    changes: { projects: [{ id: PROJECT_ID, clusters: ["-orders"] }] },
    path: "projects[0].clusters[0]",
    value: "-orders",
    message: /must start with a letter or digit/,
    fix: /Atlas UI/,
  },
  {
    name: "cluster name longer than 64 characters",
    changes: { projects: [{ id: PROJECT_ID, clusters: ["a".repeat(65)] }] },
    path: "projects[0].clusters[0]",
    value: "a".repeat(65),
    message: /at most 64 characters/,
    fix: /Atlas UI/,
  },
  {
    name: "repeated cluster name",
    changes: { projects: [{ id: PROJECT_ID, clusters: ["a", "b", "a"] }] },
    path: "projects[0].clusters[2]",
    value: "a",
    message: /^duplicate name in this project$/,
    fix: /remove the repeated name/,
  },
  {
    name: "cluster name that YAML read as a number",
    changes: { projects: [{ id: PROJECT_ID, clusters: [123] }] },
    path: "projects[0].clusters[0]",
    value: 123,
    message: /must be a cluster name/,
    fix: /in quotes/,
  },
  {
    name: "empty cluster list",
    changes: { projects: [{ id: PROJECT_ID, clusters: [] }] },
    path: "projects[0].clusters",
    value: [],
    message: /must not be empty/,
    fix: /"\*" for every flex cluster/,
  },
  {
    name: "star listed with names",
    changes: { projects: [{ id: PROJECT_ID, clusters: ["*", "orders-flex"] }] },
    path: "projects[0].clusters",
    value: ["*", "orders-flex"],
    message: /cannot be listed with names/,
    fix: /either clusters: "\*" or a list of names/,
  },
  {
    name: "single cluster name instead of a list",
    changes: { projects: [{ id: PROJECT_ID, clusters: "orders-flex" }] },
    path: "projects[0].clusters",
    value: "orders-flex",
    message: /must be a list/,
    fix: /^write it as a list: \[orders-flex\]$/,
  },
  {
    name: "cron with too few fields",
    changes: { schedule: { cron: "*/5 * * *" } },
    path: "schedule.cron",
    value: "*/5 * * *",
    message: /expected 5 or 6 fields but got 4/,
    fix: /leading seconds field/,
  },
  {
    name: "cron minute out of range",
    changes: { schedule: { cron: "61 * * * *" } },
    path: "schedule.cron",
    value: "61 * * * *",
    message: /^minute field: 61 is an invalid expression for minute$/,
    fix: /"\*\/5 \* \* \* \*"/,
  },
  {
    name: "missing cron",
    changes: { schedule: { cron: undefined } },
    path: "schedule.cron",
    value: undefined,
    message: /^is missing$/,
    fix: /5 fields/,
  },
  {
    name: "unknown time zone",
    changes: { schedule: { cron: "*/5 * * * *", timezone: "Mars/Olympus_Mons" } },
    path: "schedule.timezone",
    value: "Mars/Olympus_Mons",
    message: /unknown time zone/,
    fix: /IANA time zone/,
  },
  {
    name: "missing schedule",
    changes: { schedule: undefined },
    path: "schedule",
    value: undefined,
    message: /^is missing$/,
    fix: /schedule: \{cron:/,
  },
  {
    name: "slack channel missing while enabled",
    changes: { slack: { channel: undefined } },
    path: "slack.channel",
    value: undefined,
    message: /^is missing while Slack is enabled$/,
    fix: /slack: \{enabled: false\}/,
  },
  {
    name: "slack enabled as a string",
    changes: { slack: { enabled: "no" } },
    path: "slack.enabled",
    value: "no",
    message: /true or false/,
    fix: /without quotes/,
  },
  {
    name: "api version that is not a date",
    changes: { atlas: { apiVersion: "v2" } },
    path: "atlas.apiVersion",
    value: "v2",
    message: /resource version date/,
    fix: /default "2024-11-13"/,
  },
  {
    name: "page size above 500",
    changes: { atlas: { pageSize: 501 } },
    path: "atlas.pageSize",
    value: 501,
    message: /^must be a whole number from 1 to 500$/,
    fix: /default 500/,
  },
  {
    name: "fractional page size",
    changes: { atlas: { pageSize: 10.5 } },
    path: "atlas.pageSize",
    value: 10.5,
    message: /whole number/,
    fix: /default 500/,
  },
  {
    name: "zero request timeout",
    changes: { atlas: { requestTimeout: "0s" } },
    path: "atlas.requestTimeout",
    value: "0s",
    message: /greater than zero/,
    fix: /ms, s, m, h or d/,
  },
  {
    name: "duration without a unit",
    changes: { slack: { requestTimeout: 30 } },
    path: "slack.requestTimeout",
    value: 30,
    message: /needs a unit/,
    fix: /default "10s"/,
  },
  {
    name: "garbage look-back",
    changes: { alerts: { lookback: "an hour" } },
    path: "alerts.lookback",
    value: "an hour",
    message: /number followed by a unit/,
    fix: /default "1h"/,
  },
  {
    name: "negative delivery timeout",
    changes: { alerts: { deliveryTimeout: "-1h" } },
    path: "alerts.deliveryTimeout",
    value: "-1h",
    message: /greater than zero/,
    fix: /default "24h"/,
  },
  {
    name: "key prefix with a colon",
    changes: { redis: { keyPrefix: "flex:watch" } },
    path: "redis.keyPrefix",
    value: "flex:watch",
    message: /no :, \{ or \}/,
    fix: /plain name/,
  },
  {
    name: "key prefix with a hash tag",
    changes: { redis: { keyPrefix: "{flexwatch}" } },
    path: "redis.keyPrefix",
    value: "{flexwatch}",
    message: /no :, \{ or \}/,
    fix: /plain name/,
  },
  {
    name: "poll concurrency of zero",
    changes: { queue: { pollConcurrency: 0 } },
    path: "queue.pollConcurrency",
    value: 0,
    message: /from 1 to 64/,
    fix: /default 4/,
  },
  {
    name: "alert concurrency above 16",
    changes: { queue: { alertConcurrency: 17 } },
    path: "queue.alertConcurrency",
    value: 17,
    message: /from 1 to 16/,
    fix: /default 1/,
  },
  {
    name: "poll attempts above 20",
    changes: { queue: { pollAttempts: 21 } },
    path: "queue.pollAttempts",
    value: 21,
    message: /from 1 to 20/,
    fix: /default 3/,
  },
  {
    name: "metrics host with a space",
    changes: { metrics: { host: "my host" } },
    path: "metrics.host",
    value: "my host",
    message: /IP address or a host name/,
    fix: /0\.0\.0\.0/,
  },
  {
    name: "section of the wrong type",
    changes: { queue: [1, 2] },
    path: "queue",
    value: [1, 2],
    message: /^must be a mapping of keys to values$/,
    fix: /leave it out to use the defaults/,
  },
];

describe("parseConfig", () => {
  describe("when a rule is broken", () => {
    for (const rule of RULE_CASES) {
      test(`${rule.name} is rejected`, () => assertRuleCase(rule));
    }
  });

  test("message uses the documented issue form", () => {
    try {
      parseConfig(documentWith({ projects: [{ id: "abc", clusters: ["orders-flex"] }] }), {});
      assert.fail("expected a ConfigError");
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, "FLEXWATCH_CONFIG_INVALID");
      assert.equal(error.name, "ConfigError");
      assert.match(
        error.message,
        /\n {2}- projects\[0\]\.id: "abc" is invalid: must be 24 lowercase hex characters \(an Atlas project id\); copy it from the Atlas project settings$/,
      );
    }
  });

  test("several issues are reported together", () => {
    const document = documentWith({
      projects: [{ id: "abc", clusters: ["ok", "bad_name"] }],
      schedule: { cron: "* * *", timezone: "Nowhere/Town" },
      queue: { pollAttempts: 0 },
    });
    const issues = issuesOf(document, { METRICS_PORT: "http" });

    assert.deepStrictEqual(
      issues.map((issue) => issue.path),
      [
        "projects[0].id",
        "projects[0].clusters[1]",
        "schedule.cron",
        "schedule.timezone",
        "queue.pollAttempts",
        "METRICS_PORT",
      ],
    );
  });

  test("cron field errors each get an issue", () => {
    const issues = issuesOf(documentWith({ schedule: { cron: "61 25 * * *" } }));

    assert.deepStrictEqual(
      issues.map((issue) => issue.message),
      [
        "minute field: 61 is an invalid expression for minute",
        "hour field: 25 is an invalid expression for hour",
      ],
    );
  });

  test("cron with a seconds field is accepted", () => {
    const config = parseConfig(documentWith({ schedule: { cron: "30 */5 * * * *" } }), {});

    assert.equal(config.schedule.cron, "30 */5 * * * *");
  });

  test("star or star list means every cluster", () => {
    const config = parseConfig(
      documentWith({
        projects: [
          { id: PROJECT_ID, clusters: "*" },
          { id: OTHER_PROJECT_ID, clusters: ["*"] },
        ],
      }),
      {},
    );

    assert.deepStrictEqual(config.projects, [
      { id: PROJECT_ID, clusters: "*" },
      { id: OTHER_PROJECT_ID, clusters: "*" },
    ]);
  });

  test("empty optional sections mean defaults", () => {
    const config = parseConfig(documentWith({ atlas: null, queue: null, alerts: {} }), {});

    assert.equal(config.atlas.pageSize, 500);
    assert.equal(config.queue.pollConcurrency, 4);
    assert.equal(config.alerts.lookbackMs, 3_600_000);
  });

  test("channel optional when slack disabled", () => {
    const config = parseConfig(documentWith({ slack: { enabled: false, channel: undefined } }), {});

    assert.equal(config.slack.enabled, false);
    assert.equal(config.slack.channel, "");
  });

  test("non-mapping top level is rejected", () => {
    const issue = onlyIssue(["projects"]);

    assert.equal(issue.path, "(top level)");
    assert.match(issue.message, /mapping/);
  });
});

describe("parseConfig unknown keys", () => {
  test("close name gets a did-you-mean", () => {
    const document = documentWith({
      projects: [{ id: PROJECT_ID, cluster: ["orders-flex"], clusters: ["a"] }],
    });
    const issue = onlyIssue(document);

    assert.equal(issue.path, "projects[0].cluster");
    assert.deepStrictEqual(issue.value, ["orders-flex"]);
    assert.equal(issue.message, "unknown key");
    assert.equal(issue.fix, 'did you mean "clusters"?');
  });

  test("other casing gets a did-you-mean", () => {
    const issue = onlyIssue(documentWith({ schedule: { cron: "*/5 * * * *", timeZone: "UTC" } }));

    assert.equal(issue.path, "schedule.timeZone");
    assert.equal(issue.fix, 'did you mean "timezone"?');
  });

  test("unrelated name lists the allowed keys", () => {
    const issue = onlyIssue(documentWith({ queue: { workers: 3 } }));

    assert.equal(issue.path, "queue.workers");
    assert.equal(issue.value, 3);
    assert.match(issue.fix, /pollConcurrency, alertConcurrency, pollAttempts$/);
  });

  test("setting of the environment names its variable", () => {
    const issue = onlyIssue(documentWith({ redis: { url: "redis://127.0.0.1:6379" } }));

    assert.equal(issue.path, "redis.url");
    assert.match(issue.message, /environment/);
    assert.equal(issue.fix, "remove it and set REDIS_URL instead");
  });

  const SECRET_CASES = [
    { section: "slack", key: "token", variable: "SLACK_BOT_TOKEN" },
    { section: "atlas", key: "clientSecret", variable: "MONGODB_ATLAS_CLIENT_SECRET" },
    { section: "atlas", key: "privateKey", variable: "MONGODB_ATLAS_PRIVATE_API_KEY" },
    { section: "atlas", key: "private_api_key", variable: "MONGODB_ATLAS_PRIVATE_API_KEY" },
    { section: "redis", key: "password", variable: "REDIS_URL" },
  ];
  for (const { section, key, variable } of SECRET_CASES) {
    test(`secret ${section}.${key} is rejected without its value`, () => {
      const secret = "s3cr3t-value-that-must-not-leak";
      const issue = onlyIssue(documentWith({ [section]: { [key]: secret } }));

      assert.equal(issue.path, `${section}.${key}`);
      assert.equal(issue.value, "[redacted]");
      assert.match(issue.message, /secrets are not read from the config file/);
      assert.match(issue.fix, new RegExp(`set ${variable}`));
    });
  }

  test("secret under an unusual name is redacted", () => {
    const issues = issuesOf(
      documentWith({ slack: { channel: "#a", webhookUrl: "https://hooks.example/x" } }),
    );

    assert.equal(issues[0]?.value, "[redacted]");
    assert.match(issues[0]?.fix ?? "", /environment variables listed in docs\/configuration\.md/);
  });

  test("secret nested in an unknown key is redacted", () => {
    const issue = onlyIssue(documentWith({ auth: { slackToken: "xoxb-leak", user: "ops" } }));

    assert.equal(issue.path, "auth");
    assert.deepStrictEqual(issue.value, { slackToken: "[redacted]", user: "ops" });
  });
});
