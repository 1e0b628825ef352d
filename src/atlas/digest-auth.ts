import { createHash, randomBytes } from "node:crypto";

/** A parsed `WWW-Authenticate: Digest …` challenge (RFC 7616, section 3.3). */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  /** True when the server rejected only the nonce, not the credentials. */
  stale: boolean;
}

/** The `Authorization` header of one request and the nonce it used. */
export interface DigestAuthorization {
  header: string;
  nonce: string;
  /** Nonce count of this request; 1 is the first use of the nonce. */
  nonceCount: number;
}

// Parameters are token=token or token="quoted-string" with backslash escapes (RFC 9110, 11.2).
const AUTH_PARAM = /([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

/**
 * Parses a Digest challenge that flexwatch supports: MD5 (or no algorithm, which means MD5)
 * with `qop="auth"`. Returns undefined for another scheme, algorithm or qop, so the 401 is then
 * reported as it is.
 */
export function parseDigestChallenge(header: string | null): DigestChallenge | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(header ?? "");
  if (!match?.[1]) return undefined;

  const params = new Map<string, string>();
  for (const [, name = "", quoted, token] of match[1].matchAll(AUTH_PARAM)) {
    params.set(name.toLowerCase(), quoted?.replace(/\\(.)/g, "$1") ?? token ?? "");
  }
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  const algorithm = (params.get("algorithm") ?? "MD5").toUpperCase();
  const qops = (params.get("qop") ?? "").split(",").map((qop) => qop.trim().toLowerCase());
  if (realm === undefined || !nonce || algorithm !== "MD5" || !qops.includes("auth"))
    return undefined;

  return {
    realm,
    nonce,
    opaque: params.get("opaque"),
    stale: params.get("stale")?.toLowerCase() === "true",
  };
}

/**
 * HTTP Digest client state for one username and password (RFC 7616 with MD5 and
 * `qop=auth`). It keeps the last challenge so that later requests reuse its nonce with an
 * increasing nonce count, which costs one HTTP request per call instead of two. Nonce counts
 * are taken synchronously, so concurrent requests never share one.
 */
export class DigestAuthSession {
  readonly #username: string;
  readonly #password: string;
  readonly #makeCnonce: () => string;
  #challenge: DigestChallenge | undefined;
  #nonceCount = 0;

  /** @param makeCnonce - client nonce source; tests pass a fixed one. @defaultValue 128 random bits */
  constructor(username: string, password: string, makeCnonce = randomCnonce) {
    this.#username = username;
    this.#password = password;
    this.#makeCnonce = makeCnonce;
  }

  /** Adopts a new challenge. The nonce count restarts at 1 for a new nonce. */
  accept(challenge: DigestChallenge): void {
    if (challenge.nonce === this.#challenge?.nonce) return;
    this.#challenge = challenge;
    this.#nonceCount = 0;
  }

  /**
   * Builds the `Authorization` header for `method` and `uri` (the request target: path and
   * query, exactly as sent), or returns undefined before the first challenge.
   */
  authorize(method: string, uri: string): DigestAuthorization | undefined {
    const challenge = this.#challenge;
    if (!challenge) return undefined;

    const nonceCount = ++this.#nonceCount;
    const nc = nonceCount.toString(16).padStart(8, "0");
    const cnonce = this.#makeCnonce();
    const ha1 = md5(`${this.#username}:${challenge.realm}:${this.#password}`);
    const ha2 = md5(`${method}:${uri}`);
    const response = md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    const params = [
      `username=${quote(this.#username)}`,
      `realm=${quote(challenge.realm)}`,
      `nonce=${quote(challenge.nonce)}`,
      `uri=${quote(uri)}`,
      "algorithm=MD5",
      "qop=auth",
      `nc=${nc}`,
      `cnonce=${quote(cnonce)}`,
      `response=${quote(response)}`,
    ];
    if (challenge.opaque !== undefined) params.push(`opaque=${quote(challenge.opaque)}`);

    return { header: `Digest ${params.join(", ")}`, nonce: challenge.nonce, nonceCount };
  }
}

function randomCnonce(): string {
  return randomBytes(16).toString("hex");
}

function md5(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, "\\$1")}"`;
}
