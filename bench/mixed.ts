/**
 * The whole platform under a mixed workload at a fixed arrival rate, against the health check at the
 * same rate, in one run:
 *   npm run bench:mixed [-- --quick] [-- --rate N --seconds S]
 *   npm run bench:load  [-- --quick] [-- --rate N --seconds S --steps 20,40,…]   (= mixed.ts --load)
 *
 * The real server runs as its own process (`node --import tsx server/main.ts`, as `npm start`) on an
 * on-disk embedded database seeded with the demo government (applications in every state, the
 * catalogue, a published annual report), plus applicant accounts with sessions (see support/demoData.ts). Staff
 * log in over HTTP. The workload (support/mixedWorkload.ts) browses the catalogue and the annual
 * reports, searches, submits applications and lists them as citizens, and works the queue, opens
 * applications and fires lifecycle events (确认收到, 补正, 征求意见) as staff.
 *
 * Arrivals are open-loop (support/openLoop.ts): request i is sent at start + i/rate whatever the
 * earlier ones did, and its latency counts from that moment, so queueing shows. Baseline, same server,
 * same rate: GET /api/health (a database ping). The server's RSS comes from /proc/<pid>/status.
 *
 * mixed (default): 20 rps for 20 s (`--quick`: 10 rps for 5 s); health baseline for 10 s (3 s).
 * --load: 40 rps for 60 s (`--quick`: 15 rps for 10 s) with RSS every 5 s from start to end, then a step
 *   search (rates 20…400, 10 s each; `--quick`: 10 and 20, 3 s each) that stops at the first rate
 *   missed twice in a row (an error or p99 ≥ 200 ms) and reports the highest rate held; `--steps ""`
 *   skips it.
 * Always bounded: every phase has a fixed number of arrivals and every request a 10 s timeout.
 * Exits 1 when any request of the measured run failed (after printing the figures).
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { parseArgs } from "node:util";
import { type MixedSetup, setUpMixed, warmUp } from "./support/mixedSetup.ts";
import { APPLIES_PER_APPLICANT, APPLY_SHARE, check, MIX } from "./support/mixedWorkload.ts";
import { type GroupResult, type PhaseResult, runFixedRate } from "./support/openLoop.ts";
import { rssOf, toMiB } from "./support/rss.ts";
import { ratio, round } from "./support/stats.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    load: { type: "boolean", default: false },
    rate: { type: "string" },
    seconds: { type: "string" },
    steps: { type: "string" },
  },
});
const quick = values.quick;
const isLoad = values.load;
const P99_TARGET_MS = 200;
const plan = {
  rate: Number(values.rate ?? (isLoad ? (quick ? 15 : 40) : quick ? 10 : 20)),
  seconds: Number(values.seconds ?? (isLoad ? (quick ? 10 : 60) : quick ? 5 : 20)),
  baselineSeconds: quick ? 3 : 10,
  warmupSeconds: quick ? 1 : 3,
  steps: !isLoad
    ? []
    : values.steps !== undefined
      ? values.steps.split(",").filter(Boolean).map(Number)
      : quick
        ? [10, 20]
        : [20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 400],
  stepSeconds: quick ? 3 : 10,
  registered: quick ? 20 : 60,
};
if (!(plan.rate > 0 && plan.seconds > 0)) throw new Error("--rate and --seconds must be positive numbers");

const kindOrder = [...new Set(MIX.map((m) => m.kind))];

/** One step of the search for the highest rate held. */
interface Step {
  rate: number;
  p99Ms: number;
  errors: number;
  throughput: number;
  held: boolean;
}

async function main(): Promise<number> {
  const arrivals =
    (plan.warmupSeconds + plan.seconds) * plan.rate +
    plan.steps.reduce((sum, r) => sum + r * plan.stepSeconds, 0);
  const applicants = Math.max(50, Math.ceil((arrivals * APPLY_SHARE * 1.5) / APPLIES_PER_APPLICANT) + 20);
  const setup = await setUpMixed({ applicants, registered: plan.registered });
  let isDisposed = false;
  try {
    const pid = setup.server.proc.pid;
    const rssBoot = await rssOf(pid);
    await warmUp(setup.workload);
    await runFixedRate({ rate: plan.rate, seconds: plan.warmupSeconds, next: setup.workload.next });
    const health = await runFixedRate({
      rate: plan.rate,
      seconds: plan.baselineSeconds,
      next: () => ({
        kind: "health",
        name: "health",
        send: async () => check(await setup.client.send("/api/health"), 200),
      }),
      pid,
    });
    const run = await runFixedRate({
      rate: plan.rate,
      seconds: plan.seconds,
      next: setup.workload.next,
      pid,
    });
    const steps = await stepSearch(setup);
    const rssFinal = await rssOf(pid);
    isDisposed = true;
    const { exitCode } = await setup.dispose();
    return report(setup, { health, run, steps, rssBoot, rssFinal, exitCode });
  } finally {
    if (!isDisposed) await setup.dispose();
  }
}

async function stepSearch(setup: MixedSetup): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of plan.steps) {
    let step = await runStep(setup, rate);
    // Other work on the machine can spoil one short step; a rate counts as missed only twice in a row.
    if (!step.held) {
      steps.push(step);
      step = await runStep(setup, rate);
    }
    steps.push(step);
    if (!step.held) break;
  }
  return steps;
}

