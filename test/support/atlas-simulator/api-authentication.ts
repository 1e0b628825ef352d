import type { IncomingMessage } from "node:http";
import { atlasError } from "./atlas-error-response.ts";
import type { DigestVerifier } from "./digest-verifier.ts";
import type { SimulatedResponse } from "./simulator-types.ts";
import type { TokenEndpoint } from "./token-endpoint.ts";

/**
 * Checks the credentials of an API request as Atlas does: a live bearer token of the service
 * account, or a valid Digest answer for the programmatic API key. A request without
 * credentials gets the Digest challenge. Returns undefined when the request is authenticated,
 * else the 401 to send.
 */
export function authenticateApiRequest(
  req: IncomingMessage,
  tokens: TokenEndpoint,
  digest: DigestVerifier,
): SimulatedResponse | undefined {
  const authorization = req.headers.authorization ?? "";
  if (/^Digest\s/i.test(authorization)) {
    return digest.verify(req.method ?? "GET", req.url ?? "/", authorization);
  }

  const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (bearer === undefined) return digest.challengeUnauthenticated();
  if (tokens.isLive(bearer)) return undefined;

  // NOTE: the code Atlas sends for an expired bearer token is not documented, so this one is a
  // guess.
  return atlasError(
    401,
    "UNAUTHORIZED",
    "This request was not authenticated with a valid access token.",
  );
}
