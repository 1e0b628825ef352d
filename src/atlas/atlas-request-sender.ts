import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { AtlasApiVersions, AtlasConfig } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { AccessTokenProvider } from "./access-token-provider.ts";
import { ApiVersionWatch } from "./api-version-watch.ts";
import { AtlasApiError } from "./atlas-api-error.ts";
import type { AtlasAuthenticator } from "./atlas-authenticator.ts";
import {
  type AtlasErrorContext,
  type AtlasFetchRequest,
  type AtlasRawResponse,
  parseAtlasResponse,
  sendAtlasRequest,
} from "./atlas-fetch.ts";
import { type AtlasRetryPolicy, atlasRetryDelayMs } from "./atlas-retry-policy.ts";
import { BearerAuthenticator } from "./bearer-authenticator.ts";
import { credentialSetId, credentialsForProject } from "./credentials-for-project.ts";
import { parseDigestChallenge } from "./digest-auth.ts";
import { DigestAuthenticator } from "./digest-authenticator.ts";
import { ProjectRateLimiter } from "./project-rate-limiter.ts";

/** A versioned Atlas resource, named as in `atlas.apiVersions`. */
export type AtlasResource = keyof AtlasApiVersions;

/** One GET of the Atlas Administration API. */
export interface AtlasApiRequest {
  /** The resource, which picks the media type version and the metric label. */
  endpoint: AtlasResource;
  /** Project whose rate limit the request uses; undefined for `GET /groups`. */
  projectId: string | undefined;
  /** Path with ids, without the query. */
  path: string;
  query: Record<string, string>;
  logger: Logger;
  /** Incremented for every HTTP request sent, retries and authentication challenges included. */
  tally: { requests: number };
}

export interface AtlasRequestSenderOptions {
  atlas: AtlasConfig;
  redis: Redis;
  /** Prefix of the Redis keys: access token cache and rate-limit buckets. */
  keyPrefix: string;
  metrics: Metrics;
  /** Logger of the token provider; requests log to their own `logger`. */
  logger: Logger;
  retryPolicy: AtlasRetryPolicy;
}

/**
 * Sends Atlas API requests. Each HTTP exchange takes a token from the project's shared rate
 * limiter, is signed with the project's credentials, carries the versioned `Accept` type and a
 * timeout, and is counted and timed. Responses feed `RateLimit-Remaining` back to the limiter
 * and `Deprecation`/`Sunset` to the version watch. Retryable failures are retried with backoff.
 * A version that Atlas rejected (406, 410) fails every later request for that resource at
 * once, because only a config change can fix it.
 */
export class AtlasRequestSender {
  readonly #options: AtlasRequestSenderOptions;
  readonly #limiter: ProjectRateLimiter;
  readonly #versions: ApiVersionWatch;
  readonly #authenticators = new Map<string, AtlasAuthenticator>();
  readonly #rejectedVersions = new Map<AtlasResource, AtlasApiError>();

