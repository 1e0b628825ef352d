import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { Redis } from "ioredis";
import type { AlertEvent } from "../../src/alerts/alert-event.ts";
import { clusterStateKeys } from "../../src/state/cluster-state-keys.ts";
import type { SavedJob } from "../../src/state/diff-restore-jobs.ts";
import { type SentRecord, StateStore } from "../../src/state/state-store.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const REF = { projectId: "5f0e1d2c3b4a596877665544", cluster: "orders-flex" };
const OTHER_REF = { projectId: "5f0e1d2c3b4a596877665544", cluster: "search-flex" };
const NOW_ISO = "2026-08-10T04:00:00.000Z";
const LATER_ISO = "2026-08-10T04:05:00.000Z";
const LOCK_TTL_MS = 30_000;

function restoreJobId(n: number): string {
  return n.toString(16).padStart(24, "0");
}

function failedAlert(n: number): AlertEvent {
  return {
    kind: "failed",
    projectId: REF.projectId,
    cluster: REF.cluster,
    previousStatus: "RUNNING",
    job: { id: restoreJobId(n), status: "FAILED", deliveryType: "RESTORE" },
    detectedAt: NOW_ISO,
  };
}

const SENT: SentRecord = { channel: "C0123456789", ts: "1786334400.000100", postedAt: NOW_ISO };

