/**
 * `npm run bench`'s collection: a summary splits into figures and ratios, a benchmark that fails is
 * recorded as failed with what it printed, and the runner writes results.json in the agreed shape
 * (run here on the cheapest benchmark only).
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { test } from "node:test";
import { splitFigures } from "../../bench/support/results.ts";
import { runBenchmark } from "../../bench/support/runBenchmark.ts";
import { repoRoot } from "../support/serverProcess.ts";
import { createTempDir } from "../support/tempDir.ts";

test("a summary splits into flat figures and the ratios against the baseline", () => {
  const { figures, ratios } = splitFigures({
    listRps: 900,
    listRatio: 0.5,
    insertMany: { embeddedMs: 12, ratio: 1.5 },
    steps: [{ rate: 10 }],
    rssEndRatio: null,
  });
  assert.deepEqual(figures, { listRps: 900, "insertMany.embeddedMs": 12, steps: [{ rate: 10 }] });
  assert.deepEqual(ratios, { listRatio: 0.5, "insertMany.ratio": 1.5, rssEndRatio: null });
});

test("a benchmark that exits non-zero is failed but keeps its figures", { timeout: 60_000 }, async () => {
  const dir = await createTempDir("bench-failing");
  try {
    const script = join(dir.path, "failing.ts");
    await writeFile(
      script,
      'console.log("table");\nconsole.log(JSON.stringify({ errors: 2, p99Ratio: 3 }));\nprocess.exit(1);\n',
    );
    const outcome = await runBenchmark(relative(repoRoot, script), [], { timeLimitMs: 50_000, echo: false });
    assert.equal(outcome.status, "failed");
    assert.equal(outcome.exitCode, 1);
    assert.equal(outcome.error, "exited with 1");
    assert.deepEqual(outcome.figures, { errors: 2 });
    assert.deepEqual(outcome.ratios, { p99Ratio: 3 });
  } finally {
    await dir.remove();
  }
});

test("npm run bench writes results.json with the machine and each benchmark", {
  timeout: 600_000,
}, async () => {
  const dir = await createTempDir("bench-results");
  try {
    const out = join(dir.path, "results.json");
    const outcome = await runBenchmark("bench/run-all.ts", ["--quick", "--only", "weapp", "--out", out], {
      timeLimitMs: 590_000,
      echo: false,
    });
    assert.equal(outcome.status, "ok", outcome.error);
    const results = JSON.parse(await readFile(out, "utf8")) as {
      generatedAt: string;
      quick: boolean;
      machine: { cpus: number; node: string; platform: string };
      benchmarks: Record<
        string,
        { status: string; figures: Record<string, unknown>; ratios: Record<string, unknown> }
      >;
    };
    assert.ok(!Number.isNaN(Date.parse(results.generatedAt)));
    assert.equal(results.quick, true);
    assert.ok(results.machine.cpus >= 1);
    assert.equal(results.machine.node, process.version);
    assert.deepEqual(Object.keys(results.benchmarks), ["weapp"]);
    const weapp = results.benchmarks.weapp;
    assert.equal(weapp?.status, "ok");
    assert.equal(typeof weapp?.figures.mainBytes, "number");
    const subpackages = Object.keys(weapp?.figures ?? {}).filter((key) => key.startsWith("subpackages."));
    assert.ok(subpackages.length >= 1, "nested figures are flattened to dotted names");
    assert.equal(typeof weapp?.ratios.mainRatio, "number");
  } finally {
    await dir.remove();
  }
});
