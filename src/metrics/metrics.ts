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
  readonly atlasPagesRead: Counter<"project_id" | "cluster" | "mode">;
  readonly atlasTokenRequests: Counter<"outcome">;
  readonly atlasRateLimitWait: Counter<"project_id">;
  readonly atlasApiDeprecated: Gauge<"resource" | "version" | "sunset">;
  readonly alerts: Counter<"kind" | "outcome">;
  readonly operatorAlerts: Counter<"reason" | "outcome">;
  readonly slackRequests: Counter<"method" | "outcome">;
  readonly slackPermanentErrors: Counter<"code" | "channel">;
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
    this.atlasPagesRead = new Counter({
      name: "flexwatch_atlas_pages_read_total",
      help: "Restore job pages read from Atlas, by read mode (full or incremental).",
      labelNames: ["project_id", "cluster", "mode"],
      registers,
    });
    this.atlasTokenRequests = new Counter({
      name: "flexwatch_atlas_token_requests_total",
      help: "Service-account access tokens requested from the Atlas OAuth endpoint, by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.atlasRateLimitWait = new Counter({
      name: "flexwatch_atlas_rate_limit_wait_seconds_total",
      help: "Time Atlas requests waited for a token of flexwatch's per-project rate limiter.",
      labelNames: ["project_id"],
      registers,
    });
    this.atlasApiDeprecated = new Gauge({
      name: "flexwatch_atlas_api_deprecated",
      help: "Set to 1 for an Atlas API version whose responses carry a Deprecation or Sunset header.",
      labelNames: ["resource", "version", "sunset"],
      registers,
    });
    this.alerts = new Counter({
      name: "flexwatch_alerts_total",
      help: "Restore alert jobs handled by kind and outcome (sent, digested, duplicate, silenced, disabled, error, given-up).",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.operatorAlerts = new Counter({
      name: "flexwatch_operator_alerts_total",
      help: "Operator alert jobs handled, by reason and outcome.",
      labelNames: ["reason", "outcome"],
      registers,
    });
    this.slackRequests = new Counter({
      name: "flexwatch_slack_requests_total",
      help: "Slack Web API calls by method and outcome.",
      labelNames: ["method", "outcome"],
      registers,
    });
    this.slackPermanentErrors = new Counter({
      name: "flexwatch_slack_permanent_errors_total",
      help: "Restore alert posts Slack rejected with an error no retry can fix, by error and channel.",
      labelNames: ["code", "channel"],
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