describe("StateStore", () => {
  let redis: Redis;
  let prefix: string;
  let store: StateStore;

  before(() => {
    redis = connectTestRedis();
  });

  after(async () => {
    await redis.quit();
  });

  beforeEach(() => {
    prefix = uniqueKeyPrefix("state-store");
    store = new StateStore(redis, prefix);
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
  });

  describe("load and commit", () => {
    it("loads a never committed cluster as baseline", async () => {
      assert.deepEqual(await store.load(REF), { version: 0, jobs: null });
    });

    it("round-trips saved jobs", async () => {
      const jobs: Record<string, SavedJob> = {
        [restoreJobId(1)]: {
          status: "RUNNING",
          expirationDate: "2026-08-10T09:00:00Z",
          expired: true,
        },
        [restoreJobId(2)]: { status: "CLOSED", unknownReported: true },
      };

      assert.equal(await store.commit(REF, 0, jobs, [], NOW_ISO), true);

      assert.deepEqual(await store.load(REF), { version: 1, jobs });
    });

    it("loads an empty commit as no jobs", async () => {
      await store.commit(REF, 0, {}, [], NOW_ISO);

      assert.deepEqual(await store.load(REF), { version: 1, jobs: {} });
    });

    it("replaces the saved jobs", async () => {
      await store.commit(REF, 0, { [restoreJobId(1)]: { status: "RUNNING" } }, [], NOW_ISO);
      await store.commit(REF, 1, { [restoreJobId(2)]: { status: "QUEUED" } }, [], LATER_ISO);

      assert.deepEqual(await store.load(REF), {
        version: 2,
        jobs: { [restoreJobId(2)]: { status: "QUEUED" } },
      });
    });

    it("keeps baselineAt and moves lastPolledAt", async () => {
      await store.commit(REF, 0, {}, [], NOW_ISO);
      await store.commit(REF, 1, {}, [], LATER_ISO);

      const meta = await redis.hgetall(`${prefix}:{${REF.projectId}/${REF.cluster}}:meta`);
      assert.deepEqual(meta, { version: "2", baselineAt: NOW_ISO, lastPolledAt: LATER_ISO });
    });

    it("writes nothing on a stale version", async () => {
      const first = { [restoreJobId(1)]: { status: "RUNNING" } };
      await store.commit(REF, 0, first, [], NOW_ISO);

      const stale = { [restoreJobId(2)]: { status: "FAILED" } };
      assert.equal(await store.commit(REF, 0, stale, [failedAlert(2)], LATER_ISO), false);

      assert.deepEqual(await store.load(REF), { version: 1, jobs: first });
      assert.deepEqual(await store.pendingAlerts(REF), []);
      assert.deepEqual(await store.countsByStatus(REF), {
        PENDING: 0,
        QUEUED: 0,
        RUNNING: 1,
        FAILED: 0,
        COMPLETED: 0,
      });
    });

    it("commits and loads 5,000 jobs", async () => {
      const jobs: Record<string, SavedJob> = {};
      for (let n = 1; n <= 5000; n++) {
        jobs[restoreJobId(n)] = {
          status: n % 10 === 0 ? "FAILED" : "COMPLETED",
          restoreFinishedDate: "2026-08-01T10:00:00Z",
          targetDeploymentItemName: "orders-restore-test",
        };
      }
      const alerts = [failedAlert(10), failedAlert(20)];

      assert.equal(await store.commit(REF, 0, jobs, alerts, NOW_ISO), true);

      const loaded = await store.load(REF);
      assert.equal(Object.keys(loaded.jobs ?? {}).length, 5000);
      assert.deepEqual(loaded.jobs, jobs);
      const counts = await store.countsByStatus(REF);
      assert.equal(counts.FAILED, 500);
      assert.equal(counts.COMPLETED, 4500);
      assert.equal((await store.pendingAlerts(REF)).length, 2);
    });

    it("names the key and field of a corrupt job", async () => {
      await store.commit(REF, 0, { [restoreJobId(1)]: { status: "RUNNING" } }, [], NOW_ISO);
      const jobsKey = `${prefix}:{${REF.projectId}/${REF.cluster}}:jobs`;
      await redis.hset(jobsKey, restoreJobId(1), "{not json");

      await assert.rejects(store.load(REF), (err: Error) => {
        assert.match(err.message, new RegExp(`${escapeRegExp(jobsKey)} field ${restoreJobId(1)}`));
        return true;
      });
    });

    it("rejects a job without a status", async () => {
      await store.commit(REF, 0, {}, [], NOW_ISO);
      const jobsKey = `${prefix}:{${REF.projectId}/${REF.cluster}}:jobs`;
      await redis.hset(jobsKey, restoreJobId(1), '{"deliveryType":"RESTORE"}');

      await assert.rejects(store.load(REF), /invalid saved job in Redis hash .*:jobs field/);
    });
  });

  describe("outbox", () => {
    it("fills the outbox with the commit", async () => {
      const alerts = [failedAlert(1), { ...failedAlert(2), kind: "expired" as const }];

      await store.commit(REF, 0, { [restoreJobId(1)]: { status: "FAILED" } }, alerts, NOW_ISO);

      const pending = await store.pendingAlerts(REF);
      assert.deepEqual(pending.map((event) => `${event.job.id}-${event.kind}`).sort(), [
        `${restoreJobId(1)}-failed`,
        `${restoreJobId(2)}-expired`,
      ]);
      assert.deepEqual(
        pending.find((event) => event.kind === "failed"),
        failedAlert(1),
      );
    });

    it("skips alerts already sent", async () => {
      await store.commit(REF, 0, {}, [failedAlert(1)], NOW_ISO);
      await store.recordSent(REF, `alert-${restoreJobId(1)}-failed`, SENT);

      // A retried poll that diffed against the state before its first commit.
      await store.commit(REF, 1, {}, [failedAlert(1)], LATER_ISO);

      assert.deepEqual(await store.pendingAlerts(REF), []);
    });

    it("keeps a queued alert's first event", async () => {
      await store.commit(REF, 0, {}, [failedAlert(1)], NOW_ISO);
      await store.commit(REF, 1, {}, [{ ...failedAlert(1), detectedAt: LATER_ISO }], LATER_ISO);

      assert.deepEqual(await store.pendingAlerts(REF), [failedAlert(1)]);
    });

    it("removes an acknowledged alert", async () => {
      await store.commit(REF, 0, {}, [failedAlert(1), failedAlert(2)], NOW_ISO);

      await store.ackAlert(REF, `alert-${restoreJobId(1)}-failed`);

      assert.deepEqual(await store.pendingAlerts(REF), [failedAlert(2)]);
      assert.equal(await store.getSent(REF, `alert-${restoreJobId(1)}-failed`), null);
    });

    it("moves sent alerts out of the outbox", async () => {
      const id = `alert-${restoreJobId(1)}-failed`;
      await store.commit(REF, 0, {}, [failedAlert(1)], NOW_ISO);

      assert.equal(await store.getSent(REF, id), null);
      await store.recordSent(REF, id, SENT);

      assert.deepEqual(await store.getSent(REF, id), SENT);
      assert.deepEqual(await store.pendingAlerts(REF), []);
    });
  });

  describe("counts", () => {
    it("counts jobs by status with zeros", async () => {
      const jobs = {
        [restoreJobId(1)]: { status: "RUNNING" },
        [restoreJobId(2)]: { status: "COMPLETED" },
        [restoreJobId(3)]: { status: "COMPLETED" },
        [restoreJobId(4)]: { status: "CLOSED" },
      };
      await store.commit(REF, 0, jobs, [], NOW_ISO);

      assert.deepEqual(await store.countsByStatus(REF), {
        PENDING: 0,
        QUEUED: 0,
        RUNNING: 1,
        FAILED: 0,
        COMPLETED: 2,
        CLOSED: 1,
      });
    });

    it("drops statuses no job has any more", async () => {
      await store.commit(REF, 0, { [restoreJobId(1)]: { status: "CLOSED" } }, [], NOW_ISO);
      await store.commit(REF, 1, { [restoreJobId(1)]: { status: "COMPLETED" } }, [], NOW_ISO);

      const counts = await store.countsByStatus(REF);
      assert.equal(counts.CLOSED, undefined);
      assert.equal(counts.COMPLETED, 1);
    });
  });

  describe("cluster registry", () => {
    it("registers clusters on commit", async () => {
      await store.commit(OTHER_REF, 0, {}, [], NOW_ISO);
      await store.commit(REF, 0, {}, [], NOW_ISO);

      assert.deepEqual(await store.listClusters(), [REF, OTHER_REF]);
    });

    it("registers a cluster once", async () => {
      await store.registerCluster(REF);
      await store.registerCluster(REF);

      assert.deepEqual(await store.listClusters(), [REF]);
    });

    it("removes a cluster and its state", async () => {
      await store.commit(
        REF,
        0,
        { [restoreJobId(1)]: { status: "FAILED" } },
        [failedAlert(1)],
        NOW_ISO,
      );
      await store.recordSent(REF, `alert-${restoreJobId(1)}-failed`, SENT);
      await store.commit(OTHER_REF, 0, { [restoreJobId(2)]: { status: "RUNNING" } }, [], NOW_ISO);

      await store.removeCluster(REF);

      assert.deepEqual(await store.listClusters(), [OTHER_REF]);
      assert.deepEqual(await store.load(REF), { version: 0, jobs: null });
      assert.deepEqual(await scanKeys(redis, `*{${REF.projectId}/${REF.cluster}}*`, prefix), []);
      assert.equal((await store.load(OTHER_REF)).version, 1);
    });

    it("rejects a cluster name that breaks the hash tag", async () => {
      await assert.rejects(
        store.load({ projectId: REF.projectId, cluster: "orders}flex" }),
        /invalid cluster reference/,
      );
    });
  });

  describe("sweep time", () => {
    it("returns null before any sweep", async () => {
      assert.equal(await store.lastSweepFinishedAt(), null);
    });

    it("round-trips the last sweep time", async () => {
      await store.recordSweepFinished(new Date(NOW_ISO));

      assert.deepEqual(await store.lastSweepFinishedAt(), new Date(NOW_ISO));
    });
  });

  it("puts each cluster's keys under its hash tag", async () => {
    for (const ref of [REF, OTHER_REF]) {
      await store.commit(
        ref,
        0,
        { [restoreJobId(1)]: { status: "FAILED" } },
        [failedAlert(1)],
        NOW_ISO,
      );
      await store.recordSent(ref, `alert-${restoreJobId(1)}-failed`, SENT);
      // A send lock, as the alert thread store takes one per restore job.
      await redis.set(
        clusterStateKeys(prefix, ref).sendingPrefix + restoreJobId(1),
        "owner",
        "PX",
        LOCK_TTL_MS,
      );
    }
    await store.recordSweepFinished(new Date(NOW_ISO));

    const keys = await scanKeys(redis, `${prefix}:*`, prefix);
    const unTagged = keys.filter((key) => !key.includes("{")).sort();
    assert.deepEqual(unTagged, [`${prefix}:clusters`, `${prefix}:sweep:last`]);
    const tagged = keys.filter((key) => key.includes("{"));
    assert.equal(tagged.length, 10);
    for (const key of tagged) {
      assert.match(
        key,
        /^fwtest-state-store-[0-9a-f]+:\{5f0e1d2c3b4a596877665544\/(orders|search)-flex\}:/,
      );
    }
  });
});

async function scanKeys(redis: Redis, pattern: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    keys.push(...batch.filter((key) => key.startsWith(prefix)));
  } while (cursor !== "0");
  return keys;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
