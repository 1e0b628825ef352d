import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ALERT_KINDS } from "../../src/alerts/alert-event.ts";
import { ALERT_KIND_NAMES } from "../../src/config/alert-kind-names.ts";
import { parseConfig } from "../../src/config/parse-config.ts";
import {
  assertRuleCase,
  documentWith,
  onlyIssue,
  PROJECT_ID,
  type RuleCase,
} from "./config-documents.ts";

const alertsOf = (alerts: Record<string, unknown>) =>
  parseConfig(documentWith({ alerts }), {}).alerts;

const silenceWith = (silence: Record<string, unknown>) => ({
  alerts: {
    silences: [{ until: "2025-07-01T18:00:00Z", reason: "restore drill", ...silence }],
  },
});

const RULE_CASES: RuleCase[] = [
  {
    name: "misspelled alert kind",
    changes: { alerts: { kinds: { stuk: false } } },
    path: "alerts.kinds.stuk",
    value: false,
    message: /^unknown alert kind$/,
    fix: /^did you mean "stuck"\?$/,
  },
  {
    name: "alert kind with an underscore",
    changes: { alerts: { kinds: { unknown_status: false } } },
    path: "alerts.kinds.unknown_status",
    value: false,
    message: /^unknown alert kind$/,
    fix: /^did you mean "unknown-status"\?$/,
  },
  {
    name: "unrelated alert kind",
    changes: { alerts: { kinds: { paged: true } } },
    path: "alerts.kinds.paged",
    value: true,
    message: /^unknown alert kind$/,
    fix: /alert kinds allowed here: failed, expired, expiring, stuck, unknown-status, recovered$/,
  },
  {
    name: "alert kind switch in quotes",
    changes: { alerts: { kinds: { recovered: "no" } } },
    path: "alerts.kinds.recovered",
    value: "no",
    message: /^must be true or false$/,
    fix: /without quotes/,
  },
  {
    name: "alert kinds as a list",
    changes: { alerts: { kinds: ["failed"] } },
    path: "alerts.kinds",
    value: ["failed"],
    message: /^must be a mapping of keys to values$/,
    fix: /kinds: \{stuck: false\}/,
  },
  {
    name: "expiring lead time without a unit",
    changes: { alerts: { expiringLeadTime: 60 } },
    path: "alerts.expiringLeadTime",
    value: 60,
    message: /^a duration needs a unit$/,
    fix: /default "1h"$/,
  },
  {
    name: "fractional stuck threshold",
    changes: { alerts: { stuckAfter: "1.5h" } },
    path: "alerts.stuckAfter",
    value: "1.5h",
    message: /smaller unit/,
    fix: /default "1h"$/,
  },
  {
    name: "digest threshold of zero",
    changes: { alerts: { digestThreshold: 0 } },
    path: "alerts.digestThreshold",
    value: 0,
    message: /^must be a whole number from 1 to 1000$/,
    fix: /default 10$/,
  },
  {
    name: "operator failure threshold above 100",
    changes: { alerts: { operatorFailureThreshold: 101 } },
    path: "alerts.operatorFailureThreshold",
    value: 101,
    message: /^must be a whole number from 1 to 100$/,
    fix: /default 3$/,
  },
  {
    name: "operator repeat interval of zero",
    changes: { alerts: { operatorRepeatInterval: "0h" } },
    path: "alerts.operatorRepeatInterval",
    value: "0h",
    message: /^must be greater than zero$/,
    fix: /default "4h"$/,
  },
  {
    name: "silence without criteria",
    changes: silenceWith({}),
    path: "alerts.silences[0]",
    value: { until: "2025-07-01T18:00:00Z", reason: "restore drill" },
    message: /^matches every alert$/,
    fix: /^add projects, clusters or kinds; to turn a kind off everywhere, set it to false under alerts\.kinds$/,
  },
  {
    name: "silence without until",
    changes: { alerts: { silences: [{ kinds: ["stuck"], reason: "drill" }] } },
    path: "alerts.silences[0].until",
    value: undefined,
    message: /^is missing$/,
    fix: /"2025-07-01T18:00:00Z"/,
  },
  {
    name: "silence end without a zone",
    changes: silenceWith({ kinds: ["stuck"], until: "2025-07-01T18:00:00" }),
    path: "alerts.silences[0].until",
    value: "2025-07-01T18:00:00",
    message: /^must end with a time zone \(Z or ±hh:mm\)$/,
    fix: /date and time with a zone/,
  },
  {
    name: "silence end as a date only",
    changes: silenceWith({ kinds: ["stuck"], until: "2025-07-01" }),
    path: "alerts.silences[0].until",
    value: "2025-07-01",
    message: /^must be an ISO-8601 date and time with a zone$/,
    fix: /date and time with a zone/,
  },
  {
    name: "silence end on a day that does not exist",
    changes: silenceWith({ kinds: ["stuck"], until: "2025-02-30T12:00:00Z" }),
    path: "alerts.silences[0].until",
    value: "2025-02-30T12:00:00Z",
    message: /^is not a valid date and time$/,
    fix: /date and time with a zone/,
  },
  {
    name: "silence end at hour 24",
    changes: silenceWith({ kinds: ["stuck"], until: "2025-07-01T24:00:00Z" }),
    path: "alerts.silences[0].until",
    value: "2025-07-01T24:00:00Z",
    message: /^is not a valid date and time$/,
    fix: /date and time with a zone/,
  },
  {
    name: "silence end as a number",
    changes: silenceWith({ kinds: ["stuck"], until: 1_751_392_800 }),
    path: "alerts.silences[0].until",
    value: 1_751_392_800,
    message: /^must be a date and time in quotes$/,
    fix: /date and time with a zone/,
  },
  {
    name: "silence without reason",
    changes: {
      alerts: { silences: [{ kinds: ["stuck"], until: "2025-07-01T18:00:00Z" }] },
    },
    path: "alerts.silences[0].reason",
    value: undefined,
    message: /^is missing$/,
    fix: /say why the alerts are silenced/,
  },
  {
    name: "silence with a blank reason",
    changes: silenceWith({ kinds: ["stuck"], reason: "  " }),
    path: "alerts.silences[0].reason",
    value: "  ",
    message: /^must not be empty$/,
    fix: /say why the alerts are silenced/,
  },
  {
    name: "silence with a misspelled kind",
    changes: silenceWith({ kinds: ["expirng"] }),
    path: "alerts.silences[0].kinds[0]",
    value: "expirng",
    message: /^unknown alert kind$/,
    fix: /^did you mean "expiring"\?$/,
  },
  {
    name: "silence with an empty project list",
    changes: silenceWith({ projects: [] }),
    path: "alerts.silences[0].projects",
    value: [],
    message: /^must not be empty$/,
    fix: /remove the key to match any$/,
  },
  {
    name: "silence with a misspelled key",
    changes: silenceWith({ kinds: ["stuck"], untill: "2025-07-01T18:00:00Z" }),
    path: "alerts.silences[0].untill",
    value: "2025-07-01T18:00:00Z",
    message: /^unknown key$/,
    fix: /^did you mean "until"\?$/,
  },
];

