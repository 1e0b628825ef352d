import type { IncomingMessage } from "node:http";
import { atlasError } from "./atlas-error-response.ts";
import { MINUTE_MS, randomHex, SECOND_MS } from "./generated-values.ts";
import { parseBasicAuthorization } from "./request-parsing.ts";
import type { SimulatedResponse } from "./simulator-types.ts";

// Atlas lets one service account hold at most 100 live access tokens.
const MAX_LIVE_TOKENS = 100;

/** Settings of the simulated OAuth token endpoint. */
export interface TokenEndpointOptions {
  clientId: string;
  clientSecret: string;
  /** `expires_in` of issued tokens. */
  tokenLifetimeSeconds: number;
  /** Token requests allowed per minute; undefined means no limit. */
  tokenRequestsPerMinute: number | undefined;
}

/**
 * `POST /api/oauth/token` with the client-credentials grant, including Atlas's limits:
 * 429 `RATE_LIMITED` past the per-minute request limit and 403 `access_denied` at 100 live tokens.
 */
export class TokenEndpoint {
  readonly #options: TokenEndpointOptions;
  readonly #tokens = new Map<string, number>();
  readonly #requestTimes: number[] = [];
  #issued = 0;

  constructor(options: TokenEndpointOptions) {
    this.#options = options;
  }

  /** Access tokens issued since start. */
  get issued(): number {
    return this.#issued;
  }

  /** Returns true when `token` was issued and has not expired or been revoked. */
  isLive(token: string | undefined): boolean {
    const expiresAtMs = token === undefined ? undefined : this.#tokens.get(token);
    return expiresAtMs !== undefined && expiresAtMs > Date.now();
  }

  /** Forgets every issued token, as if all had expired. */
  revokeAll(): void {
    this.#tokens.clear();
  }

  /** Answers one token request. */
  issue(req: IncomingMessage, body: string): SimulatedResponse {
    const { clientId, clientSecret, tokenRequestsPerMinute } = this.#options;
    const client = parseBasicAuthorization(req.headers.authorization);
    if (client?.id !== clientId || client.secret !== clientSecret) {
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "Invalid client credentials." },
      };
    }
    if (new URLSearchParams(body).get("grant_type") !== "client_credentials") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "Use client_credentials." },
      };
    }

    const now = Date.now();
    const recent = this.#requestTimes.filter((at) => at > now - MINUTE_MS);
    if (tokenRequestsPerMinute !== undefined && recent.length >= tokenRequestsPerMinute) {
      const response = atlasError(429, "RATE_LIMITED", "Too many token requests.");
      return { ...response, headers: { ...response.headers, "Retry-After": "60" } };
    }
    this.#requestTimes.splice(0, Infinity, ...recent, now);
    for (const [token, expiresAtMs] of this.#tokens)
      if (expiresAtMs <= now) this.#tokens.delete(token);
    if (this.#tokens.size >= MAX_LIVE_TOKENS) {
      return {
        status: 403,
        body: { error: "access_denied", error_description: "Too many live tokens." },
      };
    }

    return this.#mint(now);
  }

  #mint(nowMs: number): SimulatedResponse {
    const lifetimeSeconds = this.#options.tokenLifetimeSeconds;
    const token = `sim_at_${randomHex(40)}`;
    this.#tokens.set(token, nowMs + lifetimeSeconds * SECOND_MS);
    this.#issued++;
    return {
      status: 200,
      body: { access_token: token, token_type: "Bearer", expires_in: lifetimeSeconds },
    };
  }
}
