import type { Config } from "../../src/config/config.ts";
import { parseConfig } from "../../src/config/parse-config.ts";
import { testRedisUrl } from "./redis.ts";

/** An optional version of `T` at every depth. Arrays are replaced whole, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Project and cluster of the default test config. */
export const TEST_PROJECT_ID = "32b6e34b3d91647abb20e7b8";
export const TEST_CLUSTER = "orders-flex";

/**
 * The file part of the test config. Retries are short, so tests that exercise them stay
 * fast; a `Retry-After` above 1 s therefore ends the retries.
 */
const TEST_CONFIG_FILE = {
  projects: [{ id: TEST_PROJECT_ID, clusters: [TEST_CLUSTER] }],
  schedule: { cron: "*/5 * * * *" },
  atlas: { requestTimeout: "5s", retry: { baseDelay: "10ms", maxDelay: "1s" } },
  slack: { channel: "#atlas-restores", requestTimeout: "5s" },
};

/**
 * Builds the environment part. Both URLs point at a loopback port where nothing listens, so a
 * test that does not point them at its own simulator or mock fails at once. The credentials are the
 * Atlas simulator's service account.
 */
function testEnvironment(): NodeJS.ProcessEnv {
  return {
    MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_simulator",
    MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_simulator",
    MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:9",
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_API_URL: "http://127.0.0.1:9/api/",
    REDIS_URL: testRedisUrl(),
    LOG_LEVEL: "silent",
  };
}

/**
 * Builds a complete, valid, deep-frozen `Config` for tests: the production defaults from
 * `parseConfig`, loopback URLs, Slack enabled with token `xoxb-test-token`, and the Atlas
 * simulator's service account. `overrides` are merged in depth, except that arrays,
 * `projects: "*"` and objects with a `kind` (`atlas.credentials`) replace the value they
 * override. An explicit `undefined` sets a field to undefined.
 *
 * The result is not validated again, so a test can build a config that `parseConfig` would
 * reject.
 */
export function makeTestConfig(overrides: DeepPartial<Config> = {}): Config {
  const base = parseConfig(TEST_CONFIG_FILE, testEnvironment());
  return deepFreeze(mergeDeep(base, overrides) as Config);
}

function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  // A union member such as `{kind: "api-key", …}` must not keep the fields of another member.
  if ("kind" in override) return structuredClone(override);

  const merged: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    merged[key] = Object.hasOwn(base, key) ? mergeDeep(base[key], value) : structuredClone(value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
