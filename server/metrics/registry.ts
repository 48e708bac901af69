/**
 * The process-wide Prometheus registry: Node's own metrics (`collectDefaultMetrics`, prefixed
 * `govinfo_`), the build info, HTTP request metrics and the scheduler's job metrics. Every app
 * instance is one process with its own registry, so Prometheus scrapes each instance directly.
 * Database-derived gauges live in `business.ts`, one set per app, because they need its database.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { version } from "../version.ts";

/** Prefix of the default process metrics and of the platform's own metric names. */
export const METRIC_PREFIX = "govinfo_";

/** The registry of this process. */
export const processRegistry = new Registry();

collectDefaultMetrics({ register: processRegistry, prefix: METRIC_PREFIX });

/** `govinfo_build_info{version}` 1: which release this instance runs (useful during rolling upgrades). */
export const buildInfo = new Gauge({
  name: `${METRIC_PREFIX}build_info`,
  help: "Release of the platform this instance runs (always 1).",
  labelNames: ["version"] as const,
  registers: [processRegistry],
});
buildInfo.set({ version }, 1);

/** Time to produce a response, by method, declared route template and status code. */
export const httpRequestDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "Time from receiving a request to the end of its handling, by method, route template (never the raw URL) and status code.",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [processRegistry],
});

/** Requests being handled right now. */
export const httpRequestsInFlight = new Gauge({
  name: "http_requests_in_flight",
  help: "Requests this instance is handling right now.",
  registers: [processRegistry],
});

/** Runs of a scheduled job on this instance (successful or not). */
export const jobRuns = new Counter({
  name: `${METRIC_PREFIX}job_runs_total`,
  help: "Runs of a scheduled job on this instance (another instance holding the lease does not count here).",
  labelNames: ["job"] as const,
  registers: [processRegistry],
});

/** Runs of a scheduled job on this instance that threw. */
export const jobFailures = new Counter({
  name: `${METRIC_PREFIX}job_failures_total`,
  help: "Runs of a scheduled job on this instance that failed.",
  labelNames: ["job"] as const,
  registers: [processRegistry],
});

/** When a job last succeeded on this instance (Unix seconds). */
export const jobLastSuccess = new Gauge({
  name: `${METRIC_PREFIX}job_last_success_timestamp_seconds`,
  help: "Unix time of the last successful run of a job on this instance (absent until one succeeds here).",
  labelNames: ["job"] as const,
  registers: [processRegistry],
});

/** How long job runs take. */
export const jobDuration = new Histogram({
  name: `${METRIC_PREFIX}job_duration_seconds`,
  help: "Duration of job runs on this instance, failed ones included.",
  labelNames: ["job"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  registers: [processRegistry],
});

/** 1 while this instance holds a job's lease and runs it. */
export const jobLeaseHeld = new Gauge({
  name: `${METRIC_PREFIX}job_lease_held`,
  help: "1 while this instance holds the job's lease and runs it, else 0.",
  labelNames: ["job"] as const,
  registers: [processRegistry],
});

/** Content type of the Prometheus text format, version 0.0.4. */
export const metricsContentType: string = processRegistry.contentType;

/**
 * The text exposition of this process's metrics followed by those of `more` (an app's database
 * gauges); the metric names of the registries do not overlap.
 * @param more further registries to append.
 */
export async function renderMetrics(...more: Registry[]): Promise<string> {
  const parts = await Promise.all([processRegistry, ...more].map((registry) => registry.metrics()));
  return parts.map((part) => (part.endsWith("\n") || part === "" ? part : `${part}\n`)).join("");
}
