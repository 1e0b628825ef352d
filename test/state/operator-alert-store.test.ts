import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { Redis } from "ioredis";
import type { OperatorAlertSubject, OperatorFailure } from "../../src/alerts/operator-alert.ts";
import { OperatorAlertStore } from "../../src/state/operator-alert-store.ts";
import { PollFailureCounter } from "../../src/state/poll-failure-counter.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const PROJECT_ID = "5f0e1d2c3b4a596877665544";
const CLUSTER: OperatorAlertSubject = {
  scope: "cluster",
  projectId: PROJECT_ID,
  cluster: "orders-flex",
};
const PROJECT: OperatorAlertSubject = { scope: "project", projectId: PROJECT_ID };
const GLOBAL: OperatorAlertSubject = { scope: "global" };
const POLICY = { threshold: 3, repeatIntervalMs: 60_000 };
const START_MS = Date.parse("2026-08-10T04:00:00Z");

function failure(sweep: number, subject: OperatorAlertSubject = CLUSTER): OperatorFailure {
  return {
    subject,
    reason: "cluster-poll-failed",
    source: "poll",
    sweepId: `sweep-${sweep}`,
    errorCode: "CLUSTER_NOT_FOUND",
    httpStatus: 404,
    message: "Atlas request failed: HTTP 404 CLUSTER_NOT_FOUND",
  };
}

