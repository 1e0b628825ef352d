import { atlasError } from "./atlas-error-response.ts";
import type { ProjectTokenBuckets } from "./project-token-bucket.ts";
import type { ApiRoute, SimulatedResponse } from "./simulator-types.ts";

/** How the simulator treats media type versions and rate limits. */
export interface VersionedRouteSettings {
  /** Versions answered with 410 VERSION_GONE. */
  goneVersions: ReadonlySet<string>;
  /** Versions answered with `Deprecation` and `Sunset` headers. */
  deprecatedVersions: Readonly<Record<string, { deprecation?: string; sunset?: string }>>;
  buckets: ProjectTokenBuckets;
}

/**
 * Answers an authenticated request for `route`: 410 for a retired version, 406 for a missing or
 * other version, 429 when the route's bucket is empty, else the route's response. Every answer
 * past the version check carries `RateLimit-Limit` and `RateLimit-Remaining`.
 */
export function answerVersionedRoute(
  accept: string | undefined,
  route: ApiRoute,
  settings: VersionedRouteSettings,
): SimulatedResponse {
  const version = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/.exec(accept ?? "")?.[1];
  if (version !== undefined && settings.goneVersions.has(version)) {
    return atlasError(410, "VERSION_GONE", `API version ${version} has been retired.`);
  }
  if (version === undefined || version !== route.version) {
    return atlasError(406, undefined, "Invalid accept header or version date.");
  }

  const { allowed, remaining, retryAfterSeconds } = settings.buckets.take(route.bucket);
  const rateHeaders = {
    "RateLimit-Limit": String(settings.buckets.rateLimit.capacity),
    "RateLimit-Remaining": String(remaining),
  };
  const response = allowed
    ? route.handle()
    : atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", "Rate limit exceeded.", {
        "Retry-After": String(retryAfterSeconds),
      });
  const deprecated = settings.deprecatedVersions[version];
  const deprecationHeaders = {
    ...(deprecated?.deprecation ? { Deprecation: deprecated.deprecation } : {}),
    ...(deprecated?.sunset ? { Sunset: deprecated.sunset } : {}),
  };
  return { ...response, headers: { ...response.headers, ...rateHeaders, ...deprecationHeaders } };
}
