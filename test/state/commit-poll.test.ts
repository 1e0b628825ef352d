import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { ALERT_KINDS, type AlertKind, alertJobId } from "../../src/alerts/alert-event.ts";
import type { RestoreJob } from "../../src/atlas/restore-job.ts";
import { commitPoll } from "../../src/state/commit-poll.ts";
import type { AlertRules } from "../../src/state/diff-restore-jobs.ts";
import { StateStore } from "../../src/state/state-store.ts";
import { connectTestRedis, deleteKeysWithPrefix, uniqueKeyPrefix } from "../support/redis.ts";

const REF = { projectId: "5f0e1d2c3b4a596877665544", cluster: "orders-flex", discovered: false };
const RESTORE_JOB_ID = "6a1f0c2e9b3d4e5f6a7b8c01";
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const START = new Date("2026-08-10T04:00:00Z");

const RULES: AlertRules = {
  lookbackMs: HOUR_MS,
  expiringLeadTimeMs: HOUR_MS,
  stuckAfterMs: HOUR_MS,
  enabledKinds: new Set<AlertKind>(ALERT_KINDS),
};

function at(minutes: number): Date {
  return new Date(START.getTime() + minutes * MINUTE_MS);
}

function restoreJob(status: string, fields: Partial<RestoreJob> = {}): RestoreJob {
  return {
    id: RESTORE_JOB_ID,
    status,
    deliveryType: "RESTORE",
    restoreScheduledDate: at(-10).toISOString(),
    expirationDate: at(6 * 60).toISOString(),
    ...fields,
  };
}

describe("commitPoll", () => {
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
    prefix = uniqueKeyPrefix("commit-poll");
    store = new StateStore(redis, prefix);
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
  });

  /** Commits one poll that lists `job` and returns the alert kinds it queued, then acks them. */
  async function poll(job: RestoreJob, now: Date): Promise<string[]> {
    await commitPoll(store, REF, { jobs: [job], complete: true }, now, RULES);
    const pending = await store.pendingAlerts(REF);
    for (const event of pending) await store.ackAlert(REF, alertJobId(event));
    return pending.map((event) => event.kind);
  }

  describe("when a stuck job later completes", () => {
    it("queues stuck then recovered", async () => {
      const baseline = await poll(restoreJob("RUNNING"), at(0));
      const stillRunning = await poll(restoreJob("RUNNING"), at(30));
      const stuck = await poll(restoreJob("RUNNING"), at(50));
      const stuckAgain = await poll(restoreJob("RUNNING"), at(55));
      const completed = restoreJob("COMPLETED", { restoreFinishedDate: at(58).toISOString() });
      const recovered = await poll(completed, at(60));
      const afterRecovery = await poll(completed, at(65));

      assert.deepEqual(baseline, []);
      assert.deepEqual(stillRunning, []);
      assert.deepEqual(stuck, ["stuck"]);
      assert.deepEqual(stuckAgain, []);
      assert.deepEqual(recovered, ["recovered"]);
      assert.deepEqual(afterRecovery, []);
    });

    it("gives each event its own alert id", async () => {
      await poll(restoreJob("RUNNING"), at(0));
      await commitPoll(
        store,
        REF,
        { jobs: [restoreJob("RUNNING")], complete: true },
        at(50),
        RULES,
      );
      const completed = restoreJob("COMPLETED", { restoreFinishedDate: at(58).toISOString() });
      await commitPoll(store, REF, { jobs: [completed], complete: true }, at(60), RULES);

      const pending = await store.pendingAlerts(REF);

      assert.deepEqual(
        pending.map((event) => alertJobId(event)),
        [`alert-${RESTORE_JOB_ID}-stuck`, `alert-${RESTORE_JOB_ID}-recovered`],
      );
      assert.equal(pending[1]?.previousStatus, "RUNNING");
      assert.equal(pending[1]?.job.status, "COMPLETED");
    });
  });
});
