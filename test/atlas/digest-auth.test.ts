import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DigestAuthSession, parseDigestChallenge } from "../../src/atlas/digest-auth.ts";

const ATLAS_CHALLENGE =
  'Digest realm="MMS Public API", domain="", nonce="n0nce+/=", algorithm=MD5, qop="auth", stale=false';

function params(header: string): Record<string, string> {
  const entries = [...header.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)].map((match) => [
    match[1] ?? "",
    match[2] ?? match[3] ?? "",
  ]);
  return Object.fromEntries(entries);
}

describe("parseDigestChallenge", () => {
  it("parses the Atlas challenge", () => {
    assert.deepEqual(parseDigestChallenge(ATLAS_CHALLENGE), {
      realm: "MMS Public API",
      nonce: "n0nce+/=",
      opaque: undefined,
      stale: false,
    });
  });

  it("reads stale=true", () => {
    const challenge = parseDigestChallenge(ATLAS_CHALLENGE.replace("stale=false", "stale=TRUE"));

    assert.equal(challenge?.stale, true);
  });

  it("accepts qop lists and opaque", () => {
    const challenge = parseDigestChallenge(
      'Digest realm="r", qop="auth-int, auth", nonce="n", opaque="o\\"q"',
    );

    assert.equal(challenge?.opaque, 'o"q');
  });

  it("ignores challenges it cannot answer", () => {
    assert.equal(parseDigestChallenge(null), undefined);
    assert.equal(parseDigestChallenge('Basic realm="x"'), undefined);
    assert.equal(parseDigestChallenge(ATLAS_CHALLENGE.replace("MD5", "SHA-256")), undefined);
    assert.equal(
      parseDigestChallenge(ATLAS_CHALLENGE.replace('qop="auth"', 'qop="auth-int"')),
      undefined,
    );
    assert.equal(parseDigestChallenge('Digest realm="r", qop="auth"'), undefined);
  });
});

describe("DigestAuthSession", () => {
  it("computes the RFC 2617 example response", () => {
    // RFC 2617, section 3.5: user Mufasa, password "Circle Of Life", cnonce 0a4f113b.
    const session = new DigestAuthSession("Mufasa", "Circle Of Life", () => "0a4f113b");
    session.accept({
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      stale: false,
    });

    const authorization = session.authorize("GET", "/dir/index.html");

    const sent = params(authorization?.header ?? "");
    assert.equal(sent.response, "6629fae49393a05397450978507c4ef1");
    assert.equal(sent.nc, "00000001");
    assert.equal(sent.qop, "auth");
    assert.equal(sent.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
    assert.equal(sent.uri, "/dir/index.html");
  });

  it("returns nothing before a challenge", () => {
    assert.equal(new DigestAuthSession("u", "p").authorize("GET", "/"), undefined);
  });

  it("counts nonce uses in hexadecimal", () => {
    const session = new DigestAuthSession("u", "p");
    session.accept(parseDigestChallenge(ATLAS_CHALLENGE) ?? assert.fail("no challenge"));

    const counts = Array.from(
      { length: 17 },
      () => params(session.authorize("GET", "/")?.header ?? "").nc,
    );

    assert.equal(counts[0], "00000001");
    assert.equal(counts[9], "0000000a");
    assert.equal(counts[16], "00000011");
    assert.equal(new Set(counts).size, 17);
  });

  it("restarts the count for a new nonce only", () => {
    const session = new DigestAuthSession("u", "p");
    const challenge = parseDigestChallenge(ATLAS_CHALLENGE) ?? assert.fail("no challenge");
    session.accept(challenge);
    session.authorize("GET", "/");
    session.accept(challenge);

    assert.equal(session.authorize("GET", "/")?.nonceCount, 2);
    session.accept({ ...challenge, nonce: "other" });
    assert.equal(session.authorize("GET", "/")?.nonceCount, 1);
  });
});
