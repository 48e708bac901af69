/**
 * Prints the figures of a results file as Markdown tables, for docs/BENCHMARKS.md:
 *   npx tsx bench/table.ts [bench/results.json]
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { repoRoot } from "./support/process.ts";
import type { Outcome } from "./support/runBenchmark.ts";

const file = resolve(process.argv[2] ?? resolve(repoRoot, "bench/results.json"));
const results = JSON.parse(await readFile(file, "utf8")) as {
  generatedAt: string;
  quick: boolean;
  machine: Record<string, unknown>;
  benchmarks: Record<string, Outcome>;
};

const show = (value: unknown) => (typeof value === "object" ? JSON.stringify(value) : String(value));
console.log(
  `Generated ${results.generatedAt}${results.quick ? " (--quick)" : ""}; machine ${show(results.machine)}`,
);
for (const [name, outcome] of Object.entries(results.benchmarks)) {
  console.log(
    `\n#### ${name} — ${outcome.status}${outcome.error ? ` (${outcome.error})` : ""}, ${Math.round(outcome.durationMs / 1000)} s\n`,
  );
  console.log("| figure | value |\n| --- | ---: |");
  for (const [key, value] of Object.entries(outcome.ratios))
    console.log(`| **${key}** | **${show(value)}** |`);
  for (const [key, value] of Object.entries(outcome.figures)) console.log(`| ${key} | ${show(value)} |`);
}
