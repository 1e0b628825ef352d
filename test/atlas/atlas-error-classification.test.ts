import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  classifyAtlasError,
  describeAtlasErrorAction,
  TOKEN_ENDPOINT_PATH,
} from "../../src/atlas/atlas-error-classification.ts";

const API_PATH = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters";

describe("classifyAtlasError", () => {
  describe("when the token endpoint answers", () => {
    const CASES: [status: number, errorCode: string | undefined, action: RegExp][] = [
      [429, "RATE_LIMITED", /10 requests a minute/],
      [429, undefined, /10 requests a minute/],
      [403, "access_denied", /too many live tokens \(100\)/],
      [403, undefined, /too many live tokens \(100\)/],
      [401, "invalid_client", /credentials were rejected/],
      [401, undefined, /credentials were rejected/],
    ];
    for (const [status, errorCode, action] of CASES) {
      it(`makes ${status} ${errorCode ?? "without code"} global`, () => {
        const errorClass = classifyAtlasError(status, errorCode, TOKEN_ENDPOINT_PATH);

        assert.equal(errorClass.scope, "global");
        assert.equal(errorClass.retryable, false);
        assert.match(describeAtlasErrorAction(errorClass, {}), action);
      });
    }

    it("retries its server errors", () => {
      assert.equal(classifyAtlasError(503, undefined, TOKEN_ENDPOINT_PATH).retryable, true);
      assert.equal(
        classifyAtlasError(undefined, "REQUEST_TIMEOUT", TOKEN_ENDPOINT_PATH).retryable,
        true,
      );
    });
  });

  it("retries the API's rate limits", () => {
    assert.equal(classifyAtlasError(429, "RATE_LIMITED", API_PATH).retryable, true);
    assert.equal(classifyAtlasError(400, "SOME_RATE_LIMITED_CODE", API_PATH).retryable, true);
    assert.equal(classifyAtlasError(undefined, "CLIENT_RATE_LIMITED", API_PATH).scope, "transient");
  });

  it("names the config key of a rejected version", () => {
    const errorClass = classifyAtlasError(406, undefined, API_PATH);

    const action = describeAtlasErrorAction(errorClass, {
      resource: "groups",
      apiVersion: "2020-01-01",
    });

    assert.match(action, /version 2020-01-01 of groups/);
    assert.match(action, /atlas\.apiVersions\.groups/);
  });

  it("makes rejected API-key credentials global", () => {
    const errorClass = classifyAtlasError(401, "CREDENTIALS_REJECTED", API_PATH);

    assert.equal(errorClass.scope, "global");
    assert.match(describeAtlasErrorAction(errorClass, {}), /MONGODB_ATLAS_PUBLIC_API_KEY/);
  });
});
