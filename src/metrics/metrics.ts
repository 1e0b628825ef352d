import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every in-process metric of flexwatch, created once per process (or per test) on its own
 * registry. Gauges that describe shared state (restore jobs by status, last sweep time) are
 * computed from Redis at scrape time by the collectors in `state-collector.ts`.
 */
export class Metrics {
  readonly registry: Registry;

  readonly pollDuration: Histogram<"project_id" | "cluster">;
  readonly polls: Counter<"project_id" | "cluster" | "outcome">;
  readonly pollSuccess: Gauge<"project_id" | "cluster">;
  readonly transitions: Counter<"project_id" | "cluster" | "from_status" | "to_status">;
  readonly unknownStatuses: Counter<"project_id" | "cluster" | "status">;
  readonly atlasRequests: Counter<"endpoint" | "outcome" | "status_code">;
  readonly atlasRequestDuration: Histogram<"endpoint">;
  readonly atlasTokenRequests: Counter<"outcome">;
  readonly alerts: Counter<"kind" | "outcome">;
  readonly slackRequests: Counter<"method" | "outcome">;
  readonly sweeps: Counter<"outcome">;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];

    this.pollDuration = new Histogram({
      name: "flexwatch_poll_duration_seconds",
      help: "Duration of one poll of a flex cluster's restore jobs, all pages included.",
      labelNames: ["project_id", "cluster"],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.polls = new Counter({
      name: "flexwatch_polls_total",
      help: "Polls of a flex cluster by outcome (success or error).",
      labelNames: ["project_id", "cluster", "outcome"],
      registers,
    });
    this.pollSuccess = new Gauge({
      name: "flexwatch_poll_success",
      help: "Whether the last poll of a flex cluster in this process succeeded (1) or failed (0).",
      labelNames: ["project_id", "cluster"],
      registers,
    });
    this.transitions = new Counter({
      name: "flexwatch_restore_job_transitions_total",
      help: "Restore job status changes seen by this process; from_status is NONE for a new job.",
      labelNames: ["project_id", "cluster", "from_status", "to_status"],
      registers,
    });
    this.unknownStatuses = new Counter({
      name: "flexwatch_unknown_status_total",
      help: "Restore jobs first seen with a status outside the documented enum.",
      labelNames: ["project_id", "cluster", "status"],
      registers,
    });
    this.atlasRequests = new Counter({
      name: "flexwatch_atlas_requests_total",
      help: "Atlas Administration API requests by endpoint and outcome.",
      labelNames: ["endpoint", "outcome", "status_code"],
      registers,
    });
    this.atlasRequestDuration = new Histogram({
      name: "flexwatch_atlas_request_duration_seconds",
      help: "Duration of one Atlas Administration API request.",
      labelNames: ["endpoint"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.atlasTokenRequests = new Counter({
      name: "flexwatch_atlas_token_requests_total",
      help: "Service-account access tokens requested from the Atlas OAuth endpoint, by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.alerts = new Counter({
      name: "flexwatch_alerts_total",
      help: "Restore alerts handled by kind and outcome (sent, duplicate, disabled, error).",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.slackRequests = new Counter({
      name: "flexwatch_slack_requests_total",
      help: "Slack Web API calls by method and outcome.",
      labelNames: ["method", "outcome"],
      registers,
    });
    this.sweeps = new Counter({
      name: "flexwatch_sweeps_total",
      help: "Sweeps run by this process, by outcome.",
      labelNames: ["outcome"],
      registers,
    });
  }
}
