import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { AtlasClient } from "../../src/atlas/atlas-client.ts";
import { ClusterDropper } from "../../src/atlas/cluster-dropper.ts";
import { DiscoveryCache } from "../../src/atlas/discovery-cache.ts";
import { ClusterResolver } from "../../src/atlas/resolve-clusters.ts";
import type { Config } from "../../src/config/config.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { PagingState } from "../../src/state/paging-state.ts";
import { StateStore } from "../../src/state/state-store.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  startAtlasSimulator,
} from "../support/atlas-simulator.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { makeTestConfig } from "../support/test-config.ts";

const PROJECTS = [
  "6512a0c1e4b0a1b2c3d4e501",
  "6512a0c1e4b0a1b2c3d4e502",
  "6512a0c1e4b0a1b2c3d4e503",
] as const;
const [FIRST, SECOND] = PROJECTS;
const GONE_PROJECT = "6512a0c1e4b0a1b2c3d4e5ff";
const CACHE_TTL_MS = 60_000;

interface Fixture {
  sim: AtlasSimulator;
  client: AtlasClient;
  store: StateStore;
  paging: PagingState;
  cache: DiscoveryCache;
  metrics: Metrics;
  logLines: string[];
  resolver: (projects: Config["projects"]) => ClusterResolver;
}

/**
 * Starts a simulator whose lists hold 2 items a page, with three projects of three flex
 * clusters each (`a-flex` watched, `b-flex` being deleted, `c-flex` without backups) plus one
 * dedicated cluster, and the discovery parts on a fresh Redis key prefix.
 */
async function setUp(
  t: TestContext,
  options: { sim?: AtlasSimulatorOptions; cacheTtlMs?: number } = {},
): Promise<Fixture> {
  const simulator = await startAtlasSimulator({ maxItemsPerPage: 2, ...options.sim });
  for (const projectId of PROJECTS) {
    simulator.addFlexCluster(projectId, "a-flex");
    simulator.addFlexCluster(projectId, "b-flex", { stateName: "DELETING" });
    simulator.addFlexCluster(projectId, "c-flex", { backupEnabled: false });
    simulator.addFlexCluster(projectId, "d-flex");
    simulator.addDedicatedCluster(projectId, "dedicated");
  }
  const redis = connectTestRedis();
  const keyPrefix = uniqueKeyPrefix("discovery");
  const metrics = new Metrics();
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
  const atlas = makeTestConfig({ atlas: { baseUrl: simulator.url } }).atlas;
  const client = new AtlasClient({ atlas, redis, keyPrefix, metrics, logger });
  const store = new StateStore(redis, keyPrefix);
  const paging = new PagingState(redis, keyPrefix);
  const cache = new DiscoveryCache(redis, keyPrefix, options.cacheTtlMs ?? CACHE_TTL_MS);
  const dropper = new ClusterDropper({ atlas: client, store, paging, cache, metrics, logger });
  const resolver = (projects: Config["projects"]) =>
    new ClusterResolver({ projects, atlas: client, cache, store, dropper, logger });

  t.after(async () => {
    await simulator.close();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });
  return { sim: simulator, client, store, paging, cache, metrics, logLines, resolver };
}

function requestsTo(sim: AtlasSimulator, pathEnd: string) {
  return sim.requests.filter((request) => request.path.endsWith(pathEnd));
}

async function resolveAll(resolver: ClusterResolver): Promise<string[]> {
  const refs = [];
  for (const project of await resolver.listProjects()) {
    refs.push(...(await resolver.resolveClusters(project)));
  }
  return refs.map((ref) => `${ref.projectId}/${ref.cluster}/${ref.discovered}`).sort();
}

describe("AtlasClient discovery lists", () => {
  it("lists projects across several pages", async (t) => {
    const { sim, client } = await setUp(t);

    const listing = await client.listProjects();

    assert.deepEqual(listing.items.map((project) => project.id).sort(), [...PROJECTS]);
    assert.equal(listing.complete, true);
    assert.deepEqual(
      requestsTo(sim, "/groups").map((request) => request.query.pageNum),
      ["1", "2"],
    );
  });

  it("lists flex clusters across several pages", async (t) => {
    const { sim, client } = await setUp(t);

    const listing = await client.listFlexClusters(FIRST);

    assert.deepEqual(listing.items.map((cluster) => cluster.name).sort(), [
      "a-flex",
      "b-flex",
      "c-flex",
      "d-flex",
    ]);
    assert.deepEqual(
      requestsTo(sim, "/flexClusters").map((request) => request.query.pageNum),
      ["1", "2"],
    );
  });

  it("reads one flex cluster, or null once it is gone", async (t) => {
    const { sim, client } = await setUp(t);
    sim.removeFlexCluster(FIRST, "d-flex");

    assert.equal((await client.getFlexCluster(FIRST, "a-flex"))?.name, "a-flex");
    assert.equal(await client.getFlexCluster(FIRST, "d-flex"), null);
    assert.equal(await client.getFlexCluster(GONE_PROJECT, "a-flex"), null);
  });
});

