/**
 * Runs every benchmark one after another and collects their figures:
 *   npm run bench [-- --quick] [-- --only db,startup] [-- --out FILE]
 *
 * Each benchmark runs as its own child process (`node --import tsx bench/<name>.ts`, with `--quick`
 * passed through); its output is shown as it comes, and its last line is parsed as the JSON summary
 * every benchmark prints. The results go to `bench/results.json` (or `--out`):
 *   { generatedAt, quick, machine: { cpus, cpuModel, node, platform, memoryMiB, loadAverage },
 *     benchmarks: { <name>: { status, durationMs, exitCode, figures, ratios, error? } } }
 * where `ratios` holds every figure whose name says it is a ratio against the baseline measured in
 * that same run, and `figures` the rest (nested objects flattened to dotted names). A benchmark that
 * exits non-zero, prints no JSON last line or overruns its time limit is recorded as failed, the
 * others still run, and the command exits 1 at the end.
 */
import { writeFile } from "node:fs/promises";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./support/process.ts";
import { type Outcome, runBenchmark } from "./support/runBenchmark.ts";

/** The benchmarks, in the order they run (the cheap in-process ones first). */
const BENCHMARKS: readonly { name: string; script: string; args?: string[] }[] = [
  { name: "db", script: "bench/db.ts" },
  { name: "catalogue", script: "bench/catalogue.ts" },
  { name: "report", script: "bench/report.ts" },
  { name: "scale", script: "bench/scale.ts" },
  { name: "startup", script: "bench/startup.ts" },
  { name: "weapp", script: "bench/weapp.ts" },
  { name: "mobile", script: "bench/mobile.ts" },
  { name: "mixed", script: "bench/mixed.ts" },
  { name: "load", script: "bench/mixed.ts", args: ["--load"] },
];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const quick = values.quick;
const only = values.only?.split(",").map((name) => name.trim());
const outFile = resolve(values.out ?? resolve(repoRoot, "bench/results.json"));
const TIME_LIMIT_MS = quick ? 10 * 60_000 : 30 * 60_000;

async function main(): Promise<number> {
  const chosen = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  const unknown = (only ?? []).filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(", ")}`);
  const loadBefore = loadavg();
  const benchmarks: Record<string, Outcome> = {};
  for (const bench of chosen) {
    console.log(
      `\n=== ${bench.name} (${[bench.script, ...(bench.args ?? [])].join(" ")}${quick ? " --quick" : ""})`,
    );
    benchmarks[bench.name] = await runBenchmark(
      bench.script,
      [...(bench.args ?? []), ...(quick ? ["--quick"] : [])],
      {
        timeLimitMs: TIME_LIMIT_MS,
      },
    );
  }
  const results = {
    generatedAt: new Date().toISOString(),
    quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${platform()} ${arch()}`,
      memoryMiB: Math.round(totalmem() / 1024 / 1024),
      loadAverage: {
        before: loadBefore.map((n) => Math.round(n * 100) / 100),
        after: loadavg().map((n) => Math.round(n * 100) / 100),
      },
    },
    benchmarks,
  };
  await writeFile(outFile, `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\nbenchmarks (${quick ? "quick" : "full"}) → ${outFile}`);
  for (const [name, outcome] of Object.entries(benchmarks)) {
    const ratios = Object.entries(outcome.ratios)
      .map(([key, value]) => `${key} ${value}`)
      .join(", ");
    console.log(
      `${name.padEnd(10)} ${outcome.status.padEnd(7)} ${`${Math.round(outcome.durationMs / 1000)} s`.padStart(6)}  ${outcome.error ?? ratios}`,
    );
  }
  const failed = Object.values(benchmarks).filter((o) => o.status === "failed").length;
  console.log(JSON.stringify({ benchmarks: chosen.length, failed, out: outFile }));
  return failed === 0 ? 0 : 1;
}

process.exit(await main());
