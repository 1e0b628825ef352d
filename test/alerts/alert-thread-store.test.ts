import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import type { SentRecord } from "../../src/alerts/sent-record.ts";
import { AlertThreadStore } from "../../src/state/alert-thread-store.ts";
import { clusterStateKeys } from "../../src/state/cluster-state-keys.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";
import { alertEvent, PROJECT_ID } from "./alert-fixtures.ts";

const REF = { projectId: PROJECT_ID, cluster: "orders-flex" };
const RECORD: SentRecord = {
  channel: "C0TESTCHAN1",
  ts: "1754795160.000100",
  postedAt: "2026-08-10T03:06:00.000Z",
  delivery: "message",
};

describe("AlertThreadStore", () => {
  let redis: Redis;
  let keyPrefix: string;

  before(() => {
    redis = connectTestRedis();
    keyPrefix = uniqueKeyPrefix("threads");
  });
  after(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });

  test("recordDelivery stores record and thread, clears outbox and intent", async () => {
    const store = new AlertThreadStore(redis, keyPrefix);
    const keys = clusterStateKeys(keyPrefix, REF);
    const event = alertEvent();
    await redis.hset(keys.outbox, "alert-a-failed", "{}");
    await store.putIntent(REF, "alert-a-failed", { channel: "#x", startedAt: RECORD.postedAt });
    const thread = {
      channel: RECORD.channel,
      ts: RECORD.ts,
      digest: false,
      kinds: [event.kind],
      latest: event,
      rootShows: "alert-a-failed",
    };

    await store.recordDelivery(REF, {
      alertId: "alert-a-failed",
      record: RECORD,
      thread: { restoreJobId: event.job.id, value: thread },
    });

    assert.deepEqual(await store.getSent(REF, "alert-a-failed"), RECORD);
    assert.deepEqual(await store.getThread(REF, event.job.id), thread);
    assert.equal(await redis.hexists(keys.outbox, "alert-a-failed"), 0);
    assert.equal(await store.getIntent(REF, "alert-a-failed"), null);
  });

  test("getSentMany returns only recorded alerts", async () => {
    const store = new AlertThreadStore(redis, keyPrefix);
    await store.recordDelivery(REF, { alertId: "alert-b-failed", record: RECORD });

    const found = await store.getSentMany(REF, ["alert-b-failed", "alert-b-stuck"]);

    assert.deepEqual([...found.keys()], ["alert-b-failed"]);
  });

  test("record written before threads reads as a message", async () => {
    const store = new AlertThreadStore(redis, keyPrefix);
    const keys = clusterStateKeys(keyPrefix, REF);
    await redis.hset(
      keys.sent,
      "alert-c-failed",
      JSON.stringify({ channel: "C1", ts: "1.2", postedAt: "x" }),
    );

    const record = await store.getSent(REF, "alert-c-failed");

    assert.equal(record?.ts, "1.2");
    assert.equal(record?.delivery, undefined);
  });

  test("corrupt thread names key and field", async () => {
    const store = new AlertThreadStore(redis, keyPrefix);
    const keys = clusterStateKeys(keyPrefix, REF);
    await redis.hset(keys.threads, "job-broken", "{not json");

    await assert.rejects(store.getThread(REF, "job-broken"), (err: Error) => {
      assert.match(err.message, /invalid JSON in Redis hash .*:threads field job-broken/);
      return true;
    });
  });

  test("job lock is exclusive and released by its owner only", async () => {
    const first = new AlertThreadStore(redis, keyPrefix);
    const second = new AlertThreadStore(redis, keyPrefix);

    assert.equal(await first.claimJob(REF, "job-1", 10_000), true);
    assert.equal(await second.claimJob(REF, "job-1", 10_000), false);
    await second.releaseJob(REF, "job-1");
    assert.equal(await second.claimJob(REF, "job-1", 10_000), false);
    await first.releaseJob(REF, "job-1");
    assert.equal(await second.claimJob(REF, "job-1", 10_000), true);
  });
});
