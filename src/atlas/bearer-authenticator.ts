import type { Logger } from "../logger.ts";
import type { AccessTokenProvider } from "./access-token-provider.ts";
import {
  type AtlasAuthenticator,
  type AuthenticatedRequest,
  NO_PROJECT_ACCESS_CODES,
  type SendWithAuthorization,
} from "./atlas-authenticator.ts";
import { type AtlasRawResponse, responseErrorCode } from "./atlas-fetch.ts";

/**
 * Signs requests with a service account's OAuth bearer token. A 401 that is not about project
 * access means the token expired or was revoked early, so the token is dropped from the shared
 * cache and the request is sent once more with a new one.
 */
export class BearerAuthenticator implements AtlasAuthenticator {
  readonly #tokens: AccessTokenProvider;

  constructor(tokens: AccessTokenProvider) {
    this.#tokens = tokens;
  }

  async send(
    _request: AuthenticatedRequest,
    send: SendWithAuthorization,
    logger: Logger,
  ): Promise<AtlasRawResponse> {
    const token = await this.#tokens.getToken();
    const response = await send(`Bearer ${token}`);
    if (!isRejectedToken(response)) return response;

    logger.info(
      { errorCode: responseErrorCode(response) },
      "atlas access token rejected, requesting a new one",
    );
    await this.#tokens.invalidate(token);
    return send(`Bearer ${await this.#tokens.getToken()}`);
  }
}

function isRejectedToken(response: AtlasRawResponse): boolean {
  return response.status === 401 && !NO_PROJECT_ACCESS_CODES.has(responseErrorCode(response) ?? "");
}
