import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { credentialsForProject } from "../../src/atlas/credentials-for-project.ts";
import type { AtlasConfig } from "../../src/config/config.ts";
import { makeTestConfig } from "../support/test-config.ts";

const ENDPOINT =
  "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/orders-flex/backup/restoreJobs";

const CASES: [
  status: number | undefined,
  errorCode: string | undefined,
  scope: string,
  retryable: boolean,
][] = [
  [429, "RATE_LIMITED_TOKEN_BUCKET", "transient", true],
  [429, undefined, "transient", true],
  [400, "RATE_LIMITED", "transient", true],
  [500, "UNEXPECTED_ERROR", "transient", true],
  [502, undefined, "transient", true],
  [undefined, "REQUEST_TIMEOUT", "transient", true],
  [undefined, "NETWORK_ERROR", "transient", true],
  [404, "CLUSTER_NOT_FOUND", "cluster", false],
  [400, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API", "cluster", false],
  [404, "GROUP_NOT_FOUND", "project", false],
  [404, "INVALID_GROUP_ID", "project", false],
  [401, "NOT_IN_GROUP", "project", false],
  [401, "USER_UNAUTHORIZED", "project", false],
  [403, "IP_ADDRESS_NOT_ON_WHITELIST", "project", false],
  [403, "FEATURE_UNSUPPORTED", "project", false],
  [406, undefined, "global", false],
  [410, "VERSION_GONE", "global", false],
  [401, "invalid_client", "global", false],
  [200, "INVALID_RESPONSE", "global", false],
  [400, "INVALID_QUERY_PARAMETER", "global", false],
];

describe("AtlasApiError", () => {
  for (const [status, errorCode, scope, retryable] of CASES) {
    it(`classifies ${status ?? "no response"} ${errorCode ?? "without code"}`, () => {
      const err = new AtlasApiError({ status, errorCode, endpoint: ENDPOINT });

      assert.equal(err.scope, scope);
      assert.equal(err.retryable, retryable);
    });
  }

  it("names status, code, path and action in the message", () => {
    const err = new AtlasApiError({
      status: 404,
      errorCode: "CLUSTER_NOT_FOUND",
      detail: "No cluster named orders-flex exists in group 32b6e34b3d91647abb20e7b8.",
      endpoint: ENDPOINT,
    });

    assert.equal(err.name, "AtlasApiError");
    assert.match(
      err.message,
      /^Atlas request GET \/api\/atlas\/v2\/groups\/32b6e34b3d91647abb20e7b8\//,
    );
    assert.match(err.message, /HTTP 404 CLUSTER_NOT_FOUND/);
    assert.match(err.message, /No cluster named orders-flex/);
    assert.match(err.message, /check the cluster name in projects\[\]\.clusters/);
  });

  it("keeps the cause", () => {
    const cause = new TypeError("fetch failed");

    const err = new AtlasApiError({
      status: undefined,
      errorCode: "NETWORK_ERROR",
      endpoint: ENDPOINT,
      cause,
    });

    assert.equal(err.cause, cause);
    assert.match(err.message, /no response NETWORK_ERROR/);
  });
});

describe("credentialsForProject", () => {
  const base = {
    ...makeTestConfig().atlas,
    baseUrl: "http://127.0.0.1:1",
    apiVersion: "2024-11-13",
    pageSize: 500,
    requestTimeoutMs: 1000,
  };

  it("returns the service account", () => {
    const credentials = {
      kind: "service-account",
      clientId: "id",
      clientSecret: "secret",
    } as const;

    assert.deepEqual(
      credentialsForProject({ ...base, credentials }, "32b6e34b3d91647abb20e7b8"),
      credentials,
    );
  });

  it("returns the programmatic API key", () => {
    const credentials = { kind: "api-key", publicKey: "pub", privateKey: "priv-value" } as const;
    const atlas: AtlasConfig = { ...base, credentials };

    assert.deepEqual(credentialsForProject(atlas, "32b6e34b3d91647abb20e7b8"), credentials);
  });

  it("rejects missing credentials", () => {
    assert.throws(
      () =>
        credentialsForProject(
          { ...base, credentials: { kind: "none" } },
          "32b6e34b3d91647abb20e7b8",
        ),
      /MISSING_CREDENTIALS.*set MONGODB_ATLAS_CLIENT_ID/,
    );
  });
});
