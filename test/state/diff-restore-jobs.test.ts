import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ALERT_KINDS, type AlertKind } from "../../src/alerts/alert-event.ts";
import type { RestoreJob } from "../../src/atlas/restore-job.ts";
import {
  type DiffInput,
  type DiffResult,
  diffRestoreJobs,
  type SavedJob,
} from "../../src/state/diff-restore-jobs.ts";

const PROJECT_ID = "5f0e1d2c3b4a596877665544";
const CLUSTER = "orders-flex";
const NOW = new Date("2026-08-10T04:00:00Z");
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const LOOKBACK_MS = HOUR_MS;
const LEAD_TIME_MS = HOUR_MS;
const STUCK_AFTER_MS = 2 * HOUR_MS;
const ALL_KINDS: ReadonlySet<AlertKind> = new Set(ALERT_KINDS);

const IN_WINDOW = new Date(NOW.getTime() - 20 * MINUTE_MS).toISOString();
const OUT_OF_WINDOW = new Date(NOW.getTime() - 3 * HOUR_MS).toISOString();
const FUTURE = new Date(NOW.getTime() + 5 * HOUR_MS).toISOString();

/** Returns the ISO-8601 time `minutes` after `NOW` (before it when negative). */
function atMinutes(minutes: number): string {
  return new Date(NOW.getTime() + minutes * MINUTE_MS).toISOString();
}

