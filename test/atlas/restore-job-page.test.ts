import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AtlasApiError } from "../../src/atlas/atlas-api-error.ts";
import { parseAtlasPage } from "../../src/atlas/atlas-page.ts";
import { parseFlexCluster } from "../../src/atlas/flex-cluster.ts";
import { MISSING_STATUS } from "../../src/atlas/restore-job.ts";
import { parseRestoreJobPage } from "../../src/atlas/restore-job-page.ts";

const ENDPOINT =
  "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/orders-flex/backup/restoreJobs";

// Every field that `FlexBackupRestoreJob20241113` lists, with made-up ids and dates.
const DOWNLOAD_JOB = {
  deliveryType: "DOWNLOAD",
  expirationDate: "2026-08-10T09:03:29Z",
  id: "66b6e3b1c2a4f53b1d2e8f90",
  instanceName: "orders-flex",
  links: [{ href: "https://cloud.mongodb.com/api/atlas/v2/groups/…", rel: "self" }],
  projectId: "32b6e34b3d91647abb20e7b8",
  restoreFinishedDate: "2026-08-10T03:04:51Z",
  restoreScheduledDate: "2026-08-10T03:03:29Z",
  snapshotFinishedDate: "2026-08-10T01:00:12Z",
  snapshotId: "66b6c0a8c2a4f53b1d2e8f11",
  snapshotUrl: "https://restore.example.invalid/dl/66b6e3b1?token=credential",
  status: "COMPLETED",
  targetDeploymentItemName: "orders-copy",
  targetProjectId: "32b6e34b3d91647abb20e7b8",
};

describe("parseRestoreJobPage", () => {
  it("keeps the documented fields", () => {
    const { jobs } = parseRestoreJobPage([DOWNLOAD_JOB]);

    assert.deepEqual(jobs, [
      {
        id: "66b6e3b1c2a4f53b1d2e8f90",
        status: "COMPLETED",
        deliveryType: "DOWNLOAD",
        instanceName: "orders-flex",
        projectId: "32b6e34b3d91647abb20e7b8",
        snapshotId: "66b6c0a8c2a4f53b1d2e8f11",
        snapshotFinishedDate: "2026-08-10T01:00:12Z",
        restoreScheduledDate: "2026-08-10T03:03:29Z",
        restoreFinishedDate: "2026-08-10T03:04:51Z",
        expirationDate: "2026-08-10T09:03:29Z",
        targetDeploymentItemName: "orders-copy",
        targetProjectId: "32b6e34b3d91647abb20e7b8",
      },
    ]);
  });

  it("drops snapshotUrl", () => {
    const { jobs } = parseRestoreJobPage([DOWNLOAD_JOB]);

    assert.equal("snapshotUrl" in (jobs[0] ?? {}), false);
    assert.equal(JSON.stringify(jobs).includes("credential"), false);
  });

  it("skips items without a valid id", () => {
    const items = [
      { status: "FAILED" },
      { id: "66B6E3B1C2A4F53B1D2E8F90" },
      "text",
      null,
      DOWNLOAD_JOB,
    ];

    const { jobs, skippedIndexes } = parseRestoreJobPage(items);

    assert.deepEqual(
      jobs.map((job) => job.id),
      [DOWNLOAD_JOB.id],
    );
    assert.deepEqual(skippedIndexes, [0, 1, 2, 3]);
  });

  it("passes an unknown status through", () => {
    const { jobs } = parseRestoreJobPage([{ ...DOWNLOAD_JOB, status: "CLOSED" }]);

    assert.equal(jobs[0]?.status, "CLOSED");
  });

  it("marks a missing status", () => {
    const { jobs } = parseRestoreJobPage([{ id: DOWNLOAD_JOB.id }]);

    assert.deepEqual(jobs, [{ id: DOWNLOAD_JOB.id, status: MISSING_STATUS }]);
  });

  it("drops fields of the wrong type", () => {
    const { jobs } = parseRestoreJobPage([
      { ...DOWNLOAD_JOB, expirationDate: 17, deliveryType: null },
    ]);

    assert.equal(jobs.length, 1);
    assert.equal("expirationDate" in (jobs[0] ?? {}), false);
    assert.equal("deliveryType" in (jobs[0] ?? {}), false);
  });
});

describe("parseAtlasPage", () => {
  it("finds the next link", () => {
    const page = parseAtlasPage(
      {
        links: [
          { rel: "self", href: "a" },
          { rel: "next", href: "b" },
        ],
        results: [1],
        totalCount: 9,
      },
      ENDPOINT,
    );

    assert.deepEqual(page, { results: [1], hasNext: true, totalCount: 9 });
  });

  it("treats malformed links and totalCount as absent", () => {
    const page = parseAtlasPage({ links: "next", results: [], totalCount: "many" }, ENDPOINT);

    assert.deepEqual(page, { results: [], hasNext: false, totalCount: undefined });
  });

  it("rejects a body without results", () => {
    assert.throws(
      () => parseAtlasPage({ links: [] }, ENDPOINT),
      (err) => {
        assert.ok(err instanceof AtlasApiError);
        assert.equal(err.errorCode, "INVALID_RESPONSE");
        assert.equal(err.endpoint, ENDPOINT);
        assert.match(err.message, /"results"/);
        return true;
      },
    );
  });

  it("rejects a body that is not an object", () => {
    assert.throws(() => parseAtlasPage("<html>", ENDPOINT), /INVALID_RESPONSE/);
  });
});

describe("parseFlexCluster", () => {
  it("reads name, state and backup setting", () => {
    const cluster = parseFlexCluster({
      name: "orders-flex",
      stateName: "IDLE",
      backupSettings: { enabled: true },
      groupId: "32b6e34b3d91647abb20e7b8",
    });

    assert.deepEqual(cluster, { name: "orders-flex", stateName: "IDLE", backupEnabled: true });
  });

  it("returns undefined without a name", () => {
    assert.equal(parseFlexCluster({ stateName: "IDLE" }), undefined);
  });
});