describe("ClusterResolver", () => {
  describe('when projects and clusters are "*"', () => {
    it("finds every watched flex cluster across pages", async (t) => {
      const { resolver } = await setUp(t);

      const refs = await resolveAll(resolver("*"));

      const expected = PROJECTS.flatMap((id) => [`${id}/a-flex/true`, `${id}/d-flex/true`]);
      assert.deepEqual(refs, expected.sort());
    });

    it("reuses cached lists on the next sweep", async (t) => {
      const { sim, resolver } = await setUp(t);
      await resolveAll(resolver("*"));
      sim.resetRequestLog();

      const refs = await resolveAll(resolver("*"));

      assert.equal(refs.length, 6);
      assert.equal(sim.requests.length, 0);
    });

    it("lists again once the cache expires", async (t) => {
      const { sim, resolver } = await setUp(t, { cacheTtlMs: 50 });
      await resolveAll(resolver("*"));
      sim.resetRequestLog();
      await sleep(120);

      const refs = await resolveAll(resolver("*"));

      assert.equal(refs.length, 6);
      assert.equal(requestsTo(sim, "/groups").length, 2);
      assert.equal(requestsTo(sim, "/flexClusters").length, 6);
    });

    it("lists every time when caching is off", async (t) => {
      const { sim, resolver } = await setUp(t, { cacheTtlMs: 0 });
      await resolveAll(resolver("*"));
      sim.resetRequestLog();

      await resolveAll(resolver("*"));

      assert.equal(requestsTo(sim, "/groups").length, 2);
    });
  });

  describe("when a discovered cluster disappears", () => {
    it("drops it once Atlas confirms it gone", async (t) => {
      const { sim, store, paging, cache, metrics, logLines, resolver } = await setUp(t);
      const gone = { projectId: FIRST, cluster: "d-flex" };
      await store.registerCluster(gone);
      await paging.record(gone, { complete: true, orderBroken: false });
      metrics.pollSuccess.set({ project_id: FIRST, cluster: "d-flex" }, 1);
      sim.removeFlexCluster(FIRST, "d-flex");
      await cache.invalidate({ projectId: FIRST });

      const refs = await resolver([{ id: FIRST, clusters: "*" }]).resolveClusters({
        id: FIRST,
        clusters: "*",
      });

      assert.deepEqual(
        refs.map((ref) => ref.cluster),
        ["a-flex"],
      );
      assert.deepEqual(await store.listClusters(), []);
      assert.equal(await paging.load(gone), null);
      assert.equal((await metrics.pollSuccess.get()).values.length, 0);
      assert.equal(requestsTo(sim, "/flexClusters/d-flex").length, 1);
      assert.ok(logLines.some((line) => line.includes("cluster dropped")));
    });

    it("drops one that is no longer a flex cluster", async (t) => {
      const { sim, store, cache, resolver } = await setUp(t);
      await store.registerCluster({ projectId: FIRST, cluster: "d-flex" });
      sim.addDedicatedCluster(FIRST, "d-flex");
      await cache.invalidate({ projectId: FIRST });

      await resolver("*").resolveClusters({ id: FIRST, clusters: "*" });

      assert.deepEqual(await store.listClusters(), []);
    });

    it("keeps a cluster the list left out but Atlas still has", async (t) => {
      const { sim, store, resolver } = await setUp(t);
      await store.registerCluster({ projectId: FIRST, cluster: "d-flex" });
      sim.injectFault({
        pathIncludes: `/groups/${FIRST}/flexClusters`,
        status: 200,
        body: { links: [], results: [{ name: "a-flex", stateName: "IDLE" }] },
      });

      await resolver("*").resolveClusters({ id: FIRST, clusters: "*" });

      assert.deepEqual(await store.listClusters(), [{ projectId: FIRST, cluster: "d-flex" }]);
    });

    it("keeps a cluster when the confirmation fails", async (t) => {
      const { sim, store, logLines, resolver } = await setUp(t);
      await store.registerCluster({ projectId: FIRST, cluster: "d-flex" });
      sim.removeFlexCluster(FIRST, "d-flex");
      sim.injectFault({
        pathIncludes: "/flexClusters/d-flex",
        status: 401,
        errorCode: "NOT_IN_GROUP",
        times: 5,
      });

      await resolver("*").resolveClusters({ id: FIRST, clusters: "*" });

      assert.deepEqual(await store.listClusters(), [{ projectId: FIRST, cluster: "d-flex" }]);
      assert.ok(logLines.some((line) => line.includes("failed to confirm that a cluster is gone")));
    });

    it("drops clusters of a project that is no longer listed", async (t) => {
      const { store, resolver } = await setUp(t);
      await store.registerCluster({ projectId: GONE_PROJECT, cluster: "a-flex" });
      await store.registerCluster({ projectId: SECOND, cluster: "a-flex" });

      await resolver("*").listProjects();

      assert.deepEqual(await store.listClusters(), [{ projectId: SECOND, cluster: "a-flex" }]);
    });
  });

  describe("when the config stops naming a cluster", () => {
    it("drops it without asking Atlas", async (t) => {
      const { sim, store, resolver } = await setUp(t);
      for (const ref of [
        { projectId: FIRST, cluster: "a-flex" },
        { projectId: FIRST, cluster: "old-flex" },
        { projectId: SECOND, cluster: "x-flex" },
        { projectId: GONE_PROJECT, cluster: "a-flex" },
      ]) {
        await store.registerCluster(ref);
      }

      await resolver([
        { id: FIRST, clusters: ["a-flex"] },
        { id: SECOND, clusters: "*" },
      ]).dropUnconfiguredClusters();

      assert.deepEqual(await store.listClusters(), [
        { projectId: FIRST, cluster: "a-flex" },
        { projectId: SECOND, cluster: "x-flex" },
      ]);
      assert.equal(sim.requests.length, 0);
    });
  });
});