/** Reads the `results` of a recorded-style Atlas page, unparsed (links and snapshotUrl kept). */
function loadFixtureJobs(name: string): RestoreJob[] {
  const url = new URL(`../fixtures/state/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).results as RestoreJob[];
}

function fixtureId(n: number): string {
  return `6a1f0c2e9b3d4e5f6a7b8c${String(n).padStart(2, "0")}`;
}

function job(n: number, status: string, fields: Partial<RestoreJob> = {}): RestoreJob {
  return { id: fixtureId(n), status, deliveryType: "RESTORE", ...fields };
}

/** Runs the diff after the baseline (an empty saved state) unless `saved` is given. */
function diff(input: Partial<DiffInput>): DiffResult {
  return diffRestoreJobs({
    projectId: PROJECT_ID,
    cluster: CLUSTER,
    saved: {},
    jobs: [],
    complete: true,
    now: NOW,
    lookbackMs: LOOKBACK_MS,
    expiringLeadTimeMs: LEAD_TIME_MS,
    stuckAfterMs: STUCK_AFTER_MS,
    enabledKinds: ALL_KINDS,
    ...input,
  });
}

/** Lists alerts as `<job id suffix>:<kind>`, sorted. */
function alertKeys(result: DiffResult): string[] {
  return result.alerts.map((alert) => `${alert.job.id.slice(-2)}:${alert.kind}`).sort();
}

describe("diffRestoreJobs", () => {
  describe("on every pair of saved and new status", () => {
    const statuses = ["PENDING", "QUEUED", "RUNNING", "FAILED", "COMPLETED", "CLOSED"];
    const savedStatuses = [null, ...statuses];

    for (const from of savedStatuses) {
      for (const to of statuses) {
        it(`${from ?? "new job"} to ${to}`, () => {
          const saved: Record<string, SavedJob> = { [fixtureId(99)]: { status: "COMPLETED" } };
          if (from !== null) {
            saved[fixtureId(1)] =
              from === "CLOSED" ? { status: from, unknownReported: true } : { status: from };
          }
          const finished =
            to === "FAILED" || to === "COMPLETED" ? { restoreFinishedDate: IN_WINDOW } : {};
          const fresh = job(1, to, { expirationDate: FUTURE, ...finished });

          const result = diff({ saved, jobs: [fresh, job(99, "COMPLETED")] });

          const expectedTransitions = from === to ? [] : [{ restoreJobId: fixtureId(1), from, to }];
          assert.deepEqual(result.transitions, expectedTransitions);
          const expectedAlerts: string[] = [];
          if (to === "FAILED" && from !== "FAILED") expectedAlerts.push("01:failed");
          if (to === "CLOSED" && from !== "CLOSED") expectedAlerts.push("01:unknown-status");
          assert.deepEqual(alertKeys(result), expectedAlerts);
          assert.equal(result.jobs[fixtureId(1)]?.status, to);
          for (const alert of result.alerts) assert.equal(alert.previousStatus, from ?? undefined);
        });
      }
    }
  });

  describe("when the cluster was never polled", () => {
    it("alerts only on recent or unknown jobs", () => {
      const result = diff({ saved: null, jobs: loadFixtureJobs("restore-jobs-page-1.json") });

      assert.deepEqual(alertKeys(result), ["02:failed", "04:expired", "07:unknown-status"]);
      assert.deepEqual(result.unknownStatuses, [{ restoreJobId: fixtureId(7), status: "CLOSED" }]);
    });

    it("lists every job as a transition from null", () => {
      const result = diff({ saved: null, jobs: loadFixtureJobs("restore-jobs-page-1.json") });

      assert.equal(result.transitions.length, 9);
      for (const transition of result.transitions) assert.equal(transition.from, null);
      assert.equal(Object.keys(result.jobs).length, 9);
    });

    it("marks old expiries as alerted", () => {
      const baseline = diff({ saved: null, jobs: loadFixtureJobs("restore-jobs-page-1.json") });

      assert.equal(baseline.jobs[fixtureId(5)]?.expired, true);
      assert.equal(baseline.jobs[fixtureId(4)]?.expired, true);
      assert.equal(baseline.jobs[fixtureId(6)]?.expired, undefined);

      const later = new Date(NOW.getTime() + HOUR_MS);
      const next = diff({
        saved: baseline.jobs,
        jobs: loadFixtureJobs("restore-jobs-page-1.json"),
        now: later,
      });
      assert.deepEqual(next.alerts, []);
    });

    it("stays silent on undated failures", () => {
      const result = diff({ saved: null, jobs: [job(1, "FAILED")] });

      assert.deepEqual(result.alerts, []);
      assert.equal(result.jobs[fixtureId(1)]?.status, "FAILED");
    });

    it("fills alerts from the fresh job", () => {
      const result = diff({ saved: null, jobs: loadFixtureJobs("restore-jobs-page-1.json") });
      const failed = result.alerts.find((alert) => alert.kind === "failed");

      assert.deepEqual(failed, {
        kind: "failed",
        projectId: PROJECT_ID,
        cluster: CLUSTER,
        previousStatus: undefined,
        job: {
          id: fixtureId(2),
          status: "FAILED",
          deliveryType: "RESTORE",
          instanceName: CLUSTER,
          projectId: PROJECT_ID,
          snapshotId: "6a0e0b1d8a2c3d4e5f6a7b02",
          snapshotFinishedDate: "2026-08-10T01:00:04Z",
          restoreScheduledDate: "2026-08-10T03:18:40Z",
          restoreFinishedDate: "2026-08-10T03:20:00Z",
          expirationDate: "2026-08-10T09:18:40Z",
          targetDeploymentItemName: "orders-restore-test",
          targetProjectId: PROJECT_ID,
        },
        detectedAt: NOW.toISOString(),
      });
    });

    it("drops snapshotUrl from alerts and jobs", () => {
      const jobs = loadFixtureJobs("restore-jobs-page-1.json");
      assert.ok(JSON.stringify(jobs).includes("snapshotUrl"), "fixture must carry a snapshotUrl");
      const download = { ...job(8, "CLOSED"), snapshotUrl: "https://restore.example.invalid/x" };

      const result = diff({ saved: null, jobs: [...jobs, download] });

      assert.ok(result.alerts.some((alert) => alert.job.id === fixtureId(8)));
      assert.ok(!JSON.stringify(result.alerts).includes("snapshotUrl"));
      assert.ok(!JSON.stringify(result.jobs).includes("snapshotUrl"));
    });
  });

  describe("when a saved job is not listed", () => {
    const saved: Record<string, SavedJob> = {
      [fixtureId(1)]: { status: "RUNNING", expirationDate: FUTURE },
      [fixtureId(2)]: { status: "COMPLETED" },
    };

    it("drops it after a complete read", () => {
      const result = diff({ saved, jobs: [job(2, "COMPLETED")], complete: true });

      assert.deepEqual(result.transitions, [
        { restoreJobId: fixtureId(1), from: "RUNNING", to: "ABSENT" },
      ]);
      assert.deepEqual(result.alerts, []);
      assert.deepEqual(Object.keys(result.jobs), [fixtureId(2)]);
    });

    it("keeps it unchanged after a partial read", () => {
      const result = diff({ saved, jobs: [job(2, "COMPLETED")], complete: false });

      assert.deepEqual(result.transitions, []);
      assert.deepEqual(result.alerts, []);
      assert.deepEqual(result.jobs[fixtureId(1)], saved[fixtureId(1)]);
    });
  });

  describe("when a new job is already finished", () => {
    it("alerts on a failure inside the look-back window", () => {
      const result = diff({ jobs: [job(1, "FAILED", { restoreFinishedDate: IN_WINDOW })] });

      assert.deepEqual(alertKeys(result), ["01:failed"]);
    });

    it("stays silent on a failure before the window", () => {
      const result = diff({ jobs: [job(1, "FAILED", { restoreFinishedDate: OUT_OF_WINDOW })] });

      assert.deepEqual(result.alerts, []);
      assert.deepEqual(result.transitions, [
        { restoreJobId: fixtureId(1), from: null, to: "FAILED" },
      ]);
    });

    it("alerts on an undated failure", () => {
      const result = diff({ jobs: [job(1, "FAILED")] });

      assert.deepEqual(alertKeys(result), ["01:failed"]);
    });

    it("stays silent on a completion", () => {
      const result = diff({ jobs: [job(1, "COMPLETED", { restoreFinishedDate: IN_WINDOW })] });

      assert.deepEqual(result.alerts, []);
    });
  });

  describe("on expiry", () => {
    const past = new Date(NOW.getTime() - MINUTE_MS).toISOString();

    it("alerts once past the expiration date", () => {
      const saved = { [fixtureId(1)]: { status: "RUNNING", expirationDate: past } };

      const result = diff({ saved, jobs: [job(1, "RUNNING", { expirationDate: past })] });

      assert.deepEqual(alertKeys(result), ["01:expired"]);
      assert.equal(result.alerts[0]?.previousStatus, "RUNNING");
      assert.equal(result.jobs[fixtureId(1)]?.expired, true);
      assert.deepEqual(result.transitions, []);
    });

    it("does not expire at the expiration date", () => {
      const result = diff({ jobs: [job(1, "PENDING", { expirationDate: NOW.toISOString() })] });

      // The job is within the lead time, so only the `expiring` warning fires.
      assert.deepEqual(alertKeys(result), ["01:expiring"]);
      assert.equal(result.jobs[fixtureId(1)]?.expired, undefined);
    });

    it("stays silent when already alerted", () => {
      const saved = { [fixtureId(1)]: { status: "QUEUED", expired: true } };

      const result = diff({ saved, jobs: [job(1, "RUNNING", { expirationDate: past })] });

      assert.deepEqual(result.alerts, []);
      assert.equal(result.jobs[fixtureId(1)]?.expired, true);
    });

    it("alerts on a new job expired long ago", () => {
      const result = diff({ jobs: [job(1, "PENDING", { expirationDate: OUT_OF_WINDOW })] });

      assert.deepEqual(alertKeys(result), ["01:expired"]);
    });

    it("ignores finished jobs past their expiration date", () => {
      const result = diff({ jobs: [job(1, "COMPLETED", { expirationDate: past })] });

      assert.deepEqual(result.alerts, []);
    });

    it("still alerts when an expired job fails", () => {
      const saved = { [fixtureId(1)]: { status: "RUNNING", expirationDate: past, expired: true } };

      const result = diff({ saved, jobs: [job(1, "FAILED", { expirationDate: past })] });

      assert.deepEqual(alertKeys(result), ["01:failed"]);
      assert.equal(result.jobs[fixtureId(1)]?.expired, true);
    });
  });

  describe("on an unknown status", () => {
    it("reports it once per job", () => {
      const first = diff({ jobs: [job(1, "CLOSED")] });
      const second = diff({ saved: first.jobs, jobs: [job(1, "CLOSED")] });

      assert.deepEqual(alertKeys(first), ["01:unknown-status"]);
      assert.deepEqual(first.unknownStatuses, [{ restoreJobId: fixtureId(1), status: "CLOSED" }]);
      assert.equal(first.jobs[fixtureId(1)]?.unknownReported, true);
      assert.deepEqual(second.alerts, []);
      assert.deepEqual(second.unknownStatuses, []);
    });

    it("does not report a second unknown status of the same job", () => {
      const first = diff({ jobs: [job(1, "CLOSED")] });
      const second = diff({ saved: first.jobs, jobs: [job(1, "ARCHIVED")] });

      assert.deepEqual(second.alerts, []);
      assert.deepEqual(second.transitions, [
        { restoreJobId: fixtureId(1), from: "CLOSED", to: "ARCHIVED" },
      ]);
    });

    it("reports it on an empty status string", () => {
      const result = diff({ jobs: [job(1, "")] });

      assert.deepEqual(alertKeys(result), ["01:unknown-status"]);
    });
  });

  describe("on a repeated diff", () => {
    it("finds nothing after the baseline", () => {
      const jobs = loadFixtureJobs("restore-jobs-page-1.json");
      const first = diff({ saved: null, jobs });
      const second = diff({ saved: first.jobs, jobs });

      assert.deepEqual(second.transitions, []);
      assert.deepEqual(second.alerts, []);
      assert.deepEqual(second.unknownStatuses, []);
      assert.deepEqual(second.jobs, first.jobs);
    });

    it("finds nothing after a poll with alerts", () => {
      const saved = { [fixtureId(1)]: { status: "RUNNING" } };
      const jobs = [
        job(1, "FAILED"),
        job(2, "RUNNING", { expirationDate: OUT_OF_WINDOW }),
        job(3, "CLOSED"),
      ];
      const first = diff({ saved, jobs });
      const second = diff({ saved: first.jobs, jobs });

      assert.equal(first.alerts.length, 3);
      assert.deepEqual(second.transitions, []);
      assert.deepEqual(second.alerts, []);
      assert.deepEqual(second.jobs, first.jobs);
    });

    it("keeps the last of two listings of one job", () => {
      const result = diff({ jobs: [job(1, "RUNNING"), job(1, "COMPLETED")] });

      assert.deepEqual(result.transitions, [
        { restoreJobId: fixtureId(1), from: null, to: "COMPLETED" },
      ]);
      assert.equal(result.jobs[fixtureId(1)]?.status, "COMPLETED");
    });
  });

  describe("on bad dates", () => {
    for (const badDate of ["not a date", "1", "", "2026-13-45T99:99:99Z"]) {
      it(`treats ${JSON.stringify(badDate)} as absent`, () => {
        const baseline = diff({
          saved: null,
          jobs: [
            job(1, "FAILED", { restoreFinishedDate: badDate }),
            job(2, "RUNNING", { expirationDate: badDate }),
          ],
        });
        const afterBaseline = diff({ jobs: [job(1, "FAILED", { restoreFinishedDate: badDate })] });

        assert.deepEqual(baseline.alerts, []);
        assert.equal(baseline.jobs[fixtureId(2)]?.expired, undefined);
        assert.deepEqual(alertKeys(afterBaseline), ["01:failed"]);
      });
    }
  });

  describe("on expiring", () => {
    const cases: [string, number, string[]][] = [
      ["outside the lead time", 61, []],
      ["at the lead time", 60, ["01:expiring"]],
      ["inside the lead time", 1, ["01:expiring"]],
      ["past the expiration date", -1, ["01:expired"]],
    ];
    for (const [name, minutesLeft, expected] of cases) {
      it(`alerts as expected ${name}`, () => {
        const saved = { [fixtureId(1)]: { status: "RUNNING" } };
        const fresh = job(1, "RUNNING", { expirationDate: atMinutes(minutesLeft) });

        const result = diff({ saved, jobs: [fresh] });

        assert.deepEqual(alertKeys(result), expected);
      });
    }

    it("warns once per job", () => {
      const fresh = job(1, "RUNNING", { expirationDate: atMinutes(30) });
      const first = diff({ jobs: [fresh] });
      const second = diff({ saved: first.jobs, jobs: [fresh] });

      assert.deepEqual(alertKeys(first), ["01:expiring"]);
      assert.equal(first.jobs[fixtureId(1)]?.expiringReported, true);
      assert.deepEqual(second.alerts, []);
    });

    it("still alerts expired after expiring", () => {
      const fresh = job(1, "QUEUED", { expirationDate: atMinutes(30) });
      const first = diff({ jobs: [fresh] });
      const later = new Date(NOW.getTime() + HOUR_MS);
      const second = diff({ saved: first.jobs, jobs: [fresh], now: later });

      assert.deepEqual(alertKeys(first), ["01:expiring"]);
      assert.deepEqual(alertKeys(second), ["01:expired"]);
      assert.equal(second.jobs[fixtureId(1)]?.expiringReported, true);
    });

    it("ignores finished jobs", () => {
      const result = diff({ jobs: [job(1, "COMPLETED", { expirationDate: atMinutes(30) })] });

      assert.deepEqual(result.alerts, []);
    });

    it("alerts on the baseline", () => {
      const result = diff({
        saved: null,
        jobs: [job(1, "PENDING", { expirationDate: atMinutes(5) })],
      });

      assert.deepEqual(alertKeys(result), ["01:expiring"]);
    });
  });

  describe("on stuck", () => {
    const cases: [string, number, string[]][] = [
      ["before the threshold", -119, []],
      ["at the threshold", -120, ["01:stuck"]],
      ["past the threshold", -300, ["01:stuck"]],
    ];
    for (const [name, scheduledMinutes, expected] of cases) {
      it(`alerts as expected ${name}`, () => {
        const saved = { [fixtureId(1)]: { status: "RUNNING" } };
        const fresh = job(1, "RUNNING", {
          restoreScheduledDate: atMinutes(scheduledMinutes),
          expirationDate: FUTURE,
        });

        const result = diff({ saved, jobs: [fresh] });

        assert.deepEqual(alertKeys(result), expected);
      });
    }

    it("warns once per job", () => {
      const fresh = job(1, "PENDING", { restoreScheduledDate: OUT_OF_WINDOW });
      const first = diff({ jobs: [fresh] });
      const second = diff({ saved: first.jobs, jobs: [fresh] });

      assert.deepEqual(alertKeys(first), ["01:stuck"]);
      assert.equal(first.jobs[fixtureId(1)]?.stuckReported, true);
      assert.deepEqual(second.alerts, []);
    });

    it("still alerts failed after stuck", () => {
      const stuck = diff({ jobs: [job(1, "RUNNING", { restoreScheduledDate: OUT_OF_WINDOW })] });
      const failed = job(1, "FAILED", { restoreScheduledDate: OUT_OF_WINDOW });
      const result = diff({ saved: stuck.jobs, jobs: [failed] });

      assert.deepEqual(alertKeys(stuck), ["01:stuck"]);
      assert.deepEqual(alertKeys(result), ["01:failed"]);
    });

    it("ignores jobs without a scheduled date", () => {
      const result = diff({ jobs: [job(1, "RUNNING", { restoreScheduledDate: "not a date" })] });

      assert.deepEqual(result.alerts, []);
      assert.equal(result.jobs[fixtureId(1)]?.stuckReported, undefined);
    });

    it("ignores finished jobs", () => {
      const result = diff({ jobs: [job(1, "FAILED", { restoreScheduledDate: OUT_OF_WINDOW })] });

      assert.deepEqual(alertKeys(result), ["01:failed"]);
      assert.equal(result.jobs[fixtureId(1)]?.stuckReported, undefined);
    });

    it("alerts on the baseline", () => {
      const result = diff({
        saved: null,
        jobs: [job(1, "RUNNING", { restoreScheduledDate: OUT_OF_WINDOW, expirationDate: FUTURE })],
      });

      assert.deepEqual(alertKeys(result), ["01:stuck"]);
    });

    it("stays silent on a job already expired", () => {
      const fresh = job(1, "PENDING", {
        restoreScheduledDate: atMinutes(-8 * 60),
        expirationDate: atMinutes(-2 * 60),
      });
      const baseline = diff({ saved: null, jobs: [fresh] });
      const afterBaseline = diff({ jobs: [fresh] });

      assert.deepEqual(baseline.alerts, []);
      assert.equal(baseline.jobs[fixtureId(1)]?.stuckReported, true);
      assert.deepEqual(alertKeys(afterBaseline), ["01:expired"]);
    });
  });

  describe("on recovery", () => {
    const stuckFields = { restoreScheduledDate: OUT_OF_WINDOW, expirationDate: FUTURE };

    it("alerts when a stuck job completes", () => {
      const stuck = diff({ jobs: [job(1, "RUNNING", stuckFields)] });
      const completed = job(1, "COMPLETED", {
        ...stuckFields,
        restoreFinishedDate: NOW.toISOString(),
      });
      const first = diff({ saved: stuck.jobs, jobs: [completed] });
      const second = diff({ saved: first.jobs, jobs: [completed] });

      assert.deepEqual(alertKeys(stuck), ["01:stuck"]);
      assert.deepEqual(alertKeys(first), ["01:recovered"]);
      assert.equal(first.alerts[0]?.previousStatus, "RUNNING");
      assert.deepEqual(second.alerts, []);
    });

    it("alerts when an expiring job completes", () => {
      const expiring = diff({ jobs: [job(1, "RUNNING", { expirationDate: atMinutes(10) })] });
      const result = diff({ saved: expiring.jobs, jobs: [job(1, "COMPLETED")] });

      assert.deepEqual(alertKeys(result), ["01:recovered"]);
    });

    it("alerts when a job of unknown status completes", () => {
      const unknown = diff({ jobs: [job(1, "CLOSED")] });
      const result = diff({ saved: unknown.jobs, jobs: [job(1, "COMPLETED")] });

      assert.deepEqual(alertKeys(result), ["01:recovered"]);
    });

    it("stays silent without an earlier warning", () => {
      const saved = { [fixtureId(1)]: { status: "RUNNING" } };

      const result = diff({ saved, jobs: [job(1, "COMPLETED")] });

      assert.deepEqual(result.alerts, []);
    });

    it("stays silent when a warned job fails", () => {
      const stuck = diff({ jobs: [job(1, "RUNNING", stuckFields)] });
      const result = diff({ saved: stuck.jobs, jobs: [job(1, "FAILED", stuckFields)] });

      assert.deepEqual(alertKeys(result), ["01:failed"]);
    });

    it("stays silent for a job first seen completed", () => {
      const result = diff({ saved: null, jobs: [job(1, "COMPLETED", stuckFields)] });

      assert.deepEqual(result.alerts, []);
    });
  });

  describe("when a kind is disabled", () => {
    function allBut(...kinds: AlertKind[]): ReadonlySet<AlertKind> {
      return new Set(ALERT_KINDS.filter((kind) => !kinds.includes(kind)));
    }

    it("marks a stuck job without alerting", () => {
      const fresh = job(1, "RUNNING", { restoreScheduledDate: OUT_OF_WINDOW });
      const disabled = diff({ jobs: [fresh], enabledKinds: allBut("stuck") });
      const enabled = diff({ saved: disabled.jobs, jobs: [fresh] });

      assert.deepEqual(disabled.alerts, []);
      assert.equal(disabled.jobs[fixtureId(1)]?.stuckReported, true);
      assert.deepEqual(enabled.alerts, []);
    });

    it("marks an expiring job without alerting", () => {
      const fresh = job(1, "RUNNING", { expirationDate: atMinutes(10) });
      const disabled = diff({ jobs: [fresh], enabledKinds: allBut("expiring") });
      const enabled = diff({ saved: disabled.jobs, jobs: [fresh] });

      assert.deepEqual(disabled.alerts, []);
      assert.equal(disabled.jobs[fixtureId(1)]?.expiringReported, true);
      assert.deepEqual(enabled.alerts, []);
    });

    it("marks an expired job without alerting", () => {
      const fresh = job(1, "RUNNING", { expirationDate: atMinutes(-10) });
      const disabled = diff({ jobs: [fresh], enabledKinds: allBut("expired") });
      const enabled = diff({ saved: disabled.jobs, jobs: [fresh] });

      assert.deepEqual(disabled.alerts, []);
      assert.equal(disabled.jobs[fixtureId(1)]?.expired, true);
      assert.deepEqual(enabled.alerts, []);
    });

    it("still counts an unknown status", () => {
      const result = diff({ jobs: [job(1, "CLOSED")], enabledKinds: allBut("unknown-status") });

      assert.deepEqual(result.alerts, []);
      assert.deepEqual(result.unknownStatuses, [{ restoreJobId: fixtureId(1), status: "CLOSED" }]);
      assert.equal(result.jobs[fixtureId(1)]?.unknownReported, true);
    });

    it("skips failed alerts", () => {
      const saved = { [fixtureId(1)]: { status: "RUNNING" } };

      const result = diff({ saved, jobs: [job(1, "FAILED")], enabledKinds: allBut("failed") });

      assert.deepEqual(result.alerts, []);
      assert.equal(result.jobs[fixtureId(1)]?.status, "FAILED");
    });

    it("raises no recovery after a silent warning", () => {
      const fresh = job(1, "RUNNING", { restoreScheduledDate: OUT_OF_WINDOW });
      const stuck = diff({ jobs: [fresh], enabledKinds: allBut("stuck") });
      const result = diff({ saved: stuck.jobs, jobs: [job(1, "COMPLETED")] });

      assert.equal(stuck.jobs[fixtureId(1)]?.warned, undefined);
      assert.deepEqual(result.alerts, []);
    });

    it("marks a recovery without alerting", () => {
      const fresh = job(1, "RUNNING", { restoreScheduledDate: OUT_OF_WINDOW });
      const stuck = diff({ jobs: [fresh] });
      const completed = job(1, "COMPLETED");
      const disabled = diff({
        saved: stuck.jobs,
        jobs: [completed],
        enabledKinds: allBut("recovered"),
      });
      const enabled = diff({ saved: disabled.jobs, jobs: [completed] });

      assert.deepEqual(disabled.alerts, []);
      assert.equal(disabled.jobs[fixtureId(1)]?.recoveredReported, true);
      assert.deepEqual(enabled.alerts, []);
    });
  });
});