describe("alerts settings", () => {
  test("defaults apply to every new key", () => {
    const alerts = alertsOf({});

    assert.deepStrictEqual(alerts.kinds, {
      failed: true,
      expired: true,
      expiring: true,
      stuck: true,
      "unknown-status": true,
      recovered: true,
    });
    assert.equal(alerts.expiringLeadTimeMs, 3_600_000);
    assert.equal(alerts.stuckAfterMs, 3_600_000);
    assert.equal(alerts.digestThreshold, 10);
    assert.equal(alerts.operatorFailureThreshold, 3);
    assert.equal(alerts.operatorRepeatIntervalMs, 14_400_000);
    assert.deepStrictEqual(alerts.silences, []);
  });

  test("kinds left out stay on", () => {
    const alerts = alertsOf({ kinds: { stuck: false, "unknown-status": false } });

    assert.deepStrictEqual(alerts.kinds, {
      failed: true,
      expired: true,
      expiring: true,
      stuck: false,
      "unknown-status": false,
      recovered: true,
    });
  });

  test("empty kinds mean all on", () => {
    assert.equal(alertsOf({ kinds: null }).kinds.recovered, true);
  });

  test("config kinds match the alert kinds", () => {
    assert.deepStrictEqual([...ALERT_KIND_NAMES].sort(), [...ALERT_KINDS].sort());
  });

  test("valid thresholds and durations are accepted", () => {
    const alerts = alertsOf({
      expiringLeadTime: "30m",
      stuckAfter: "2h",
      digestThreshold: 1000,
      operatorFailureThreshold: 1,
      operatorRepeatInterval: "1d",
    });

    assert.equal(alerts.expiringLeadTimeMs, 1_800_000);
    assert.equal(alerts.stuckAfterMs, 7_200_000);
    assert.equal(alerts.digestThreshold, 1000);
    assert.equal(alerts.operatorFailureThreshold, 1);
    assert.equal(alerts.operatorRepeatIntervalMs, 86_400_000);
  });

  test("silence end is converted to UTC", () => {
    const alerts = alertsOf({
      silences: [
        {
          projects: [PROJECT_ID],
          clusters: ["orders-*"],
          kinds: ["failed", "expired"],
          until: "2025-07-01T20:00:00+02:00",
          reason: " planned restore drill ",
        },
      ],
    });

    assert.deepStrictEqual(alerts.silences, [
      {
        projects: [PROJECT_ID],
        clusters: ["orders-*"],
        kinds: ["failed", "expired"],
        until: "2025-07-01T18:00:00.000Z",
        reason: "planned restore drill",
      },
    ]);
  });

  test("silence end without seconds is accepted", () => {
    const alerts = alertsOf(silenceWith({ clusters: ["a"], until: "2025-07-01T18:30Z" }).alerts);

    assert.equal(alerts.silences[0]?.until, "2025-07-01T18:30:00.000Z");
  });

  test("silence that has ended is accepted", () => {
    const alerts = alertsOf(
      silenceWith({ kinds: ["stuck"], until: "2001-01-01T00:00:00Z" }).alerts,
    );

    assert.equal(alerts.silences[0]?.until, "2001-01-01T00:00:00.000Z");
  });

  test("leap day silence end is accepted", () => {
    const alerts = alertsOf(
      silenceWith({ kinds: ["stuck"], until: "2028-02-29T12:00:00Z" }).alerts,
    );

    assert.equal(alerts.silences[0]?.until, "2028-02-29T12:00:00.000Z");
  });

  test("invalid criterion is not reported twice", () => {
    const issue = onlyIssue(documentWith(silenceWith({ clusters: ["orders flex"] })));

    assert.equal(issue.path, "alerts.silences[0].clusters[0]");
  });

  describe("when a rule is broken", () => {
    for (const rule of RULE_CASES) {
      test(`${rule.name} is rejected`, () => assertRuleCase(rule));
    }
  });
});
