import assert from "node:assert/strict";
import { describe, test } from "node:test";
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

const slackOf = (slack: Record<string, unknown>) => parseConfig(documentWith({ slack }), {}).slack;

const routeWith = (route: Record<string, unknown>) => ({
  slack: { routes: [{ channel: "#orders-oncall", ...route }] },
});

const RULE_CASES: RuleCase[] = [
  {
    name: "channel name with capitals",
    changes: { slack: { channel: "#Atlas-Restores" } },
    path: "slack.channel",
    value: "#Atlas-Restores",
    message: /^must be # followed by at most 80 lowercase letters, digits, - or _$/,
    fix: /"#atlas-restores" \(quoted/,
  },
  {
    name: "channel name without #",
    changes: { slack: { channel: "atlas-restores" } },
    path: "slack.channel",
    value: "atlas-restores",
    message: /starting with # or a channel id starting with C or G$/,
    fix: /C0123456789$/,
  },
  {
    name: "empty channel",
    changes: { slack: { channel: "" } },
    path: "slack.channel",
    value: "",
    message: /^must be a channel name or id$/,
    fix: /channel name or id/,
  },
  {
    name: "channel name over 80 characters",
    changes: { slack: { channel: `#${"a".repeat(81)}` } },
    path: "slack.channel",
    value: `#${"a".repeat(81)}`,
    message: /at most 80/,
    fix: /channel name or id/,
  },
  {
    name: "empty operator channel",
    changes: { slack: { operatorChannel: "" } },
    path: "slack.operatorChannel",
    value: "",
    message: /^must be a channel name or id$/,
    fix: /channel name or id/,
  },
  {
    name: "mention written with @",
    changes: { slack: { mentions: ["U024BE7LH", "@alice"] } },
    path: "slack.mentions[1]",
    value: "@alice",
    message: /^must be a Slack user id \(U… or W…\) or user group id \(S…\)$/,
    fix: /Copy member ID/,
  },
  {
    name: "mentions as one string",
    changes: { slack: { mentions: "U024BE7LH" } },
    path: "slack.mentions",
    value: "U024BE7LH",
    message: /^must be a list of Slack user or user group ids$/,
    fix: /in a list$/,
  },
  {
    name: "runbook URL that is not http",
    changes: { slack: { runbookUrl: "wiki/runbooks/atlas" } },
    path: "slack.runbookUrl",
    value: "wiki/runbooks/atlas",
    message: /^must be an http or https URL$/,
    fix: /https:\/\/wiki\.example\.com/,
  },
  {
    name: "runbook URL with a password",
    changes: { slack: { runbookUrl: "https://ops:hunter2@wiki.example.com/runbook" } },
    path: "slack.runbookUrl",
    value: "https://ops:[redacted]@wiki.example.com/runbook",
    message: /^must not contain a user name or password$/,
    fix: /http or https URL/,
  },
  {
    name: "Atlas UI base URL with a path",
    changes: { slack: { atlasUiBaseUrl: "https://cloud.mongodb.com/v2" } },
    path: "slack.atlasUiBaseUrl",
    value: "https://cloud.mongodb.com/v2",
    message: /^must not have a path, query or fragment$/,
    fix: /"https:\/\/cloud\.mongodb\.com" \(the default\)/,
  },
  {
    name: "route without criteria",
    changes: routeWith({}),
    path: "slack.routes[0]",
    value: { channel: "#orders-oncall" },
    message: /^matches every alert$/,
    fix: /^add projects, clusters or kinds; to send every alert to this channel, set slack\.channel instead$/,
  },
  {
    name: "route without channel",
    changes: { slack: { routes: [{ kinds: ["failed"] }] } },
    path: "slack.routes[0].channel",
    value: undefined,
    message: /^is missing$/,
    fix: /channel name or id/,
  },
  {
    name: "route with a misspelled kind",
    changes: routeWith({ kinds: ["failed", "expierd"] }),
    path: "slack.routes[0].kinds[1]",
    value: "expierd",
    message: /^unknown alert kind$/,
    fix: /^did you mean "expired"\?$/,
  },
  {
    name: "route with an unrelated kind",
    changes: routeWith({ kinds: ["panic"] }),
    path: "slack.routes[0].kinds[0]",
    value: "panic",
    message: /^unknown alert kind$/,
    fix: /^write one of failed, expired, expiring, stuck, unknown-status, recovered$/,
  },
  {
    name: "route with a bad project id",
    changes: routeWith({ projects: ["orders"] }),
    path: "slack.routes[0].projects[0]",
    value: "orders",
    message: /24 lowercase hex characters/,
    fix: /Atlas project settings/,
  },
  {
    name: "route cluster pattern with a slash",
    changes: routeWith({ clusters: ["orders/*"] }),
    path: "slack.routes[0].clusters[0]",
    value: "orders/*",
    message: /letters, digits, -, \* and \?$/,
    fix: /"orders-\*"/,
  },
  {
    name: "route clusters as one string",
    changes: routeWith({ clusters: "orders-flex" }),
    path: "slack.routes[0].clusters",
    value: "orders-flex",
    message: /^must be a list of cluster name patterns$/,
    fix: /^write it as a list: \[orders-flex\]$/,
  },
  {
    name: "route with an empty kinds list",
    changes: routeWith({ kinds: [] }),
    path: "slack.routes[0].kinds",
    value: [],
    message: /^must not be empty$/,
    fix: /remove the key to match any$/,
  },
  {
    name: "route with a misspelled key",
    changes: routeWith({ kinds: ["failed"], chanel: "#x" }),
    path: "slack.routes[0].chanel",
    value: "#x",
    message: /^unknown key$/,
    fix: /^did you mean "channel"\?$/,
  },
  {
    name: "routes as a mapping",
    changes: { slack: { routes: { kinds: ["failed"], channel: "#x" } } },
    path: "slack.routes",
    value: { kinds: ["failed"], channel: "#x" },
    message: /^must be a list$/,
    fix: /routes as a list/,
  },
  {
    name: "route that is not a mapping",
    changes: { slack: { routes: ["#orders-oncall"] } },
    path: "slack.routes[0]",
    value: "#orders-oncall",
    message: /^must be a mapping of keys to values$/,
    fix: /each route as keys/,
  },
];

describe("slack settings", () => {
  test("defaults apply to every new key", () => {
    const slack = slackOf({});

    assert.equal(slack.operatorChannel, "#atlas-restores");
    assert.deepStrictEqual(slack.routes, []);
    assert.deepStrictEqual(slack.mentions, []);
    assert.equal(slack.runbookUrl, undefined);
    assert.equal(slack.atlasUiBaseUrl, "https://cloud.mongodb.com");
  });

  test("channel ids are accepted", () => {
    const slack = slackOf({ channel: "C0123456789", operatorChannel: "G0123456789" });

    assert.equal(slack.channel, "C0123456789");
    assert.equal(slack.operatorChannel, "G0123456789");
  });

  test("operator channel follows the channel", () => {
    assert.equal(slackOf({ channel: "C0123456789" }).operatorChannel, "C0123456789");
  });

  test("operator channel can differ", () => {
    assert.equal(slackOf({ operatorChannel: "#flexwatch-ops" }).operatorChannel, "#flexwatch-ops");
  });

  test("operator channel empty when Slack is off", () => {
    const slack = slackOf({ enabled: false, channel: undefined });

    assert.equal(slack.channel, "");
    assert.equal(slack.operatorChannel, "");
  });

  test("valid routes keep their order", () => {
    const slack = slackOf({
      routes: [
        {
          projects: [PROJECT_ID, OTHER_PROJECT_ID],
          clusters: ["orders-*", "search-??"],
          kinds: ["failed", "unknown-status"],
          channel: "#orders-oncall",
          mentions: ["S0614TZR7", "U024BE7LH"],
        },
        { kinds: ["stuck"], channel: "G0123456789" },
      ],
    });

    assert.deepStrictEqual(slack.routes, [
      {
        projects: [PROJECT_ID, OTHER_PROJECT_ID],
        clusters: ["orders-*", "search-??"],
        kinds: ["failed", "unknown-status"],
        channel: "#orders-oncall",
        mentions: ["S0614TZR7", "U024BE7LH"],
      },
      {
        projects: undefined,
        clusters: undefined,
        kinds: ["stuck"],
        channel: "G0123456789",
        mentions: [],
      },
    ]);
  });

  test("each criterion alone is enough", () => {
    for (const criterion of [
      { projects: [PROJECT_ID] },
      { clusters: ["*"] },
      { kinds: ["failed"] },
    ]) {
      const slack = slackOf(routeWith(criterion).slack);

      assert.equal(slack.routes.length, 1, JSON.stringify(criterion));
    }
  });

  test("empty routes mean none", () => {
    assert.deepStrictEqual(slackOf({ routes: null }).routes, []);
  });

  test("invalid criterion is not reported twice", () => {
    const issue = onlyIssue(documentWith(routeWith({ kinds: ["nope"] })));

    assert.equal(issue.path, "slack.routes[0].kinds[0]");
  });

  test("issues of several routes come together", () => {
    const issues = issuesOf(
      documentWith({
        slack: {
          routes: [
            { channel: "#a" },
            { kinds: ["failed"], channel: "a" },
            { clusters: ["ok"], channel: "#b", mentions: ["bob"] },
          ],
        },
      }),
    );

    assert.deepStrictEqual(
      issues.map((issue) => issue.path),
      ["slack.routes[0]", "slack.routes[1].channel", "slack.routes[2].mentions[0]"],
    );
  });

  test("Enterprise Grid user ids are accepted", () => {
    assert.deepStrictEqual(slackOf({ mentions: ["W0123ABCD"] }).mentions, ["W0123ABCD"]);
  });

  test("runbook URL keeps its path and fragment", () => {
    const slack = slackOf({ runbookUrl: "https://wiki.example.com/runbooks/atlas?view=1#flex" });

    assert.equal(slack.runbookUrl, "https://wiki.example.com/runbooks/atlas?view=1#flex");
  });

  test("Atlas UI base URL becomes its origin", () => {
    const slack = slackOf({ atlasUiBaseUrl: "https://cloud.mongodbgov.com/" });

    assert.equal(slack.atlasUiBaseUrl, "https://cloud.mongodbgov.com");
  });

  test("token under a route is rejected unread", () => {
    const issue = onlyIssue(documentWith(routeWith({ kinds: ["failed"], token: "xoxb-1-leak" })));

    assert.equal(issue.path, "slack.routes[0].token");
    assert.equal(issue.value, "[redacted]");
    assert.match(issue.fix, /SLACK_BOT_TOKEN/);
  });

  describe("when a rule is broken", () => {
    for (const rule of RULE_CASES) {
      test(`${rule.name} is rejected`, () => assertRuleCase(rule));
    }
  });
});
