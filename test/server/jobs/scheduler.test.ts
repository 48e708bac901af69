import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Job, type Scheduler, startScheduler } from "../../../server/jobs/scheduler.ts";
import { createLogger } from "../../../server/logger.ts";
import { JobLease } from "../../../server/models/JobLease.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
const logger = createLogger({ level: "silent" });
const MINUTE = 60_000;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** A job that counts its runs, optionally slowly (so runs would overlap if leases did not exclude them). */
function countingJob(name: string, options: { delayMs?: number; fail?: boolean } = {}) {
  const runs: { at: Date }[] = [];
  const job: Job = {
    name,
    intervalMs: MINUTE,
    run: async (now) => {
      runs.push({ at: now });
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.fail) throw new Error("模拟任务失败");
      return { runs: runs.length };
    },
  };
  return { job, runs };
}

function instances(count: number, jobs: Job[]): Scheduler[] {
  return Array.from({ length: count }, (_, i) =>
    startScheduler({ jobs, logger, holder: `instance-${i}`, autoStart: false, leaseMs: MINUTE }),
  );
}

describe("scheduler leases", () => {
  beforeEach(async () => {
    await JobLease.deleteMany({});
  });

  it("runs a job once per tick across two instances on the same database", async () => {
    const { job, runs } = countingJob("lease-two", { delayMs: 50 });
    const [a, b] = instances(2, [job]) as [Scheduler, Scheduler];
    const t0 = new Date();
    const first = await Promise.all([a.tick(t0), b.tick(t0)]);
    assert.equal(runs.length, 1);
    assert.deepEqual(
      first
        .flat()
        .map((o) => o.status)
        .sort(),
      ["ran", "skipped"],
    );

    // Within the interval nobody runs it again, not even the instance that ran it.
    await Promise.all([a.tick(new Date(t0.getTime() + 30_000)), b.tick(new Date(t0.getTime() + 30_000))]);
    assert.equal(runs.length, 1);

    // Next interval: exactly one more run.
    const t1 = new Date(t0.getTime() + MINUTE);
    await Promise.all([b.tick(t1), a.tick(t1)]);
    assert.equal(runs.length, 2);
    const lease = await JobLease.findById("lease-two").lean();
    assert.ok(lease?.holder === "instance-0" || lease?.holder === "instance-1");
    assert.equal(lease?.nextRunAt.getTime(), t1.getTime() + MINUTE);
    assert.deepEqual(lease?.lastReport, { runs: 2 });
  });

  it("keeps five racing instances to one run per tick over several ticks", async () => {
    const { job, runs } = countingJob("lease-five", { delayMs: 10 });
    const schedulers = instances(5, [job]);
    const t0 = Date.now();
    for (let tick = 0; tick < 4; tick++) {
      const now = new Date(t0 + tick * MINUTE);
      await Promise.all(schedulers.map((scheduler) => scheduler.tick(now)));
      assert.equal(runs.length, tick + 1, `tick ${tick}`);
    }
  });

  it("takes over the expired lease of a dead instance, but not a live one", async () => {
    const { job, runs } = countingJob("lease-takeover");
    const [survivor] = instances(1, [job]) as [Scheduler];
    const now = new Date();
    // A live holder is mid-run: lease valid, job due.
    await JobLease.create({
      _id: "lease-takeover",
      holder: "live-instance",
      expiresAt: new Date(now.getTime() + 30_000),
      nextRunAt: new Date(now.getTime() - MINUTE),
    });
    assert.deepEqual(await survivor.tick(now), [{ job: "lease-takeover", status: "skipped" }]);
    assert.equal(runs.length, 0);

    // The holder died mid-run: its lease ran out without renewal.
    await JobLease.updateOne({ _id: "lease-takeover" }, { $set: { expiresAt: new Date(now.getTime() - 1) } });
    const outcomes = await survivor.tick(now);
    assert.equal(outcomes[0]?.status, "ran");
    assert.equal(runs.length, 1);
    assert.equal((await JobLease.findById("lease-takeover").lean())?.holder, "instance-0");
  });

  it("records a failing job and retries it at the next interval", async () => {
    const { job, runs } = countingJob("lease-failing", { fail: true });
    const [scheduler] = instances(1, [job]) as [Scheduler];
    const t0 = new Date();
    assert.equal((await scheduler.tick(t0))[0]?.status, "failed");
    const lease = await JobLease.findById("lease-failing").lean();
    assert.equal(lease?.lastError, "模拟任务失败");
    assert.ok(lease && lease.expiresAt.getTime() <= Date.now(), "lease released after the failure");
    await scheduler.tick(new Date(t0.getTime() + MINUTE));
    assert.equal(runs.length, 2);
  });

  it("ticks on its own timer and stop() waits for the running job", async () => {
    let finished = 0;
    const job: Job = {
      name: "lease-timer",
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        finished += 1;
        return {};
      },
    };
    const scheduler = startScheduler({ jobs: [job], logger, intervalMs: 20 });
    const deadline = Date.now() + 5_000;
    while ((await JobLease.findById("lease-timer").lean()) === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await scheduler.stop();
    assert.equal(finished, 1, "the run that had started finished before stop() resolved");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(finished, 1, "no run after stop()");
  });
});
