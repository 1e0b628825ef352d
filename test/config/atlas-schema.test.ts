import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfig } from "../../src/config/parse-config.ts";
import {
  assertRuleCase,
  documentWith,
  issuesOf,
  onlyIssue,
  type RuleCase,
} from "./config-documents.ts";

const atlasOf = (atlas: Record<string, unknown>) => parseConfig(documentWith({ atlas }), {}).atlas;

const RULE_CASES: RuleCase[] = [
  {
    name: "resource version of one resource without dashes",
    changes: { atlas: { apiVersions: { groups: "20230101" } } },
    path: "atlas.apiVersions.groups",
    value: "20230101",
    message: /^must be a resource version date such as 2024-11-13$/,
    fix: /default "2023-01-01"/,
  },
  {
    name: "resource version written as a YAML date number",
    changes: { atlas: { apiVersions: { restoreJobs: 2024 } } },
    path: "atlas.apiVersions.restoreJobs",
    value: 2024,
    message: /written as text$/,
    fix: /atlas\.apiVersion.*in quotes/,
  },
  {
    name: "unknown resource in apiVersions",
    changes: { atlas: { apiVersions: { restorejobs: "2024-11-13" } } },
    path: "atlas.apiVersions.restorejobs",
    value: "2024-11-13",
    message: /^unknown key$/,
    fix: /^did you mean "restoreJobs"\?$/,
  },
  {
    name: "rate limit capacity of zero",
    changes: { atlas: { rateLimit: { capacity: 0, minRemaining: 0 } } },
    path: "atlas.rateLimit.capacity",
    value: 0,
    message: /^must be a whole number from 1 to 100000$/,
    fix: /default 1200$/,
  },
  {
    name: "refill rate above the bound",
    changes: { atlas: { rateLimit: { refillPerMinute: 100_001 } } },
    path: "atlas.rateLimit.refillPerMinute",
    value: 100_001,
    message: /^must be a whole number from 1 to 100000$/,
    fix: /default 500$/,
  },
  {
    name: "negative minimum remaining",
    changes: { atlas: { rateLimit: { minRemaining: -1 } } },
    path: "atlas.rateLimit.minRemaining",
    value: -1,
    message: /from 0 to/,
    fix: /default 100$/,
  },
  {
    name: "minimum remaining above the capacity",
    changes: { atlas: { rateLimit: { capacity: 200, minRemaining: 300 } } },
    path: "atlas.rateLimit.minRemaining",
    value: 300,
    message: /^must be at most atlas\.rateLimit\.capacity \(200\)$/,
    fix: /lower minRemaining, or raise capacity/,
  },
  {
    name: "default minimum remaining above a small capacity",
    changes: { atlas: { rateLimit: { capacity: 50 } } },
    path: "atlas.rateLimit.minRemaining",
    value: undefined,
    message: /^must be at most atlas\.rateLimit\.capacity \(50\)$/,
    fix: /minRemaining defaults to 100$/,
  },
  {
    name: "retry attempts above ten",
    changes: { atlas: { retry: { attempts: 11 } } },
    path: "atlas.retry.attempts",
    value: 11,
    message: /^must be a whole number from 1 to 10$/,
    fix: /default 4$/,
  },
  {
    name: "retry delay without a unit",
    changes: { atlas: { retry: { baseDelay: 1000 } } },
    path: "atlas.retry.baseDelay",
    value: 1000,
    message: /^a duration needs a unit$/,
    fix: /default "1s"$/,
  },
  {
    name: "maximum delay below the base delay",
    changes: { atlas: { retry: { baseDelay: "2s", maxDelay: "1500ms" } } },
    path: "atlas.retry.maxDelay",
    value: "1500ms",
    message: /^must be at least atlas\.retry\.baseDelay \(2s\)$/,
    fix: /raise maxDelay, or lower baseDelay/,
  },
  {
    name: "default maximum delay below a long base delay",
    changes: { atlas: { retry: { baseDelay: "2m" } } },
    path: "atlas.retry.maxDelay",
    value: undefined,
    message: /^must be at least atlas\.retry\.baseDelay \(2m\)$/,
    fix: /maxDelay defaults to "60s"$/,
  },
  {
    name: "full read every zero polls",
    changes: { atlas: { fullReadEvery: 0 } },
    path: "atlas.fullReadEvery",
    value: 0,
    message: /^must be a whole number from 1 to 1000$/,
    fix: /default 12$/,
  },
  {
    name: "fractional full read interval",
    changes: { atlas: { fullReadEvery: 2.5 } },
    path: "atlas.fullReadEvery",
    value: 2.5,
    message: /whole number/,
    fix: /default 12$/,
  },
  {
    name: "discovery cache TTL in bare seconds",
    changes: { atlas: { discoveryCacheTtl: "900" } },
    path: "atlas.discoveryCacheTtl",
    value: "900",
    message: /^a duration needs a unit$/,
    fix: /default "15m"$/,
  },
  {
    name: "rate limit that is not a mapping",
    changes: { atlas: { rateLimit: 500 } },
    path: "atlas.rateLimit",
    value: 500,
    message: /^must be a mapping of keys to values$/,
    fix: /keys indented below it/,
  },
];

