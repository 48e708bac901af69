/**
 * Gauges read from the database at scrape time: applications open by state, overdue and due soon
 * per agency, outbox messages waiting, and whether the database answers. The figures are cached for
 * `cacheMs` (15 s by default), so a scrape every few seconds, or several Prometheus servers, cost
 * one set of aggregations per interval. Overdue and due-soon reuse the staff queue's filters, the
 * one definition the admin dashboard links to, so the numbers match what staff see.
 */
import { closedStates, states } from "@govinfo/shared/lifecycle/machine";
import { Gauge, Registry } from "prom-client";
import type { Database } from "../db/connect.ts";
import { REMIND_WORKING_DAYS } from "../jobs/remindDueSoon.ts";
import type { Logger } from "../logger.ts";
import { Agency } from "../models/Agency.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { OutboxMessage } from "../models/OutboxMessage.ts";
import { dateInChina } from "../services/calendar.ts";
import { dueWithinFilter, overdueFilter } from "../services/requestQueue.ts";
import { METRIC_PREFIX } from "./registry.ts";

/** Default life of one snapshot of the database figures. */
export const BUSINESS_METRICS_CACHE_MS = 15_000;

/** Options of `createBusinessMetrics`. */
export interface BusinessMetricsOptions {
  db: Database;
  logger: Logger;
  /** How long one snapshot of the database figures is reused. */
  cacheMs?: number;
  /** The clock that decides "today" (tests). */
  now?: () => Date;
}

/** Agency label of applications whose agency no longer exists. */
export const UNKNOWN_AGENCY = "unknown";

/**
 * Builds the registry of database-derived gauges for one app.
 * @param options the database, a logger and the cache life.
 */
