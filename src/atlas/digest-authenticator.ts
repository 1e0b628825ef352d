import type { Logger } from "../logger.ts";
import { AtlasApiError } from "./atlas-api-error.ts";
import type {
  AtlasAuthenticator,
  AuthenticatedRequest,
  SendWithAuthorization,
} from "./atlas-authenticator.ts";
import { NO_PROJECT_ACCESS_CODES } from "./atlas-authenticator.ts";
import { type AtlasRawResponse, responseErrorCode } from "./atlas-fetch.ts";
import type { ApiKeyCredentials } from "./credentials-for-project.ts";
import { DigestAuthSession, parseDigestChallenge } from "./digest-auth.ts";

/**
 * Signs requests with a programmatic API key over HTTP Digest. The first call of a process
 * costs two requests (the unauthenticated one and the signed one); later calls reuse the nonce. Atlas
 * responds to an unauthenticated request with 401 and an `UNEXPECTED_ERROR` body, which is only
 * the challenge. Any 401 challenge gets one more request with the nonce it carries, because
 * the nonce may have been stale or used out of order by concurrent requests; a non-stale
 * challenge to that second request means the key was rejected.
 */
export class DigestAuthenticator implements AtlasAuthenticator {
  readonly #session: DigestAuthSession;

  constructor(credentials: ApiKeyCredentials) {
    this.#session = new DigestAuthSession(credentials.publicKey, credentials.privateKey);
  }

  async send(
    request: AuthenticatedRequest,
    send: SendWithAuthorization,
    logger: Logger,
  ): Promise<AtlasRawResponse> {
    const first = this.#session.authorize(request.method, request.uri);
    const response = await send(first?.header);
    const challenge = challengeOf(response);
    if (!challenge) return response;

    logger.debug({ stale: challenge.stale, reused: first !== undefined }, "atlas digest challenge");
    this.#session.accept(challenge);
    const retry = this.#session.authorize(request.method, request.uri);
    const answer = await send(retry?.header);
    const second = challengeOf(answer);
    if (second && !second.stale) throw credentialsRejected(request);

    return answer;
  }
}

/** Returns the Digest challenge of a 401, unless the 401 is about project access. */
function challengeOf(response: AtlasRawResponse) {
  if (response.status !== 401) return undefined;
  if (NO_PROJECT_ACCESS_CODES.has(responseErrorCode(response) ?? "")) return undefined;
  return parseDigestChallenge(response.headers.get("www-authenticate"));
}

function credentialsRejected(request: AuthenticatedRequest): AtlasApiError {
  return new AtlasApiError({
    ...request.context,
    status: 401,
    errorCode: "CREDENTIALS_REJECTED",
    detail: "Atlas rejected the programmatic API key's digest response",
    endpoint: request.endpoint,
    method: request.method,
  });
}
