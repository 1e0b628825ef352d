import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { planRestoreJobRead } from "../../src/atlas/plan-restore-job-read.ts";
import type { SavedJob } from "../../src/state/diff-restore-jobs.ts";
import { PagingState } from "../../src/state/paging-state.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const SAVED: Record<string, SavedJob> = {
  a: { status: "COMPLETED" },
  b: { status: "FAILED" },
  c: { status: "RUNNING" },
  d: { status: "PENDING" },
  e: { status: "CLOSED" },
};
const STEADY = { pollsSinceFullRead: 3, orderBroken: false };

describe("planRestoreJobRead", () => {
  it("splits saved jobs by whether they can change", () => {
    const plan = planRestoreJobRead(SAVED, STEADY, 12);

    assert.deepEqual([...(plan.knownTerminalIds ?? [])].sort(), ["a", "b"]);
    assert.deepEqual([...(plan.inFlightIds ?? [])].sort(), ["c", "d", "e"]);
    assert.equal(plan.fullRead, false);
  });

  it("reads in full on the baseline", () => {
    const plan = planRestoreJobRead(null, STEADY, 12);

    assert.equal(plan.fullRead, true);
    assert.equal(plan.knownTerminalIds?.size, 0);
  });

  it("reads in full without a paging record", () => {
    assert.equal(planRestoreJobRead(SAVED, null, 12).fullRead, true);
  });

  it("reads in full after a broken order", () => {
    const plan = planRestoreJobRead(SAVED, { pollsSinceFullRead: 0, orderBroken: true }, 12);

    assert.equal(plan.fullRead, true);
  });

  it("reads in full on every Nth poll", () => {
    const fullReads = [0, 1, 2, 3, 4, 5].map(
      (polls) =>
        planRestoreJobRead(SAVED, { pollsSinceFullRead: polls, orderBroken: false }, 3).fullRead,
    );

    assert.deepEqual(fullReads, [false, false, true, true, true, true]);
  });

  it("always reads in full when fullReadEvery is 1", () => {
    const plan = planRestoreJobRead(SAVED, { pollsSinceFullRead: 0, orderBroken: false }, 1);

    assert.equal(plan.fullRead, true);
  });
});

describe("PagingState", () => {
  let redis: Redis;
  const keyPrefix = uniqueKeyPrefix("paging-state");
  const ref = { projectId: "32b6e34b3d91647abb20e7b8", cluster: "orders-flex" };

  before(() => {
    redis = connectTestRedis();
  });

  after(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });

  it("counts polls since the last complete read", async () => {
    const paging = new PagingState(redis, keyPrefix);
    assert.equal(await paging.load(ref), null);

    await paging.record(ref, { complete: true, orderBroken: false });
    await paging.record(ref, { complete: false, orderBroken: false });
    await paging.record(ref, { complete: false, orderBroken: false });

    assert.deepEqual(await paging.load(ref), { pollsSinceFullRead: 2, orderBroken: false });
  });

  it("restarts the count and keeps the order flag on a complete read", async () => {
    const paging = new PagingState(redis, keyPrefix);

    await paging.record(ref, { complete: true, orderBroken: true });

    assert.deepEqual(await paging.load(ref), { pollsSinceFullRead: 0, orderBroken: true });
  });

  it("keeps the record under the cluster's hash tag", async () => {
    const paging = new PagingState(redis, keyPrefix);
    await paging.record(ref, { complete: true, orderBroken: false });

    const key = `${keyPrefix}:{${ref.projectId}/${ref.cluster}}:paging`;
    assert.equal(await redis.hget(key, "pollsSinceFullRead"), "0");
  });

  it("reads an unparseable record as none", async () => {
    const paging = new PagingState(redis, keyPrefix);
    const key = `${keyPrefix}:{${ref.projectId}/${ref.cluster}}:paging`;
    await redis.hset(key, "pollsSinceFullRead", "many");

    assert.equal(await paging.load(ref), null);
  });

  it("removes the record", async () => {
    const paging = new PagingState(redis, keyPrefix);
    await paging.record(ref, { complete: true, orderBroken: false });

    await paging.remove(ref);

    assert.equal(await paging.load(ref), null);
  });
});
