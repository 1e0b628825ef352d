import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { AtlasApiError } from "./atlas-api-error.ts";
import { TOKEN_ENDPOINT_PATH } from "./atlas-error-classification.ts";
import { atlasFetch } from "./atlas-fetch.ts";
import type { ServiceAccountCredentials } from "./credentials-for-project.ts";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/**
 * Tokens leave the cache this long before Atlas expires them, so no request uses an expiring one.
 */
const EXPIRY_MARGIN_MS = 5 * MINUTE_MS;

/** How often a replica that lost the mint lock looks for the winner's token. */
const LOCK_POLL_INTERVAL_MS = 50;

/**
 * After the token endpoint rejects a request as a configuration problem (rate limit, live-token
 * limit, bad credentials), no replica sends another token request for this long. Atlas allows 10 token requests
 * a minute, so retrying sooner only extends the outage.
 */
const TOKEN_FAILURE_BACKOFF_MS = MINUTE_MS;

// Deletes the key only while it still holds the given value, so a replica never deletes a
// token or a lock that another replica wrote after it.
const DELETE_IF_EQUAL_SCRIPT = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive(),
});

export interface AccessTokenProviderOptions {
  /** Atlas base URL, e.g. `https://cloud.mongodb.com`. */
  baseUrl: string;
  credentials: ServiceAccountCredentials;
  redis: Redis;
  /**
   * Prefix of the Redis keys. The token is stored under `<keyPrefix>:atlas-token:<client hash>`,
   * and a token endpoint failure under the same key with `:failure` appended.
   */
  keyPrefix: string;
  metrics: Metrics;
  logger: Logger;
  /** Timeout of one token request. */
  requestTimeoutMs: number;
}

/**
 * Supplies OAuth 2.0 access tokens for one Atlas service account. A token is cached in Redis
 * until 5 minutes before it expires, so every replica and every successive run shares it, because
 * Atlas allows 10 token requests per minute and 100 live tokens per service account.
 * Concurrent callers in one process share one token request, and a short Redis lock keeps
 * replicas that start together from each minting a token. When the token endpoint rejects a
 * request for a reason that a retry cannot fix, every replica reports that failure for a minute
 * without asking again.
 */
export class AccessTokenProvider {
  readonly #options: AccessTokenProviderOptions;
  readonly #tokenKey: string;
  readonly #lockKey: string;
  readonly #failureKey: string;
  readonly #lockTtlMs: number;
  #inFlight: Promise<string> | undefined;

  constructor(options: AccessTokenProviderOptions) {
    this.#options = options;
    const clientHash = createHash("sha256")
      .update(options.credentials.clientId)
      .digest("hex")
      .slice(0, 16);
    this.#tokenKey = `${options.keyPrefix}:atlas-token:${clientHash}`;
    this.#lockKey = `${this.#tokenKey}:lock`;
    this.#failureKey = `${this.#tokenKey}:failure`;
    // The lock outlives the slowest token request, so it only expires when its holder died.
    this.#lockTtlMs = options.requestTimeoutMs + 5 * SECOND_MS;
  }

