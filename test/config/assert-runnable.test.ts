import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { ConfigError } from "../../src/config/config-error.ts";
import { assertRunnable, loadConfig } from "../../src/config/load-config.ts";

const fixtures = resolve(import.meta.dirname, "../fixtures/config");

const SERVICE_ACCOUNT = {
  MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_1",
  MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_1",
};

function runnableError(run: () => void): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error;
  }
  assert.fail("expected assertRunnable to throw");
}

describe("assertRunnable", () => {
  test("credentials and token are enough", async () => {
    const config = await loadConfig({
      path: join(fixtures, "minimal.yaml"),
      env: { ...SERVICE_ACCOUNT, SLACK_BOT_TOKEN: "xoxb-example" },
    });

    assert.doesNotThrow(() => assertRunnable(config));
  });

  test("API key counts as credentials", async () => {
    const config = await loadConfig({
      path: join(fixtures, "slack-disabled.yaml"),
      env: {
        MONGODB_ATLAS_PUBLIC_API_KEY: "abcdefgh",
        MONGODB_ATLAS_PRIVATE_API_KEY: "0000-private",
      },
    });

    assert.doesNotThrow(() => assertRunnable(config));
  });

  test("missing credentials name both variable pairs", async () => {
    const config = await loadConfig({ path: join(fixtures, "slack-disabled.yaml"), env: {} });
    const error = runnableError(() => assertRunnable(config));

    assert.equal(error.issues.length, 1);
    for (const name of [
      "MONGODB_ATLAS_CLIENT_ID",
      "MONGODB_ATLAS_CLIENT_SECRET",
      "MONGODB_ATLAS_PUBLIC_API_KEY",
      "MONGODB_ATLAS_PRIVATE_API_KEY",
    ]) {
      assert.match(error.message, new RegExp(name));
    }
  });

  test("missing Slack token names the fix", async () => {
    const config = await loadConfig({ path: join(fixtures, "minimal.yaml"), env: SERVICE_ACCOUNT });
    const error = runnableError(() => assertRunnable(config));

    assert.equal(error.issues.length, 1);
    assert.equal(error.issues[0]?.path, "SLACK_BOT_TOKEN");
    assert.match(error.issues[0]?.fix ?? "", /slack: \{enabled: false\}/);
  });

  test("slack disabled needs no token", async () => {
    const config = await loadConfig({
      path: join(fixtures, "slack-disabled.yaml"),
      env: SERVICE_ACCOUNT,
    });

    assert.doesNotThrow(() => assertRunnable(config));
  });

  test("both problems are reported together", async () => {
    const config = await loadConfig({ path: join(fixtures, "minimal.yaml"), env: {} });
    const error = runnableError(() => assertRunnable(config));

    assert.deepStrictEqual(
      error.issues.map((issue) => issue.path),
      ["Atlas credentials", "SLACK_BOT_TOKEN"],
    );
  });
});
