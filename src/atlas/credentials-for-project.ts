import type { AtlasConfig } from "../config/config.ts";
import { AtlasApiError } from "./atlas-api-error.ts";

/** A service account's OAuth 2.0 client credentials. */
export interface ServiceAccountCredentials {
  kind: "service-account";
  clientId: string;
  clientSecret: string;
}

/** A programmatic API key, sent with HTTP Digest authentication. */
export interface ApiKeyCredentials {
  kind: "api-key";
  publicKey: string;
  privateKey: string;
}

/** One usable set of Atlas credentials. */
export type AtlasCredentialSet = ServiceAccountCredentials | ApiKeyCredentials;

/**
 * Returns the credentials flexwatch uses for one Atlas project: the service account when one is
 * set, else the programmatic API key. Today every project shares the one set from the
 * environment. The project id is the seam for named credential sets, because a service account
 * or API key belongs to one organization and an estate may span several.
 *
 * @throws AtlasApiError MISSING_CREDENTIALS (scope "global") when no credentials are set.
 */
export function credentialsForProject(
  atlas: AtlasConfig,
  _projectId: string | undefined,
): AtlasCredentialSet {
  const credentials = atlas.credentials;
  if (credentials.kind !== "none") return credentials;

  throw new AtlasApiError({
    status: undefined,
    errorCode: "MISSING_CREDENTIALS",
    detail: "no Atlas credentials are set",
    endpoint: undefined,
  });
}

/** Returns a key that distinguishes credential sets without containing their secret. */
export function credentialSetId(credentials: AtlasCredentialSet): string {
  return credentials.kind === "service-account"
    ? `service-account:${credentials.clientId}`
    : `api-key:${credentials.publicKey}`;
}
