import assert from "node:assert/strict";
import { ConfigError, type ConfigIssue } from "../../src/config/config-error.ts";
import { parseConfig } from "../../src/config/parse-config.ts";

export const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
export const OTHER_PROJECT_ID = "6512a0c1e4b0a1b2c3d4e5f7";

export type Document = Record<string, unknown>;

/** Builds a minimal valid config file as plain data. */
export function validDocument(): Document {
  return {
    projects: [{ id: PROJECT_ID, clusters: ["orders-flex", "search-flex"] }],
    schedule: { cron: "*/5 * * * *", timezone: "UTC" },
    slack: { channel: "#atlas-restores" },
  };
}

/** Returns a valid document with `changes` merged into its sections. */
export function documentWith(changes: Document): Document {
  const document = validDocument();
  for (const [key, value] of Object.entries(changes)) {
    const current = document[key];
    const isSection = typeof current === "object" && current !== null && !Array.isArray(current);
    document[key] =
      isSection && typeof value === "object" && value !== null ? { ...current, ...value } : value;
  }
  return document;
}

/** Returns the issues of a document that `parseConfig` must reject. */
export function issuesOf(document: unknown, env: NodeJS.ProcessEnv = {}): readonly ConfigIssue[] {
  try {
    parseConfig(document, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail("expected the document to be rejected");
}

/** Returns the one issue of a document that `parseConfig` must reject with exactly one. */
export function onlyIssue(document: unknown): ConfigIssue {
  const issues = issuesOf(document);
  assert.equal(
    issues.length,
    1,
    `expected one issue, got:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
  );
  return issues[0] as ConfigIssue;
}

/** A document that breaks one rule, and the issue it must produce. */
export interface RuleCase {
  name: string;
  changes: Document;
  path: string;
  value: unknown;
  message: RegExp;
  fix: RegExp;
}

/** Asserts that `rule.changes` produce exactly the issue the case describes. */
export function assertRuleCase(rule: RuleCase): void {
  const issue = onlyIssue(documentWith(rule.changes));

  assert.equal(issue.path, rule.path);
  assert.deepStrictEqual(issue.value, rule.value);
  assert.match(issue.message, rule.message);
  assert.match(issue.fix, rule.fix);
}
