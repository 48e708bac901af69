/**
 * Open-loop load at a fixed arrival rate: request i is due at start + i/rate whatever happened to the
 * earlier ones, so a slow server cannot slow the arrivals down (no coordinated omission). Latency is
 * measured from the moment a request was due, so it includes any wait for a connection or for the
 * event loop of the generator, as a user's would.
 *
 * Bounded by construction: arrivals stop after `seconds`, and every request carries a timeout, so a
 * phase ends at most `timeoutMs` after its last arrival.
 */
import { rssOf } from "./rss.ts";
import { type LatencySummary, round, summarize } from "./stats.ts";

/** One request of the workload; `send` resolves once the response is read and checked, else throws. */
export interface Operation {
  /** The group it is reported under (browse, search, apply, staff). */
  kind: string;
  /** The operation within the group (catalogueList, staffEvent…). */
  name: string;
  send(): Promise<void>;
}

/** Latency and errors of one group of requests. */
export interface GroupResult extends LatencySummary {
  errors: number;
}

/** What a phase measured. */
export interface PhaseResult {
  rate: number;
  seconds: number;
  /** Requests sent (rate × seconds). */
  requests: number;
  errors: number;
  /** The first few error messages, to say what went wrong. */
  errorSamples: string[];
  /** Completed requests per second of the phase (arrivals to last completion). */
  throughput: number;
  latency: LatencySummary;
  byKind: Record<string, GroupResult>;
  byName: Record<string, GroupResult>;
  /** Server RSS samples in bytes, one per second (empty without a pid or /proc). */
  rss: number[];
}

/** Options of `runFixedRate`. */
export interface PhaseOptions {
  rate: number;
  seconds: number;
  /** The i-th operation; called at its due time. */
  next(i: number): Operation;
  /** The server process whose RSS is sampled once a second. */
  pid?: number;
}

/**
 * Runs one phase and resolves when every request has finished.
 * @param options rate (per second), duration, the operation picker and the server pid.
 */
export async function runFixedRate(options: PhaseOptions): Promise<PhaseResult> {
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const samples: { kind: string; name: string; ms: number; ok: boolean }[] = [];
  const errorSamples: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const rss: number[] = [];
  const sampleRss = async () => {
    if (!options.pid) return;
    const bytes = await rssOf(options.pid);
    if (bytes !== null) rss.push(bytes);
  };
  await sampleRss();
  const sampler = setInterval(() => void sampleRss(), 1000);

  const fire = (i: number, dueAt: number) => {
    const op = options.next(i);
    const done = op.send().then(
      () => {
        samples.push({ kind: op.kind, name: op.name, ms: performance.now() - dueAt, ok: true });
      },
      (error: unknown) => {
        samples.push({ kind: op.kind, name: op.name, ms: performance.now() - dueAt, ok: false });
        if (errorSamples.length < 10) errorSamples.push(`${op.name}: ${describe(error)}`);
      },
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  const start = performance.now();
  let i = 0;
  while (i < total) {
    const now = performance.now();
    while (i < total && start + i * interval <= now) {
      fire(i, start + i * interval);
      i++;
    }
    if (i < total) await sleep(start + i * interval - performance.now());
  }
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  const elapsed = performance.now() - start;
  clearInterval(sampler);
  await sampleRss();

  return {
    rate: options.rate,
    seconds: options.seconds,
    requests: total,
    errors: samples.filter((s) => !s.ok).length,
    errorSamples,
    throughput: round((samples.filter((s) => s.ok).length / elapsed) * 1000, 1),
    latency: summarize(samples.map((s) => s.ms)),
    byKind: groupBy(samples, (s) => s.kind),
    byName: groupBy(samples, (s) => s.name),
    rss,
  };
}

function groupBy(
  samples: { kind: string; name: string; ms: number; ok: boolean }[],
  keyOf: (s: { kind: string; name: string }) => string,
): Record<string, GroupResult> {
  const groups = new Map<string, { ms: number[]; errors: number }>();
  for (const sample of samples) {
    const group = groups.get(keyOf(sample)) ?? { ms: [], errors: 0 };
    group.ms.push(sample.ms);
    if (!sample.ok) group.errors++;
    groups.set(keyOf(sample), group);
  }
  return Object.fromEntries(
    [...groups].map(([key, group]) => [key, { ...summarize(group.ms), errors: group.errors }]),
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