describe("atlas settings", () => {
  test("defaults apply to every new key", () => {
    const atlas = atlasOf({});

    assert.equal(atlas.apiVersion, "2024-11-13");
    assert.deepStrictEqual(atlas.apiVersions, {
      restoreJobs: "2024-11-13",
      flexClusters: "2024-11-13",
      groups: "2023-01-01",
    });
    assert.deepStrictEqual(atlas.rateLimit, {
      capacity: 1200,
      refillPerMinute: 500,
      minRemaining: 100,
    });
    assert.deepStrictEqual(atlas.retry, { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 });
    assert.equal(atlas.fullReadEvery, 12);
    assert.equal(atlas.discoveryCacheTtlMs, 900_000);
  });

  test("apiVersion sets both flex resources", () => {
    const atlas = atlasOf({ apiVersion: "2025-03-12" });

    assert.equal(atlas.apiVersion, "2025-03-12");
    assert.deepStrictEqual(atlas.apiVersions, {
      restoreJobs: "2025-03-12",
      flexClusters: "2025-03-12",
      groups: "2023-01-01",
    });
  });

  test("apiVersions overrides one resource", () => {
    const atlas = atlasOf({
      apiVersion: "2025-03-12",
      apiVersions: { flexClusters: "2025-01-01", groups: "2025-02-02" },
    });

    assert.deepStrictEqual(atlas.apiVersions, {
      restoreJobs: "2025-03-12",
      flexClusters: "2025-01-01",
      groups: "2025-02-02",
    });
  });

  test("apiVersion follows the restore jobs override", () => {
    const atlas = atlasOf({ apiVersions: { restoreJobs: "2026-01-01" } });

    assert.equal(atlas.apiVersion, "2026-01-01");
    assert.equal(atlas.apiVersions.flexClusters, "2024-11-13");
  });

  test("valid limits and durations are accepted", () => {
    const atlas = atlasOf({
      rateLimit: { capacity: 100, refillPerMinute: 60, minRemaining: 100 },
      retry: { attempts: 1, baseDelay: "250ms", maxDelay: "250ms" },
      fullReadEvery: 1,
      discoveryCacheTtl: "1h",
    });

    assert.deepStrictEqual(atlas.rateLimit, {
      capacity: 100,
      refillPerMinute: 60,
      minRemaining: 100,
    });
    assert.deepStrictEqual(atlas.retry, { attempts: 1, baseDelayMs: 250, maxDelayMs: 250 });
    assert.equal(atlas.fullReadEvery, 1);
    assert.equal(atlas.discoveryCacheTtlMs, 3_600_000);
  });

  test("minimum remaining of zero is accepted", () => {
    assert.equal(atlasOf({ rateLimit: { minRemaining: 0 } }).rateLimit.minRemaining, 0);
  });

  test("empty nested sections mean defaults", () => {
    const atlas = atlasOf({ apiVersions: null, rateLimit: null, retry: {} });

    assert.equal(atlas.apiVersions.groups, "2023-01-01");
    assert.equal(atlas.rateLimit.capacity, 1200);
    assert.equal(atlas.retry.attempts, 4);
  });

  test("nested issues are reported together", () => {
    const issues = issuesOf(
      documentWith({
        atlas: { rateLimit: { capacity: "many" }, retry: { attempts: 0, maxDelay: "soon" } },
      }),
    );

    assert.deepStrictEqual(
      issues.map((issue) => issue.path),
      ["atlas.rateLimit.capacity", "atlas.retry.attempts", "atlas.retry.maxDelay"],
    );
  });

  test("unknown nested key lists that section's keys", () => {
    const issue = onlyIssue(documentWith({ atlas: { retry: { jitter: true } } }));

    assert.equal(issue.path, "atlas.retry.jitter");
    assert.match(issue.fix, /allowed here: attempts, baseDelay, maxDelay$/);
  });

  describe("when a rule is broken", () => {
    for (const rule of RULE_CASES) {
      test(`${rule.name} is rejected`, () => assertRuleCase(rule));
    }
  });
});