export function createBusinessMetrics(options: BusinessMetricsOptions): Registry {
  const registry = new Registry();
  const cacheMs = options.cacheMs ?? BUSINESS_METRICS_CACHE_MS;
  const now = options.now ?? (() => new Date());
  const log = options.logger.child({ component: "metrics" });
  let current: { promise: Promise<Snapshot | undefined>; expiresAt: number } | undefined;

  const snapshot = (): Promise<Snapshot | undefined> => {
    if (current && Date.now() < current.expiresAt) return current.promise;
    // Gauges of one scrape (and concurrent scrapes) share the snapshot being taken.
    const entry = {
      expiresAt: Number.POSITIVE_INFINITY,
      promise: Promise.resolve<Snapshot | undefined>(undefined),
    };
    entry.promise = takeSnapshot(now()).then(
      (taken) => {
        entry.expiresAt = Date.now() + cacheMs;
        return taken;
      },
      (error: unknown) => {
        // No figures beat stale ones; the next scrape tries again.
        entry.expiresAt = 0;
        log.warn({ err: error }, "metrics snapshot failed");
        return undefined;
      },
    );
    current = entry;
    return entry.promise;
  };

  new Gauge({
    name: `${METRIC_PREFIX}database_up`,
    help: "1 when the database answered a ping during this scrape, else 0.",
    registers: [registry],
    async collect() {
      this.set((await options.db.ping()) ? 1 : 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}database_info`,
    help: "The kind of database this instance uses (embedded or external), always 1.",
    labelNames: ["mode"] as const,
    registers: [registry],
  }).set({ mode: options.db.mode }, 1);
  // Every gauge below reads the same cached snapshot: one set of queries per scrape, however many.
  const snapshotGauges: {
    name: string;
    help: string;
    label?: string;
    values: (taken: Snapshot) => Iterable<[string, number]>;
  }[] = [
    {
      name: "business_metrics_timestamp_seconds",
      help: "Unix time the application and outbox figures below were read from the database (they are cached).",
      values: (taken) => [["", taken.takenAt.getTime() / 1000]],
    },
    {
      name: "applications_open",
      help: "Applications not yet closed, by lifecycle state.",
      label: "state",
      values: (taken) => taken.openByState,
    },
    {
      name: "applications_overdue",
      help: "Open applications whose statutory answer date (答复期限) has passed, by agency code.",
      label: "agency",
      values: (taken) => taken.overdue,
    },
    {
      name: "applications_due_soon",
      help: `Open applications due from today up to ${REMIND_WORKING_DAYS} working days ahead (not yet overdue), by agency code.`,
      label: "agency",
      values: (taken) => taken.dueSoon,
    },
    {
      name: "outbox_messages",
      help: "Applicant notifications not yet delivered: pending = waiting for delivery, failed = pending and the last attempt on some channel failed (retried with backoff).",
      label: "status",
      values: (taken) => [
        ["pending", taken.outbox.pending],
        ["failed", taken.outbox.failed],
      ],
    },
  ];
  for (const gauge of snapshotGauges) {
    const { label } = gauge;
    new Gauge({
      name: `${METRIC_PREFIX}${gauge.name}`,
      help: gauge.help,
      labelNames: label === undefined ? [] : [label],
      registers: [registry],
      async collect() {
        this.reset();
        const taken = await snapshot();
        if (!taken) return;
        for (const [value, count] of gauge.values(taken)) {
          if (label === undefined) this.set(count);
          else this.set({ [label]: value }, count);
        }
      },
    });
  }
  return registry;
}

/** The database figures of one moment. */
interface Snapshot {
  takenAt: Date;
  openByState: Map<string, number>;
  overdue: Map<string, number>;
  dueSoon: Map<string, number>;
  outbox: { pending: number; failed: number };
}

const openStates = states.filter((state) => !closedStates.includes(state));

// A pending message whose channel is still pending after an attempt that failed.
const failingOutbox: Record<string, unknown> = {
  status: "pending",
  $or: (["sms", "wechat"] as const).map((channel) => ({
    [`channels.${channel}.status`]: "pending",
    [`channels.${channel}.lastError`]: { $nin: ["", null] },
  })),
};

async function takeSnapshot(at: Date): Promise<Snapshot> {
  const today = dateInChina(at);
  const [agencies, byState, overdue, dueSoon, pending, failed] = await Promise.all([
    Agency.find({}, { code: 1 }).lean<{ _id: unknown; code: string }[]>(),
    DisclosureRequest.aggregate<{ _id: string; count: number }>([
      { $match: { state: { $in: openStates } } },
      { $group: { _id: "$state", count: { $sum: 1 } } },
    ]),
    countByAgency(overdueFilter(today)),
    countByAgency(await dueWithinFilter(today, REMIND_WORKING_DAYS)),
    OutboxMessage.countDocuments({ status: "pending" }),
    OutboxMessage.countDocuments(failingOutbox),
  ]);
  const codes = new Map(agencies.map((agency) => [String(agency._id), agency.code]));
  // Every agency and every open state gets a series, zero included, so alerts need no `absent()`.
  const perAgency = (rows: { _id: unknown; count: number }[]) => {
    const counts = new Map<string, number>([...codes.values()].map((code) => [code, 0]));
    for (const row of rows) {
      const code = codes.get(String(row._id)) ?? UNKNOWN_AGENCY;
      counts.set(code, (counts.get(code) ?? 0) + row.count);
    }
    return counts;
  };
  const openByState = new Map<string, number>(openStates.map((state) => [state, 0]));
  for (const row of byState) openByState.set(row._id, row.count);
  return {
    takenAt: at,
    openByState,
    overdue: perAgency(overdue),
    dueSoon: perAgency(dueSoon),
    outbox: { pending, failed },
  };
}

function countByAgency(match: Record<string, unknown>): Promise<{ _id: unknown; count: number }[]> {
  return DisclosureRequest.aggregate<{ _id: unknown; count: number }>([
    { $match: match },
    { $group: { _id: "$agencyId", count: { $sum: 1 } } },
  ]);
}
