/**
 * What the scheduler reports to the metrics: which jobs exist, and each run it makes under a lease.
 */
import { jobDuration, jobFailures, jobLastSuccess, jobLeaseHeld, jobRuns } from "./registry.ts";

/** The end of a measured run. */
export type FinishJobRun = (outcome: "succeeded" | "failed") => void;

/**
 * Creates every job's series at 0, so rates and "never succeeded" alerts work before the first run.
 * @param names the names of the scheduled jobs.
 */
export function declareJobs(names: readonly string[]): void {
  for (const job of names) {
    jobRuns.inc({ job }, 0);
    jobFailures.inc({ job }, 0);
    jobLeaseHeld.set({ job }, 0);
  }
}

/**
 * Starts measuring a run of `job` that holds the job's lease; call the result once the run ends
 * (later calls are ignored).
 * @param job the job's name (a fixed identifier, never data).
 */
export function measureJobRun(job: string): FinishJobRun {
  jobLeaseHeld.set({ job }, 1);
  const stopTimer = jobDuration.startTimer({ job });
  let isFinished = false;
  // Only the first outcome counts: recording the lease after a successful run may still throw.
  return (outcome) => {
    if (isFinished) return;
    isFinished = true;
    stopTimer();
    jobLeaseHeld.set({ job }, 0);
    jobRuns.inc({ job });
    if (outcome === "failed") {
      jobFailures.inc({ job });
      return;
    }
    jobLastSuccess.set({ job }, Date.now() / 1000);
  };
}
