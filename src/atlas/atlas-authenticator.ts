import type { Logger } from "../logger.ts";
import type { AtlasErrorContext, AtlasRawResponse } from "./atlas-fetch.ts";

/** The request an authenticator signs. */
export interface AuthenticatedRequest {
  method: "GET";
  /** Request target as sent, path and query, e.g. `/api/atlas/v2/groups/…?pageNum=1`. */
  uri: string;
  /** Path without the query, for error messages. */
  endpoint: string;
  context: AtlasErrorContext;
}

/** Sends the request once with the given `Authorization` header, or none when undefined. */
export type SendWithAuthorization = (
  authorization: string | undefined,
) => Promise<AtlasRawResponse>;

/**
 * Signs Atlas API requests with one credential set and responds to what the server requests on a
 * 401 (a new access token, a new Digest nonce), at most once per call.
 */
export interface AtlasAuthenticator {
  /**
   * Sends one request through `send`, authenticated, and returns the final response, whatever
   * its status.
   *
   * @throws AtlasApiError when the credentials themselves are rejected or cannot be obtained.
   */
  send(
    request: AuthenticatedRequest,
    send: SendWithAuthorization,
    logger: Logger,
  ): Promise<AtlasRawResponse>;
}

/**
 * Codes of a 401 for valid credentials that lack access to the project. New credentials
 * cannot help, and minting a token per poll would exhaust the 100 live tokens a service
 * account may hold.
 */
export const NO_PROJECT_ACCESS_CODES: ReadonlySet<string> = new Set([
  "NOT_IN_GROUP",
  "USER_UNAUTHORIZED",
]);