  constructor(options: AtlasRequestSenderOptions) {
    this.#options = options;
    const { redis, keyPrefix, atlas, metrics } = options;
    this.#limiter = new ProjectRateLimiter({
      redis,
      keyPrefix,
      rateLimit: atlas.rateLimit,
      metrics,
    });
    this.#versions = new ApiVersionWatch(metrics);
  }

  /**
   * Sends `request` and returns the parsed JSON body of its 2xx response.
   *
   * @throws AtlasApiError for a non-retryable failure, or the last one when retries run out.
   */
  async getJson(call: AtlasApiRequest): Promise<unknown> {
    // Discovery passes "" for `GET /groups`, which belongs to no project.
    const request = { ...call, projectId: call.projectId || undefined };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#sendAuthenticated(request);
      } catch (err) {
        const delayMs = atlasRetryDelayMs(this.#options.retryPolicy, attempt, err);
        if (delayMs === undefined) throw err;

        request.logger.warn({ err, attempt, delayMs }, "atlas request failed, retrying");
        await this.#pauseProjectOnRateLimit(request, err);
        await sleep(delayMs);
      }
    }
  }

  async #sendAuthenticated(request: AtlasApiRequest): Promise<unknown> {
    const { atlas } = this.#options;
    this.#throwIfVersionRejected(request);
    const url = new URL(`${atlas.baseUrl.replace(/\/+$/, "")}${request.path}`);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
    const apiVersion = atlas.apiVersions[request.endpoint];
    const context: AtlasErrorContext = {
      projectId: request.projectId,
      cluster: clusterOf(request.path),
      resource: request.endpoint,
      apiVersion,
    };
    const fetchRequest: AtlasFetchRequest = {
      url: url.href,
      endpoint: request.path,
      method: "GET",
      headers: { Accept: `application/vnd.atlas.${apiVersion}+json` },
      timeoutMs: atlas.requestTimeoutMs,
      context,
    };

    const authenticator = this.#authenticatorFor(request.projectId);
    const signed = {
      method: "GET",
      uri: url.pathname + url.search,
      endpoint: request.path,
      context,
    } as const;
    const response = await authenticator.send(
      signed,
      (authorization) => this.#sendOnce(request, fetchRequest, authorization),
      request.logger,
    );
    try {
      return parseAtlasResponse(response, fetchRequest).body;
    } catch (err) {
      this.#rememberVersionRejection(request, err);
      throw err;
    }
  }

  async #sendOnce(
    request: AtlasApiRequest,
    fetchRequest: AtlasFetchRequest,
    authorization: string | undefined,
  ): Promise<AtlasRawResponse> {
    const { metrics, atlas } = this.#options;
    const { projectId, endpoint } = request;
    if (projectId !== undefined) {
      const limited = { endpoint: fetchRequest.endpoint, context: fetchRequest.context ?? {} };
      await this.#limiter.acquire(projectId, atlas.requestTimeoutMs, limited);
    }
    const headers = authorization
      ? { ...fetchRequest.headers, Authorization: authorization }
      : fetchRequest.headers;

    const stopTimer = metrics.atlasRequestDuration.startTimer({ endpoint });
    request.tally.requests++;
    try {
      const response = await sendAtlasRequest({ ...fetchRequest, headers });
      metrics.atlasRequests.inc({
        endpoint,
        outcome: requestOutcome(response),
        status_code: String(response.status),
      });
      await this.#observeHeaders(request, response);
      return response;
    } catch (err) {
      metrics.atlasRequests.inc({ endpoint, outcome: "error", status_code: "none" });
      throw err;
    } finally {
      stopTimer();
    }
  }

  async #observeHeaders(request: AtlasApiRequest, response: AtlasRawResponse): Promise<void> {
    const apiVersion = this.#options.atlas.apiVersions[request.endpoint];
    this.#versions.observe(request.endpoint, apiVersion, response.headers, request.logger);

    const remaining = response.headers.get("ratelimit-remaining");
    if (request.projectId !== undefined && remaining !== null && remaining.trim() !== "") {
      await this.#limiter.observeRemaining(request.projectId, Number(remaining));
    }
  }

  // A 429 reports on the project's whole Atlas bucket, so every replica waits, not only this
  // request.
  async #pauseProjectOnRateLimit(request: AtlasApiRequest, err: unknown): Promise<void> {
    if (!(err instanceof AtlasApiError) || err.status !== 429) return;
    if (request.projectId === undefined || err.retryAfterMs === undefined) return;
    await this.#limiter.pause(request.projectId, err.retryAfterMs);
  }

  #rememberVersionRejection(request: AtlasApiRequest, err: unknown): void {
    if (!(err instanceof AtlasApiError)) return;
    if (err.status !== 406 && err.status !== 410) return;
    if (!this.#rejectedVersions.has(request.endpoint)) {
      request.logger.error(
        { err, errorCode: err.errorCode, resource: request.endpoint, apiVersion: err.apiVersion },
        "atlas rejected the api version",
      );
    }
    this.#rejectedVersions.set(request.endpoint, err);
  }

  #throwIfVersionRejected(request: AtlasApiRequest): void {
    const rejected = this.#rejectedVersions.get(request.endpoint);
    if (!rejected) return;

    throw new AtlasApiError({
      status: rejected.status,
      errorCode: rejected.errorCode,
      detail: `${rejected.detail ?? rejected.reason ?? "rejected"}; not sent again until the config changes`,
      endpoint: request.path,
      projectId: request.projectId,
      cluster: clusterOf(request.path),
      resource: request.endpoint,
      apiVersion: rejected.apiVersion,
    });
  }

  #authenticatorFor(projectId: string | undefined): AtlasAuthenticator {
    const { atlas, redis, keyPrefix, metrics, logger } = this.#options;
    const credentials = credentialsForProject(atlas, projectId);
    const id = credentialSetId(credentials);
    let authenticator = this.#authenticators.get(id);
    if (authenticator) return authenticator;

    authenticator =
      credentials.kind === "api-key"
        ? new DigestAuthenticator(credentials)
        : new BearerAuthenticator(
            new AccessTokenProvider({
              baseUrl: atlas.baseUrl,
              credentials,
              redis,
              keyPrefix,
              metrics,
              logger,
              requestTimeoutMs: atlas.requestTimeoutMs,
            }),
          );
    this.#authenticators.set(id, authenticator);
    return authenticator;
  }
}

// Atlas's Digest challenge is a 401 with an UNEXPECTED_ERROR body, but it is not a failure.
function requestOutcome(response: AtlasRawResponse): "success" | "challenge" | "error" {
  if (response.status >= 200 && response.status <= 299) return "success";
  const challenged =
    response.status === 401 && parseDigestChallenge(response.headers.get("www-authenticate"));
  return challenged ? "challenge" : "error";
}

function clusterOf(path: string): string | undefined {
  const encoded = /\/flexClusters\/([^/]+)/.exec(path)?.[1];
  return encoded === undefined ? undefined : decodeURIComponent(encoded);
}
