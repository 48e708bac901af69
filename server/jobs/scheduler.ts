/**
 * The in-process scheduler. Every tick, each job that is due runs at most once across all app
 * instances: before running, an instance takes the job's lease document (`JobLease`) with one atomic
 * `findOneAndUpdate`; whoever does not get it skips the job. While a job runs its lease is renewed;
 * an instance that dies stops renewing, the lease expires and another instance takes the job over.
 * Jobs must be idempotent anyway: a lease can expire under a stalled process.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { isDuplicateKey } from "../db/duplicateKey.ts";
import type { Logger } from "../logger.ts";
import { declareJobs, measureJobRun } from "../metrics/jobs.ts";
import { JobLease } from "../models/JobLease.ts";

/** Counters a job reports after a run (e.g. `{ expired: 2, skipped: 0 }`), logged and kept on the lease. */
export type JobReport = Record<string, number>;

/** A scheduled job: idempotent, so running it twice changes nothing the first run did not. */
export interface Job {
  /** Unique name; also the `_id` of the job's lease. */
  name: string;
  /** Least time between two runs across all instances; defaults to the scheduler's interval. */
  intervalMs?: number;
  /** Does the work as of `now`. Tests call it directly with a fixed date. */
  run(now: Date): Promise<JobReport>;
}

/** Options of `startScheduler`. */
export interface SchedulerOptions {
  jobs: readonly Job[];
  logger: Logger;
  /** How often this instance looks for due jobs; also the default job interval. */
  intervalMs?: number;
  /** How long a lease lasts without renewal while a job runs. */
  leaseMs?: number;
  /** Identity of this instance in lease documents; unique per process by default. */
  holder?: string;
  /** Start the timer (default true); tests pass false and call `tick()` themselves. */
  autoStart?: boolean;
}

/** What happened to one job in one tick. */
export interface TickOutcome {
  job: string;
  status: "ran" | "failed" | "skipped";
  report?: JobReport;
}

/** A running scheduler. */
export interface Scheduler {
  /** The identity this instance writes into leases. */
  readonly holder: string;
  /** Runs every due job this instance can lease, as of `now`; used by the timer and by tests. */
  tick(now?: Date): Promise<TickOutcome[]>;
  /** Stops the timer and waits for running jobs to finish. */
  stop(): Promise<void>;
}

/** Default tick interval: one minute. */
export const DEFAULT_INTERVAL_MS = 60_000;
/** Default lease: five minutes, renewed every third of it while the job runs. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

/**
 * Starts ticking over `jobs` (first tick right away unless `autoStart` is false).
 * @param options the jobs, a logger and the timing.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const log = options.logger.child({ component: "scheduler", holder });
  const running = new Map<string, Promise<TickOutcome>>();
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  declareJobs(options.jobs.map((job) => job.name));

  const runOne = async (job: Job, now: Date): Promise<TickOutcome> => {
    const acquired = await acquireLease(job.name, holder, now, {
      leaseMs,
      intervalMs: job.intervalMs ?? intervalMs,
    });
    if (!acquired) return { job: job.name, status: "skipped" };
    const renewal = setInterval(
      () => {
        renewLease(job.name, holder, leaseMs).then(
          (held) => {
            if (!held) log.warn({ job: job.name }, "job lease lost while running");
          },
          (error: unknown) => log.warn({ err: error, job: job.name }, "job lease renewal failed"),
        );
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    const finishRun = measureJobRun(job.name);
    try {
      const report = await job.run(now);
      clearInterval(renewal);
      finishRun("succeeded");
      await finishLease(job.name, holder, { report });
      log.info({ job: job.name, report }, "job finished");
      return { job: job.name, status: "ran", report };
    } catch (error) {
      clearInterval(renewal);
      finishRun("failed");
      log.error({ err: error, job: job.name }, "job failed");
      await finishLease(job.name, holder, { error }).catch(() => {});
      return { job: job.name, status: "failed" };
    }
  };

  const tick = async (now: Date = new Date()): Promise<TickOutcome[]> => {
    const outcomes: TickOutcome[] = [];
    // Jobs run one after another: they share one database and none is urgent to the second.
    for (const job of options.jobs) {
      if (isStopped) break;
      // A job still running from an earlier tick is not started again in this process.
      if (running.has(job.name)) {
        outcomes.push({ job: job.name, status: "skipped" });
        continue;
      }
      const run = runOne(job, now).catch((error: unknown): TickOutcome => {
        log.error({ err: error, job: job.name }, "job lease unavailable");
        return { job: job.name, status: "failed" };
      });
      running.set(job.name, run);
      try {
        outcomes.push(await run);
      } finally {
        running.delete(job.name);
      }
    }
    return outcomes;
  };

  const scheduleNext = () => {
    if (isStopped) return;
    timer = setTimeout(() => {
      void tick().finally(scheduleNext);
    }, intervalMs);
    // The scheduler alone must not keep the process alive (tests, CLI tools that import the app).
    timer.unref();
  };
  if (options.autoStart !== false) {
    timer = setTimeout(() => {
      void tick().finally(scheduleNext);
    }, 0);
    timer.unref();
  }

  return {
    holder,
    tick,
    stop: async () => {
      isStopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...running.values()]);
    },
  };
}

/**
 * Takes the lease of a job if it is due and nobody else holds it. Atomic: the filter and the update
 * are one `findOneAndUpdate`; when the document exists but does not match, the upsert's insert fails
 * on the duplicate `_id`, which means "someone else has it".
 * @param now the time the run starts.
 * @returns true when this holder now owns the lease.
 */
export async function acquireLease(
  name: string,
  holder: string,
  now: Date,
  timing: { leaseMs: number; intervalMs: number },
): Promise<boolean> {
  try {
    const lease = await JobLease.findOneAndUpdate(
      {
        _id: name,
        nextRunAt: { $lte: now },
        $or: [{ expiresAt: { $lt: now } }, { holder }],
      },
      {
        $set: {
          holder,
          expiresAt: new Date(now.getTime() + timing.leaseMs),
          nextRunAt: new Date(now.getTime() + timing.intervalMs),
          lastStartedAt: now,
        },
      },
      { upsert: true, returnDocument: "after" },
    ).lean();
    return lease?.holder === holder;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Extends a held lease; false when another holder has taken it. */
async function renewLease(name: string, holder: string, leaseMs: number): Promise<boolean> {
  const result = await JobLease.updateOne(
    { _id: name, holder },
    { $set: { expiresAt: new Date(Date.now() + leaseMs) } },
  );
  return result.matchedCount === 1;
}

/** Releases a lease after a run (the job stays not-due until `nextRunAt`) and records the outcome. */
async function finishLease(
  name: string,
  holder: string,
  result: { report?: JobReport; error?: unknown },
): Promise<void> {
  const finishedAt = new Date();
  await JobLease.updateOne(
    { _id: name, holder },
    {
      $set: {
        expiresAt: finishedAt,
        lastFinishedAt: finishedAt,
        lastReport: result.report ?? null,
        lastError:
          result.error === undefined
            ? null
            : result.error instanceof Error
              ? result.error.message
              : String(result.error),
      },
    },
  );
}
