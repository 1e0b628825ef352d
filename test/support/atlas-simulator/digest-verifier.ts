import { createHash } from "node:crypto";
import { atlasError } from "./atlas-error-response.ts";
import { randomHex } from "./generated-values.ts";
import type { SimulatedResponse } from "./simulator-types.ts";

/** The realm Atlas names in its Digest challenge. */
export const DIGEST_REALM = "MMS Public API";

/** Why the simulator answered a Digest `Authorization` with a new challenge. */
export type DigestRejection =
  | "malformed"
  | "wrong-username"
  | "wrong-realm"
  | "wrong-uri"
  | "unsupported-qop"
  | "nonce-count-zero"
  | "wrong-response"
  | "stale-nonce"
  | "replayed-nonce-count";

/** Settings of the simulated programmatic API key. */
export interface DigestVerifierOptions {
  publicKey: string;
  privateKey: string;
  /** How long a nonce is accepted before it is answered as stale. */
  nonceLifetimeMs: number;
}

interface IssuedNonce {
  issuedMs: number;
  usedCounts: Set<number>;
}

/**
 * Atlas's HTTP Digest check of programmatic API keys (MD5, `qop=auth`): challenges
 * unauthenticated requests with a 401 whose body contains UNEXPECTED_ERROR, recomputes the response
 * hash of every `Authorization: Digest`, rejects nonce count 0 and repeated counts, and marks
 * an unknown or expired nonce with a valid hash as `stale=true`.
 */
export class DigestVerifier {
  /** Challenges sent, by reason; "unauthenticated" for requests without credentials. */
  readonly rejections: (DigestRejection | "unauthenticated")[] = [];
  readonly #options: DigestVerifierOptions;
  readonly #nonces = new Map<string, IssuedNonce>();

  constructor(options: DigestVerifierOptions) {
    this.#options = options;
  }

  /** Returns the challenge for a request that sent no credentials. */
  challengeUnauthenticated(): SimulatedResponse {
    this.rejections.push("unauthenticated");
    return this.#challenge(false);
  }

  /** Makes every nonce issued so far stale, as after the server's nonce lifetime. */
  expireNonces(): void {
    this.#nonces.clear();
  }

  /** Returns undefined when `header` authenticates `method` `uri`, else a new challenge. */
  verify(method: string, uri: string, header: string): SimulatedResponse | undefined {
    const rejection = this.#check(method, uri, parseParams(header));
    if (rejection === undefined) return undefined;

    this.rejections.push(rejection);
    return this.#challenge(rejection === "stale-nonce");
  }

  #check(method: string, uri: string, params: Map<string, string>): DigestRejection | undefined {
    const { publicKey, privateKey, nonceLifetimeMs } = this.#options;
    const nonce = params.get("nonce");
    const nc = params.get("nc") ?? "";
    const cnonce = params.get("cnonce");
    const response = params.get("response");
    if (!nonce || !cnonce || !response || !/^[0-9a-f]{8}$/i.test(nc)) return "malformed";
    if (params.get("username") !== publicKey) return "wrong-username";
    if (params.get("realm") !== DIGEST_REALM) return "wrong-realm";
    if (params.get("uri") !== uri) return "wrong-uri";
    if (params.get("qop") !== "auth") return "unsupported-qop";
    const count = Number.parseInt(nc, 16);
    if (count === 0) return "nonce-count-zero";

    const ha1 = md5(`${publicKey}:${DIGEST_REALM}:${privateKey}`);
    const ha2 = md5(`${method}:${uri}`);
    if (response !== md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)) return "wrong-response";

    const issued = this.#nonces.get(nonce);
    if (!issued || Date.now() - issued.issuedMs > nonceLifetimeMs) return "stale-nonce";
    if (issued.usedCounts.has(count)) return "replayed-nonce-count";
    issued.usedCounts.add(count);
    return undefined;
  }

  #challenge(stale: boolean): SimulatedResponse {
    const nonce = randomHex(32);
    this.#nonces.set(nonce, { issuedMs: Date.now(), usedCounts: new Set() });
    const response = atlasError(401, "UNEXPECTED_ERROR", "Unexpected error.");
    const challenge =
      `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, ` +
      `qop="auth", stale=${stale}`;
    return { ...response, headers: { ...response.headers, "WWW-Authenticate": challenge } };
  }
}

function parseParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const body = header.replace(/^Digest\s+/i, "");
  for (const match of body.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params.set(match[1] ?? "", (match[2] ?? match[3] ?? "").replace(/\\(.)/g, "$1"));
  }
  return params;
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}
