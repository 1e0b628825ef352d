/**
 * Runs the Atlas simulator on its own for demos:
 * `node --import tsx test/support/atlas-simulator-main.ts [--port N]`.
 * It seeds two projects with three flex clusters, prints one JSON line
 * `{url, clientId, clientSecret, projects}` on stdout and stops on SIGTERM or SIGINT.
 * Change job statuses while it runs with `POST /__sim/restore-jobs/status`.
 */
import { parseArgs } from "node:util";
import { type AtlasSimulator, startAtlasSimulator } from "./atlas-simulator.ts";

const SHOP_PROJECT_ID = "32b6e34b3d91647abb20e7b8";
const ANALYTICS_PROJECT_ID = "5f1e8a2c9b7d4e3f6a0b1c2d";
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid --port ${values.port}: expected an integer from 0 to 65535\n`);
  process.exit(2);
}

const simulator = await startAtlasSimulator({ port });
seedDemoEstate(simulator);
process.stdout.write(
  `${JSON.stringify({
    url: simulator.url,
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
    projects: [
      { id: SHOP_PROJECT_ID, clusters: ["orders-flex", "search-flex"] },
      { id: ANALYTICS_PROJECT_ID, clusters: ["events-flex"] },
    ],
  })}\n`,
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    simulator.close().then(() => process.exit(0));
  });
}

function seedDemoEstate(atlas: AtlasSimulator): void {
  atlas.addFlexCluster(SHOP_PROJECT_ID, "orders-flex");
  atlas.addFlexCluster(SHOP_PROJECT_ID, "search-flex");
  atlas.addFlexCluster(ANALYTICS_PROJECT_ID, "events-flex");

  atlas.addRestoreJobs(SHOP_PROJECT_ID, "orders-flex", 240);
  atlas.addRestoreJobs(SHOP_PROJECT_ID, "orders-flex", 3, { status: "FAILED" });
  atlas.addRestoreJobs(SHOP_PROJECT_ID, "search-flex", 60);
  atlas.addRestoreJobs(SHOP_PROJECT_ID, "search-flex", 5, { deliveryType: "DOWNLOAD" });
  atlas.addRestoreJobs(ANALYTICS_PROJECT_ID, "events-flex", 40);

  const nowMs = Date.now();
  atlas.addRestoreJob(SHOP_PROJECT_ID, "orders-flex", {
    status: "RUNNING",
    restoreScheduledDate: isoSeconds(nowMs - MINUTE_MS),
    expirationDate: isoSeconds(nowMs + 6 * HOUR_MS),
  });
}

// Atlas sends dates without milliseconds, e.g. 2026-08-10T03:03:29Z.
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}
