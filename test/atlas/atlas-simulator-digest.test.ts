import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it, type TestContext } from "node:test";
import { type AtlasSimulator, startAtlasSimulator } from "../support/atlas-simulator.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const JOBS_PATH = `/api/atlas/v2/groups/${PROJECT_ID}/flexClusters/orders-flex/backup/restoreJobs`;
const ACCEPT = "application/vnd.atlas.2024-11-13+json";

async function setUp(t: TestContext): Promise<AtlasSimulator> {
  const sim = await startAtlasSimulator();
  sim.addFlexCluster(PROJECT_ID, "orders-flex");
  t.after(() => sim.close());
  return sim;
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

async function challenge(sim: AtlasSimulator): Promise<{ nonce: string; response: Response }> {
  const response = await fetch(`${sim.url}${JOBS_PATH}`, { headers: { Accept: ACCEPT } });
  const header = response.headers.get("www-authenticate") ?? "";
  return { nonce: /nonce="([^"]+)"/.exec(header)?.[1] ?? "", response };
}

/** Sends GET JOBS_PATH with a Digest header built by hand, as RFC 7616 defines it. */
function signedGet(sim: AtlasSimulator, nonce: string, nc: string, password = sim.privateApiKey) {
  const cnonce = "0a4f113b";
  const ha1 = md5(`${sim.publicApiKey}:MMS Public API:${password}`);
  const ha2 = md5(`GET:${JOBS_PATH}`);
  const digest = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const authorization =
    `Digest username="${sim.publicApiKey}", realm="MMS Public API", nonce="${nonce}", ` +
    `uri="${JOBS_PATH}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${digest}"`;
  return fetch(`${sim.url}${JOBS_PATH}`, {
    headers: { Accept: ACCEPT, Authorization: authorization },
  });
}

describe("Atlas simulator digest check", () => {
  it("challenges like Atlas", async (t) => {
    const sim = await setUp(t);

    const { nonce, response } = await challenge(sim);

    assert.equal(response.status, 401);
    assert.ok(nonce.length > 0);
    assert.match(
      response.headers.get("www-authenticate") ?? "",
      /algorithm=MD5, qop="auth", stale=false/,
    );
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.errorCode, "UNEXPECTED_ERROR");
  });

  it("accepts a correct response hash", async (t) => {
    const sim = await setUp(t);
    const { nonce } = await challenge(sim);

    const response = await signedGet(sim, nonce, "00000001");

    assert.equal(response.status, 200);
  });

  it("rejects a wrong password", async (t) => {
    const sim = await setUp(t);
    const { nonce } = await challenge(sim);

    const response = await signedGet(sim, nonce, "00000001", "wrong");

    assert.equal(response.status, 401);
    assert.equal(sim.digestChallenges.at(-1), "wrong-response");
  });

  it("rejects nonce count zero", async (t) => {
    const sim = await setUp(t);
    const { nonce } = await challenge(sim);

    const response = await signedGet(sim, nonce, "00000000");

    assert.equal(response.status, 401);
    assert.equal(sim.digestChallenges.at(-1), "nonce-count-zero");
  });

  it("rejects a repeated nonce count", async (t) => {
    const sim = await setUp(t);
    const { nonce } = await challenge(sim);
    await signedGet(sim, nonce, "00000001");

    const response = await signedGet(sim, nonce, "00000001");

    assert.equal(response.status, 401);
    assert.equal(sim.digestChallenges.at(-1), "replayed-nonce-count");
  });

  it("marks an expired nonce stale", async (t) => {
    const sim = await setUp(t);
    const { nonce } = await challenge(sim);
    sim.expireDigestNonces();

    const response = await signedGet(sim, nonce, "00000001");

    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /stale=true/);
  });
});
