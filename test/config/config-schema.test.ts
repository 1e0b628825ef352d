import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { SECTION_KEYS } from "../../src/config/config-schema.ts";
import { parseConfig } from "../../src/config/parse-config.ts";
import { documentWith, issuesOf, onlyIssue, PROJECT_ID } from "./config-documents.ts";

const reference = readFileSync(resolve(import.meta.dirname, "../../docs/configuration.md"), "utf8");

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

/** Sections that are lists of objects, whose keys the reference writes as `slack.routes[].channel`. */
const LIST_SECTIONS = ["projects", "slack.routes", "alerts.silences"];

/** Returns a key's path as the reference writes it: `projects[].id`, `atlas.pageSize`, `queue`. */
function documentedPath(section: string, key: string): string {
  if (section === "") return key;
  if (LIST_SECTIONS.includes(section)) return `${section}[].${key}`;
  return `${section}.${key}`;
}

/** Returns `document` with each top-level section of `fragment` merged into it. */
function mergeSections(document: Record<string, unknown>, fragment: Record<string, unknown>) {
  const merged = { ...document };
  for (const [key, value] of Object.entries(fragment)) {
    const current = merged[key];
    merged[key] =
      typeof current === "object" && current !== null && !Array.isArray(current)
        ? { ...current, ...(value as object) }
        : value;
  }
  return merged;
}

describe("configuration reference", () => {
  test("every key of the schema is documented", () => {
    const undocumented: string[] = [];
    for (const [section, keys] of Object.entries(SECTION_KEYS)) {
      for (const key of keys) {
        const path = documentedPath(section, key);
        if (!reference.includes(`\`${path}\``)) undocumented.push(path);
      }
    }

    assert.deepStrictEqual(undocumented, []);
  });

  test("complete example equals the defaults", () => {
    const blocks = yamlBlocks(reference);
    const minimal = parseConfig(parse(blocks[0] ?? ""), {});
    const complete = parseConfig(parse(blocks.at(-1) ?? ""), {});

    assert.ok(Array.isArray(complete.projects));
    assert.deepStrictEqual(complete.projects[1], { id: "6512a0c1e4b0a1b2c3d4e5f7", clusters: "*" });
    assert.deepStrictEqual({ ...complete, projects: [] }, { ...minimal, projects: [] });
  });

  test("every example fragment is valid", () => {
    const blocks = yamlBlocks(reference);
    const minimal = parse(blocks[0] ?? "") as Record<string, unknown>;
    const fragments = blocks.slice(1, -1);

    assert.ok(fragments.length >= 3, "expected the projects, routes and silences examples");
    for (const fragment of fragments) {
      assert.doesNotThrow(() => parseConfig(mergeSections(minimal, parse(fragment)), {}), fragment);
    }
  });
});

describe("projects star", () => {
  test("star means every project", () => {
    const config = parseConfig(documentWith({ projects: "*" }), {});

    assert.equal(config.projects, "*");
  });

  test("star list means every project", () => {
    const config = parseConfig(documentWith({ projects: ["*"] }), {});

    assert.equal(config.projects, "*");
  });

  test("star with listed projects is rejected", () => {
    const issue = onlyIssue(
      documentWith({ projects: [{ id: PROJECT_ID, clusters: ["orders-flex"] }, "*"] }),
    );

    assert.equal(issue.path, "projects[1]");
    assert.equal(issue.value, "*");
    assert.match(issue.message, /^"\*" already means every project/);
    assert.equal(issue.fix, 'write either projects: "*" or a list of projects without "*"');
  });

  test("other text is rejected with both forms", () => {
    const issue = onlyIssue(documentWith({ projects: "all" }));

    assert.equal(issue.path, "projects");
    assert.equal(issue.message, 'must be a list of projects or "*"');
    assert.match(issue.fix, /projects: \[\{id: .*or write projects: "\*"/);
  });

  test("empty list names both forms", () => {
    const issue = onlyIssue(documentWith({ projects: [] }));

    assert.equal(issue.message, "must list at least one project");
    assert.match(issue.fix, /projects: "\*"/);
  });

  test("issues inside the list keep their paths", () => {
    const issues = issuesOf(
      documentWith({
        projects: [
          { id: "abc", clusters: ["orders-flex"] },
          { id: PROJECT_ID, cluster: ["orders-flex"], clusters: ["a"] },
        ],
      }),
    );

    assert.deepStrictEqual(
      issues.map((issue) => [issue.path, issue.message]),
      [
        ["projects[0].id", "must be 24 lowercase hex characters (an Atlas project id)"],
        ["projects[1].cluster", "unknown key"],
      ],
    );
    assert.equal(issues[1]?.fix, 'did you mean "clusters"?');
  });
});