  /**
   * Returns a valid access token, from the Redis cache or freshly requested from Atlas.
   *
   * @throws AtlasApiError from the token endpoint, or the one it returned less than a minute ago.
   */
  getToken(): Promise<string> {
    this.#inFlight ??= this.#readOrMint().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /**
   * Drops `token` from the cache after Atlas rejected it with 401. A token that another
   * caller has already replaced is left alone.
   */
  async invalidate(token: string): Promise<void> {
    await this.#options.redis.eval(DELETE_IF_EQUAL_SCRIPT, 1, this.#tokenKey, token);
  }

  async #readOrMint(): Promise<string> {
    const { redis } = this.#options;
    const waitDeadlineMs = Date.now() + this.#lockTtlMs;

    for (;;) {
      const cached = await redis.get(this.#tokenKey);
      if (cached) return cached;
      await this.#throwRecentFailure();

      const lockValue = randomUUID();
      const locked = await redis.set(this.#lockKey, lockValue, "PX", this.#lockTtlMs, "NX");
      if (locked === "OK") return this.#mintUnderLock(lockValue);

      // Another replica is minting. If it hangs past its lock TTL, this replica mints a second
      // token rather than fail the poll.
      if (Date.now() > waitDeadlineMs) return this.#mintAndStore();
      await sleep(LOCK_POLL_INTERVAL_MS);
    }
  }

  async #mintUnderLock(lockValue: string): Promise<string> {
    const { redis } = this.#options;
    try {
      // The previous lock holder may have stored its token between our GET and SET NX.
      const cached = await redis.get(this.#tokenKey);
      if (cached) return cached;
      await this.#throwRecentFailure();
      return await this.#mintAndStore();
    } finally {
      await redis.eval(DELETE_IF_EQUAL_SCRIPT, 1, this.#lockKey, lockValue);
    }
  }

  async #mintAndStore(): Promise<string> {
    const { token, expiresInMs } = await this.#requestToken();
    // Atlas issues 1-hour tokens, but a lifetime shorter than the margin is still cached for half
    // of it.
    const ttlMs = Math.max(expiresInMs - EXPIRY_MARGIN_MS, Math.floor(expiresInMs / 2));
    if (ttlMs > 0) await this.#options.redis.set(this.#tokenKey, token, "PX", ttlMs);

    return token;
  }

  async #requestToken(): Promise<{ token: string; expiresInMs: number }> {
    const { baseUrl, credentials, metrics, logger, requestTimeoutMs } = this.#options;
    const startedMs = Date.now();
    try {
      const response = await atlasFetch({
        url: `${baseUrl.replace(/\/+$/, "")}${TOKEN_ENDPOINT_PATH}`,
        endpoint: TOKEN_ENDPOINT_PATH,
        method: "POST",
        headers: {
          Authorization: basicAuthorization(credentials),
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
        },
        body: "grant_type=client_credentials",
        timeoutMs: requestTimeoutMs,
      });
      const parsed = parseTokenResponse(response.body);
      metrics.atlasTokenRequests.inc({ outcome: "success" });
      logger.debug({ durationMs: Date.now() - startedMs }, "atlas access token issued");

      return parsed;
    } catch (err) {
      metrics.atlasTokenRequests.inc({ outcome: "error" });
      if (err instanceof AtlasApiError && err.status !== undefined && !err.retryable) {
        logger.error({ err, errorCode: err.errorCode }, "atlas token request rejected");
        await this.#rememberFailure(err);
      }
      throw err;
    }
  }

  async #rememberFailure(err: AtlasApiError): Promise<void> {
    const failure = { status: err.status, errorCode: err.errorCode, detail: err.detail };
    await this.#options.redis.set(
      this.#failureKey,
      JSON.stringify(failure),
      "PX",
      TOKEN_FAILURE_BACKOFF_MS,
    );
  }

  /** Throws the token endpoint failure that a replica stored less than a minute ago. */
  async #throwRecentFailure(): Promise<void> {
    const { redis } = this.#options;
    const [stored, ttlMs] = await Promise.all([
      redis.get(this.#failureKey),
      redis.pttl(this.#failureKey),
    ]);
    if (stored === null) return;

    const failure = JSON.parse(stored) as { status?: number; errorCode?: string; detail?: string };
    const waitSeconds = Math.max(1, Math.ceil(ttlMs / SECOND_MS));
    throw new AtlasApiError({
      status: failure.status,
      errorCode: failure.errorCode,
      detail: `${failure.detail ?? "rejected"}; the next token request is in ${waitSeconds} s`,
      endpoint: TOKEN_ENDPOINT_PATH,
      method: "POST",
    });
  }
}

// RFC 6749 section 2.3.1 form-encodes the client id and secret before Basic encoding.
function basicAuthorization(credentials: ServiceAccountCredentials): string {
  const id = encodeURIComponent(credentials.clientId);
  const secret = encodeURIComponent(credentials.clientSecret);
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

function parseTokenResponse(body: unknown): { token: string; expiresInMs: number } {
  const result = tokenResponseSchema.safeParse(body);
  if (!result.success) {
    const field = result.error.issues[0]?.path.join(".") || "body";
    throw new AtlasApiError({
      status: 200,
      errorCode: "INVALID_RESPONSE",
      detail: `the token response field "${field}" is missing or invalid`,
      endpoint: TOKEN_ENDPOINT_PATH,
      method: "POST",
    });
  }

  return { token: result.data.access_token, expiresInMs: result.data.expires_in * SECOND_MS };
}