describe("OperatorAlertStore", () => {
  let redis: Redis;
  let prefix: string;
  let store: OperatorAlertStore;

  before(() => {
    redis = connectTestRedis();
  });

  after(async () => {
    await redis.quit();
  });

  beforeEach(() => {
    prefix = uniqueKeyPrefix("operator-store");
    store = new OperatorAlertStore(redis, prefix);
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
  });

  /** Records failures of sweeps `first`..`last`, one a second, and returns the last outcome. */
  async function failSweeps(first: number, last: number, subject = CLUSTER) {
    let recorded = await store.recordFailure(
      failure(first, subject),
      at(first),
      POLICY,
      `job-${first}`,
    );
    for (let sweep = first + 1; sweep <= last; sweep++) {
      recorded = await store.recordFailure(
        failure(sweep, subject),
        at(sweep),
        POLICY,
        `job-${sweep}`,
      );
    }
    return recorded;
  }

  function at(seconds: number): Date {
    return new Date(START_MS + seconds * 1000);
  }

  describe("recordFailure", () => {
    it("counts a sweep once", async () => {
      await store.recordFailure(failure(1), at(1), POLICY, "job-1");
      const again = await store.recordFailure(failure(1), at(2), POLICY, "job-1b");

      assert.equal(again.failures, 1);
      assert.equal(again.alertJobId, undefined);
    });

    it("queues nothing below the threshold", async () => {
      const recorded = await failSweeps(1, 2);

      assert.equal(recorded.failures, 2);
      assert.equal(recorded.alertJobId, undefined);
      assert.equal(recorded.since, at(1).toISOString());
    });

    it("queues the candidate at the threshold", async () => {
      const recorded = await failSweeps(1, 3);
      const entry = await store.get(CLUSTER);

      assert.equal(recorded.failures, 3);
      assert.equal(recorded.alertJobId, "job-3");
      assert.equal(entry?.pendingJobId, "job-3");
      assert.equal(entry?.errorCode, "CLUSTER_NOT_FOUND");
      assert.equal(entry?.httpStatus, 404);
      assert.equal(entry?.since, at(1).toISOString());
    });

    it("repeats the pending job until it is posted", async () => {
      await failSweeps(1, 3);
      const unposted = await store.recordFailure(failure(4), at(4), POLICY, "job-4");
      await store.recordPosted(CLUSTER, at(1).toISOString(), {
        jobId: "job-3",
        channel: "C0123456789",
        ts: "1786334400.000100",
        postedAt: at(5).toISOString(),
      });
      const posted = await store.recordFailure(failure(5), at(5), POLICY, "job-5");

      assert.equal(unposted.alertJobId, "job-3");
      assert.equal(posted.alertJobId, undefined);
      assert.equal((await store.get(CLUSTER))?.pendingJobId, undefined);
    });

    it("queues again after the repeat interval", async () => {
      await failSweeps(1, 3);
      const early = await store.recordFailure(failure(60), at(62), POLICY, "job-early");
      const due = await store.recordFailure(failure(63), at(63), POLICY, "job-due");

      assert.equal(early.alertJobId, "job-3");
      assert.equal(due.alertJobId, "job-due");
      assert.equal(due.failures, 5);
    });

    it("keeps subjects apart", async () => {
      await failSweeps(1, 3, PROJECT);
      const cluster = await store.recordFailure(failure(4), at(4), POLICY, "job-4");

      assert.equal(cluster.failures, 1);
      assert.equal((await store.get(PROJECT))?.failures, 3);
      assert.equal(await store.get(GLOBAL), null);
    });

    it("stores each scope under its key", async () => {
      await store.recordFailure(failure(1, CLUSTER), at(1), POLICY, "a");
      await store.recordFailure(failure(1, PROJECT), at(1), POLICY, "b");
      await store.recordFailure(failure(1, GLOBAL), at(1), POLICY, "c");

      assert.equal(await redis.exists(`${prefix}:{${PROJECT_ID}/orders-flex}:operator`), 1);
      assert.equal(await redis.exists(`${prefix}:operator:{${PROJECT_ID}}`), 1);
      assert.equal(await redis.exists(`${prefix}:operator:global`), 1);
    });
  });

  describe("recordPosted and deleteRun", () => {
    const posted = { jobId: "job-3", channel: "C1", ts: "1.2", postedAt: "2026-08-10T04:00:05Z" };

    it("records nothing for a resolved run", async () => {
      await failSweeps(1, 3);
      const since = at(1).toISOString();

      assert.equal(await store.deleteRun(CLUSTER, since), true);
      assert.equal(await store.recordPosted(CLUSTER, since, posted), false);
      assert.equal(await store.get(CLUSTER), null);
    });

    it("keeps a newer run", async () => {
      await failSweeps(1, 3);
      await store.deleteRun(CLUSTER, at(1).toISOString());
      await failSweeps(10, 10);

      assert.equal(await store.deleteRun(CLUSTER, at(1).toISOString()), false);
      assert.equal(await store.recordPosted(CLUSTER, at(1).toISOString(), posted), false);
      assert.equal((await store.get(CLUSTER))?.since, at(10).toISOString());
    });

    it("returns the posted message", async () => {
      await failSweeps(1, 3);

      assert.equal(await store.recordPosted(CLUSTER, at(1).toISOString(), posted), true);
      assert.deepEqual((await store.get(CLUSTER))?.posted, posted);
    });
  });

  describe("on a corrupt entry", () => {
    it("throws naming the key", async () => {
      const key = `${prefix}:operator:global`;
      await redis.hset(key, "failures", "many");

      await assert.rejects(store.get(GLOBAL), (err: Error) => err.message.includes(key));
    });
  });
});

describe("PollFailureCounter", () => {
  let redis: Redis;
  let prefix: string;
  let counter: PollFailureCounter;
  const ref = { projectId: PROJECT_ID, cluster: "orders-flex" };

  before(() => {
    redis = connectTestRedis();
  });

  after(async () => {
    await redis.quit();
  });

  beforeEach(() => {
    prefix = uniqueKeyPrefix("poll-failures");
    counter = new PollFailureCounter(redis, prefix);
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
  });

  it("counts a sweep once", async () => {
    await counter.countFailure(ref, "sweep-1");
    await counter.countFailure(ref, "sweep-1");
    const count = await counter.countFailure(ref, "sweep-2");

    assert.equal(count, 2);
    assert.deepEqual(await counter.list(), [{ ...ref, failures: 2 }]);
  });

  it("forgets a cluster on reset", async () => {
    await counter.countFailure(ref, "sweep-1");
    await counter.reset(ref);

    assert.deepEqual(await counter.list(), []);
    assert.equal(await counter.countFailure(ref, "sweep-2"), 1);
  });
});
