/**
 * The catalogue benchmark's load generator, in its own process (never in the measured server's
 * event loop): autocannon with a fixed number of connections for a fixed time over a list of paths,
 * every response's own latency kept for the percentiles (autocannon reports no p95). Run with `fork`:
 * receives one `LoadPlan` over IPC, answers with one `LoadResult`, then exits.
 */
import autocannon from "autocannon";
import { percentile, round } from "./stats.ts";

/** What to send. */
export interface LoadPlan {
  url: string;
  paths: string[];
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

/** What one run measured. */
export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  bytesPerResponse: number;
}

process.once("message", async (plan: LoadPlan) => {
  const times: number[] = [];
  let bytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.url,
        connections: plan.connections,
        duration: plan.seconds,
        headers: plan.headers,
        requests: plan.paths.map((path) => ({ method: "GET", path })),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, resBytes, responseTime) => {
      times.push(responseTime);
      bytes += resBytes;
    });
  });
  times.sort((a, b) => a - b);
  const answer: LoadResult = {
    rps: Math.round(result.requests.average),
    p50: round(percentile(times, 50), 2),
    p95: round(percentile(times, 95), 2),
    p99: round(percentile(times, 99), 2),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytesPerResponse: times.length === 0 ? 0 : Math.round(bytes / times.length),
  };
  process.send?.(answer, () => process.exit(0));
});
