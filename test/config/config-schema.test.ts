import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { SECTION_KEYS } from "../../src/config/config-schema.ts";
import { parseConfig } from "../../src/config/parse-config.ts";

const reference = readFileSync(resolve(import.meta.dirname, "../../docs/configuration.md"), "utf8");

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

/** Returns a key's path as the reference writes it: `projects[].id`, `atlas.pageSize`, `queue`. */
function documentedPath(section: string, key: string): string {
  if (section === "") return key;
  if (section === "projects") return `projects[].${key}`;
  return `${section}.${key}`;
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

    assert.equal(blocks.length, 2);
    assert.deepStrictEqual(complete.projects[1], { id: "6512a0c1e4b0a1b2c3d4e5f7", clusters: "*" });
    assert.deepStrictEqual({ ...complete, projects: [] }, { ...minimal, projects: [] });
  });
});
