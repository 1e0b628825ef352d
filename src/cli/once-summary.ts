import type { AlertResult, PollResult } from "../queue/job-data.ts";

/** Summary of one `flexwatch once` run, printed as a table or as JSON. */
export interface OnceSummary {
  sweepId: string;
  /** False when a poll or project discovery failed or an alert was not delivered; `once` then exits 1. */
  ok: boolean;
  discoveryErrors: { projectId: string; error: string }[];
  polls: { jobId: string; result?: PollResult; error?: string }[];
  alerts: { jobId: string; result?: AlertResult; error?: string }[];
}

const COLUMNS = ["PROJECT", "CLUSTER", "RESTORE JOBS", "TRANSITIONS", "ALERTS", "NOTE"];

/** Formats the summary as an aligned plain-text table, one row per polled cluster. */
export function formatSummaryTable(summary: OnceSummary): string {
  const alertsById = new Map(summary.alerts.map((alert) => [alert.jobId, alert]));
  const rows = summary.polls.map((poll) => pollRow(poll, alertsById));
  for (const failure of summary.discoveryErrors) {
    rows.push([failure.projectId, "*", "-", "-", "-", failure.error]);
  }

  const widths = COLUMNS.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const lines = [COLUMNS, ...rows].map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  const failed = summary.polls.filter((poll) => poll.error !== undefined).length;
  lines.push(
    "",
    `${summary.polls.length} clusters polled, ${failed} failed (sweep ${summary.sweepId})`,
  );

  return `${lines.join("\n")}\n`;
}

function pollRow(
  poll: OnceSummary["polls"][number],
  alertsById: Map<string, OnceSummary["alerts"][number]>,
): string[] {
  const [projectId, cluster] = idsOfPollJob(poll.jobId, poll.result);
  if (poll.result === undefined)
    return [projectId, cluster, "-", "-", "-", poll.error ?? "unknown"];

  const result = poll.result;
  const statuses = Object.entries(result.jobsByStatus)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}=${count}`)
    .join(" ");
  const alerts = result.alertJobIds.map((id) => alertsById.get(id));
  const notes: string[] = [];
  if (result.dropped) notes.push("cluster gone, dropped");
  if (result.baseline) notes.push("baseline recorded");
  for (const alert of alerts) {
    if (alert?.error !== undefined) notes.push(`alert: ${alert.error}`);
  }

  return [
    projectId,
    cluster,
    statuses || "none",
    String(result.transitions),
    countAlertOutcomes(alerts),
    notes.join("; "),
  ];
}

/** Counts alerts by outcome, e.g. `sent=1 duplicate=24`; undelivered ones are `not-delivered`. */
function countAlertOutcomes(alerts: (OnceSummary["alerts"][number] | undefined)[]): string {
  if (alerts.length === 0) return "none";

  const counts = new Map<string, number>();
  for (const alert of alerts) {
    const outcome =
      alert === undefined || alert.error !== undefined
        ? "not-delivered"
        : (alert.result?.outcome ?? "pending");
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return [...counts].map(([outcome, count]) => `${outcome}=${count}`).join(" ");
}

/** Reads project id and cluster back from `poll-<projectId>-<cluster>-<sweep>` when a poll failed. */
function idsOfPollJob(jobId: string, result: PollResult | undefined): [string, string] {
  if (result !== undefined) return [result.projectId, result.cluster];

  const match = /^poll-([a-f0-9]{24})-(.+)-once-[0-9a-f-]{36}$/.exec(jobId);
  return match ? [match[1] ?? "?", match[2] ?? "?"] : [jobId, "?"];
}
