import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, it, type TestContext } from "node:test";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  startAtlasSimulator,
} from "../support/atlas-simulator.ts";

const PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const CLUSTER = "orders-flex";
const FLEX_ACCEPT = "application/vnd.atlas.2024-11-13+json";
const JOBS_PATH = `/api/atlas/v2/groups/${PROJECT_ID}/flexClusters/${CLUSTER}/backup/restoreJobs`;

async function setUp(t: TestContext, options: AtlasSimulatorOptions = {}): Promise<AtlasSimulator> {
  const sim = await startAtlasSimulator(options);
  sim.addFlexCluster(PROJECT_ID, CLUSTER);
  t.after(() => sim.close());
  return sim;
}

async function requestToken(sim: AtlasSimulator, secret = sim.clientSecret): Promise<Response> {
  return fetch(`${sim.url}/api/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${sim.clientId}:${secret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
}

async function getAuthorized(sim: AtlasSimulator, pathAndQuery: string, accept = FLEX_ACCEPT) {
  const { access_token: token } = (await (await requestToken(sim)).json()) as {
    access_token: string;
  };
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  // An empty `accept` sends none, so fetch's default `*/*` goes out instead.
  if (accept !== "") headers.Accept = accept;
  return fetch(`${sim.url}${pathAndQuery}`, { headers });
}

type Page = {
  links: { rel: string; href: string }[];
  results: { id: string }[];
  totalCount?: number;
};

describe("Atlas simulator", () => {
  it("listens on 127.0.0.1 only", async (t) => {
    const sim = await setUp(t);

    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  describe("when issuing tokens", () => {
    it("issues a bearer token to a valid client", async (t) => {
      const sim = await setUp(t);

      const response = await requestToken(sim);

      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.token_type, "Bearer");
      assert.equal(body.expires_in, 3600);
      assert.equal(typeof body.access_token, "string");
      assert.equal(sim.tokenRequests, 1);
    });

    it("rejects a wrong secret with invalid_client", async (t) => {
      const sim = await setUp(t);

      const response = await requestToken(sim, "wrong");

      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as Record<string, unknown>).error, "invalid_client");
      assert.equal(sim.tokenRequests, 0);
    });

    it("limits token requests per minute when asked", async (t) => {
      const sim = await setUp(t, { tokenRequestsPerMinute: 2 });

      const statuses = [];
      for (let request = 0; request < 3; request++) statuses.push((await requestToken(sim)).status);

      assert.deepEqual(statuses, [200, 200, 429]);
    });
  });

  describe("when serving the API", () => {
    it("rejects a request without a token", async (t) => {
      const sim = await setUp(t);

      const response = await fetch(`${sim.url}${JOBS_PATH}`, { headers: { Accept: FLEX_ACCEPT } });

      assert.equal(response.status, 401);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.error, 401);
      assert.equal(typeof body.errorCode, "string");
      assert.equal(response.headers.get("x-error-code"), body.errorCode);
    });

    it("rejects an expired token", async (t) => {
      const sim = await setUp(t, { tokenLifetimeSeconds: 0 });

      const response = await getAuthorized(sim, JOBS_PATH);

      assert.equal(response.status, 401);
    });

    it("answers 406 without an Accept version", async (t) => {
      const sim = await setUp(t);

      const response = await getAuthorized(sim, JOBS_PATH, "");

      assert.equal(response.status, 406);
    });

    it("answers 410 VERSION_GONE for a retired version", async (t) => {
      const sim = await setUp(t, { goneVersions: ["2023-02-01"] });

      const response = await getAuthorized(sim, JOBS_PATH, "application/vnd.atlas.2023-02-01+json");

      assert.equal(response.status, 410);
      assert.equal(response.headers.get("x-error-code"), "VERSION_GONE");
    });

    it("answers with the versioned media type", async (t) => {
      const sim = await setUp(t);

      const response = await getAuthorized(sim, JOBS_PATH);

      assert.equal(response.status, 200);
      assert.match(
        response.headers.get("content-type") ?? "",
        /^application\/vnd\.atlas\.2024-11-13\+json/,
      );
    });

    it("rejects itemsPerPage above 500", async (t) => {
      const sim = await setUp(t);

      const response = await getAuthorized(sim, `${JOBS_PATH}?itemsPerPage=501`);

      assert.equal(response.status, 400);
      assert.equal(response.headers.get("x-error-code"), "INVALID_QUERY_PARAMETER");
    });

    it("answers 404 for unknown projects and clusters", async (t) => {
      const sim = await setUp(t);
      const otherProject = JOBS_PATH.replace(PROJECT_ID, "bbbbbbbbbbbbbbbbbbbbbbbb");

      const noGroup = await getAuthorized(sim, otherProject);
      const noCluster = await getAuthorized(sim, JOBS_PATH.replace(CLUSTER, "other-flex"));

      assert.equal(noGroup.status, 404);
      assert.equal(noGroup.headers.get("x-error-code"), "GROUP_NOT_FOUND");
      assert.equal(noCluster.status, 404);
      assert.equal(noCluster.headers.get("x-error-code"), "CLUSTER_NOT_FOUND");
    });

    it("serves one restore job by id", async (t) => {
      const sim = await setUp(t);
      const job = sim.addRestoreJob(PROJECT_ID, CLUSTER);

      const response = await getAuthorized(sim, `${JOBS_PATH}/${job.id}`);

      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { id: string }).id, job.id);
    });

    it("lists projects with the 2023-01-01 media type", async (t) => {
      const sim = await setUp(t);

      const response = await getAuthorized(
        sim,
        "/api/atlas/v2/groups",
        "application/vnd.atlas.2023-01-01+json",
      );

      assert.equal(response.status, 200);
      const page = (await response.json()) as { results: { id: string }[] };
      assert.deepEqual(
        page.results.map((project) => project.id),
        [PROJECT_ID],
      );
    });
  });

  describe("when paging", () => {
    it("links next on the first page and previous on the last", async (t) => {
      const sim = await setUp(t);
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 5);

      const first = (await (
        await getAuthorized(sim, `${JOBS_PATH}?itemsPerPage=3`)
      ).json()) as Page;
      const last = (await (
        await getAuthorized(sim, `${JOBS_PATH}?itemsPerPage=3&pageNum=2`)
      ).json()) as Page;

      assert.deepEqual(
        first.links.map((link) => link.rel),
        ["self", "next"],
      );
      assert.match(first.links[1]?.href ?? "", /pageNum=2/);
      assert.equal(first.results.length, 3);
      assert.equal(first.totalCount, 5);
      assert.deepEqual(
        last.links.map((link) => link.rel),
        ["self", "previous"],
      );
      assert.equal(last.results.length, 2);
    });

    it("omits totalCount when includeCount is false", async (t) => {
      const sim = await setUp(t);

      const page = (await (
        await getAuthorized(sim, `${JOBS_PATH}?includeCount=false`)
      ).json()) as Page;

      assert.equal("totalCount" in page, false);
      assert.deepEqual(page.results, []);
    });

    it("caps pages at maxItemsPerPage", async (t) => {
      const sim = await setUp(t, { maxItemsPerPage: 2 });
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 5);

      const page = (await (
        await getAuthorized(sim, `${JOBS_PATH}?itemsPerPage=500`)
      ).json()) as Page;

      assert.equal(page.results.length, 2);
      assert.ok(page.links.some((link) => link.rel === "next"));
    });

    it("lists jobs newest first", async (t) => {
      const sim = await setUp(t);
      const older = sim.addRestoreJob(PROJECT_ID, CLUSTER);
      const newer = sim.addRestoreJob(PROJECT_ID, CLUSTER);

      const page = (await (await getAuthorized(sim, JOBS_PATH)).json()) as Page;

      assert.deepEqual(
        page.results.map((job) => job.id),
        [newer.id, older.id],
      );
    });
  });

  describe("when limiting the rate", () => {
    it("answers 429 with Retry-After once the bucket is empty", async (t) => {
      const sim = await setUp(t, {
        rateLimit: { capacity: 2, refillAmount: 1, refillIntervalMs: 60_000 },
      });

      const first = await getAuthorized(sim, JOBS_PATH);
      await getAuthorized(sim, JOBS_PATH);
      const limited = await getAuthorized(sim, JOBS_PATH);

      assert.equal(first.headers.get("ratelimit-limit"), "2");
      assert.equal(first.headers.get("ratelimit-remaining"), "1");
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("x-error-code"), "RATE_LIMITED_TOKEN_BUCKET");
      assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    });
  });

  describe("when injecting faults", () => {
    it("serves a fault the given number of times", async (t) => {
      const sim = await setUp(t);
      sim.injectFault({ pathIncludes: "/restoreJobs", status: 503, times: 2 });

      const statuses = [];
      for (let request = 0; request < 3; request++)
        statuses.push((await getAuthorized(sim, JOBS_PATH)).status);

      assert.deepEqual(statuses, [503, 503, 200]);
      assert.deepEqual(
        sim.requests
          .filter((request) => request.path === JOBS_PATH)
          .map((request) => request.status),
        [503, 503, 200],
      );
    });
  });

  describe("when controlled over HTTP", () => {
    it("sets the newest job's status", async (t) => {
      const sim = await setUp(t);
      sim.addRestoreJob(PROJECT_ID, CLUSTER);
      const newest = sim.addRestoreJob(PROJECT_ID, CLUSTER, { status: "RUNNING" });

      const response = await fetch(`${sim.url}/__sim/restore-jobs/status`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ projectId: PROJECT_ID, cluster: CLUSTER, status: "FAILED" }),
      });

      assert.equal(response.status, 200);
      const jobs = sim.getRestoreJobs(PROJECT_ID, CLUSTER);
      assert.equal(jobs[0]?.id, newest.id);
      assert.equal(jobs[0]?.status, "FAILED");
      assert.equal(typeof jobs[0]?.restoreFinishedDate, "string");
      assert.equal(jobs[1]?.status, "COMPLETED");
      assert.equal(sim.requests.length, 0);
    });

    it("describes the estate", async (t) => {
      const sim = await setUp(t);
      sim.addRestoreJobs(PROJECT_ID, CLUSTER, 3, { deliveryType: "DOWNLOAD" });

      const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as {
        projects: { id: string; clusters: { name: string; restoreJobs: number }[] }[];
      };

      assert.deepEqual(state.projects[0]?.clusters[0], {
        ...state.projects[0]?.clusters[0],
        name: CLUSTER,
        restoreJobs: 3,
      });
      assert.ok(
        sim.getRestoreJobs(PROJECT_ID, CLUSTER).every((job) => typeof job.snapshotUrl === "string"),
      );
    });
  });

  it("runs standalone and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/support/atlas-simulator-main.ts"],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    const started = JSON.parse(line) as {
      url: string;
      clientId: string;
      projects: { id: string }[];
    };

    const state = (await (await fetch(`${started.url}/__sim/state`)).json()) as {
      projects: { clusters: { statuses: Record<string, number> }[] }[];
    };
    child.kill("SIGTERM");
    const [exitCode] = (await once(child, "exit")) as [number | null];

    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(started.clientId, "mdb_sa_id_simulator");
    assert.equal(started.projects.length, 2);
    const clusters = state.projects.flatMap((project) => project.clusters);
    assert.equal(clusters.length, 3);
    assert.equal(
      clusters.reduce((sum, cluster) => sum + (cluster.statuses.RUNNING ?? 0), 0),
      1,
    );
    assert.equal(exitCode, 0);
  });
});