async function runStep(setup: MixedSetup, rate: number): Promise<Step> {
  // A pause lets the jobs and the collector catch up, so each step starts from a quiet server.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const phase = await runFixedRate({ rate, seconds: plan.stepSeconds, next: setup.workload.next });
  const held = phase.errors === 0 && phase.latency.p99 < P99_TARGET_MS;
  console.log(
    `step ${String(rate).padStart(4)} rps: p99 ${phase.latency.p99} ms, ${phase.errors} errors, ${held ? "held" : "not held"}`,
  );
  for (const sample of phase.errorSamples.slice(0, 3)) console.log(`  step error: ${sample}`);
  return { rate, p99Ms: phase.latency.p99, errors: phase.errors, throughput: phase.throughput, held };
}

function report(
  setup: MixedSetup,
  measured: {
    health: PhaseResult;
    run: PhaseResult;
    steps: Step[];
    rssBoot: number | null;
    rssFinal: number | null;
    exitCode: number | null;
  },
): number {
  const { health, run, steps } = measured;
  const rss = run.rss;
  const maxRateHeld = Math.max(0, ...steps.filter((s) => s.held).map((s) => s.rate));
  const row = (name: string, g: GroupResult) =>
    [
      name.padEnd(14),
      String(g.count).padStart(7),
      String(g.errors).padStart(7),
      g.p50.toFixed(1).padStart(8),
      g.p95.toFixed(1).padStart(8),
      g.p99.toFixed(1).padStart(8),
      g.max.toFixed(1).padStart(8),
    ].join(" ");
  console.log(
    `${isLoad ? "load" : "mixed"} workload (${quick ? "quick" : "full"}): ${plan.rate} rps for ${plan.seconds} s, open loop; ` +
      `setup ${Math.round(setup.setupMs)} ms (${setup.data.seededRequests} demo applications, ${setup.data.applicantTokens.length} applicants)`,
  );
  console.log(
    [
      "operation".padEnd(14),
      "count".padStart(7),
      "errors".padStart(7),
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "max ms",
    ]
      .map((h, i) => (i < 3 ? h : h.padStart(8)))
      .join(" "),
  );
  console.log(row("health (base)", { ...health.latency, errors: health.errors }));
  for (const kind of kindOrder) {
    const group = run.byKind[kind];
    if (group) console.log(row(kind, group));
    for (const op of MIX.filter((m) => m.kind === kind)) {
      const named = run.byName[op.name];
      if (named) console.log(row(`  ${op.name}`, named));
    }
  }
  console.log(row("all", { ...run.latency, errors: run.errors }));
  console.log(
    `throughput ${run.throughput} rps; server RSS ${toMiB(rss[0] ?? null)} MiB at start, ${toMiB(rss.at(-1) ?? null)} MiB at end, peak ${toMiB(rss.length ? Math.max(...rss) : null)} MiB`,
  );
  for (const sample of run.errorSamples) console.log(`error: ${sample}`);
  if (isLoad) console.log(`highest rate held with p99 < ${P99_TARGET_MS} ms: ${maxRateHeld} rps`);

  const kinds = Object.fromEntries(
    kindOrder.flatMap((name) => {
      const g = run.byKind[name];
      return g
        ? [[name, { count: g.count, errors: g.errors, p50Ms: g.p50, p95Ms: g.p95, p99Ms: g.p99 }]]
        : [];
    }),
  );
  const summary = {
    mode: isLoad ? "load" : "mixed",
    rate: plan.rate,
    seconds: plan.seconds,
    requests: run.requests,
    errors: run.errors,
    throughput: run.throughput,
    p50Ms: run.latency.p50,
    p95Ms: run.latency.p95,
    p99Ms: run.latency.p99,
    maxMs: run.latency.max,
    healthP50Ms: health.latency.p50,
    healthP99Ms: health.latency.p99,
    p50Ratio: ratio(run.latency.p50, health.latency.p50),
    p99Ratio: ratio(run.latency.p99, health.latency.p99),
    kinds,
    staffEventFallbacks: setup.workload.eventFallbacks(),
    rssBootMiB: toMiB(measured.rssBoot),
    rssStartMiB: toMiB(rss[0] ?? null),
    rssMidMiB: toMiB(rss[Math.floor(rss.length / 2)] ?? null),
    rssEndMiB: toMiB(rss.at(-1) ?? null),
    rssPeakMiB: toMiB(rss.length ? Math.max(...rss) : null),
    rssEndRatio: rss.length ? ratio(rss.at(-1) as number, rss[0] as number) : null,
    rssEvery5sMiB: rss.filter((_, i) => i % 5 === 0).map((bytes) => toMiB(bytes)),
    ...(isLoad
      ? {
          p99TargetMs: P99_TARGET_MS,
          maxRateHeld,
          steps,
          rssAfterStepsMiB: toMiB(measured.rssFinal),
        }
      : {}),
    serverReadyMs: round(setup.server.readyMs),
    setupMs: round(setup.setupMs),
    serverExitCode: measured.exitCode,
  };
  console.log(JSON.stringify(summary));
  return run.errors === 0 && measured.exitCode === 0 ? 0 : 1;
}

process.exit(await main());
