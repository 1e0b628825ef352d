import type { AtlasConfig } from "../config/config.ts";
import { AtlasApiError } from "./atlas-api-error.ts";

/** A service account's OAuth 2.0 client credentials. */
export interface ServiceAccountCredentials {
  kind: "service-account";
  clientId: string;
  clientSecret: string;
}

/**
 * Returns the credentials flexwatch uses for one Atlas project. Today every project shares the
 * one set from the environment. The project id is the seam for named credential sets, because
 * a service account belongs to one organization and an estate may span several.
 *
 * @throws AtlasApiError (scope "global") when no credentials are set, or when only a
 * programmatic API key is set, because HTTP Digest is not implemented yet.
 */
export function credentialsForProject(
  atlas: AtlasConfig,
  _projectId: string,
): ServiceAccountCredentials {
  const credentials = atlas.credentials;

  if (credentials.kind === "service-account") return credentials;

  // TODO: accept programmatic API keys once HTTP Digest authentication is implemented.
  const errorCode =
    credentials.kind === "api-key" ? "UNSUPPORTED_CREDENTIALS" : "MISSING_CREDENTIALS";
  const detail =
    credentials.kind === "api-key"
      ? "a programmatic API key is set, but flexwatch needs a service account"
      : "no Atlas credentials are set";
  throw new AtlasApiError({ status: undefined, errorCode, detail, endpoint: undefined });
}
