/**
 * Sizes of the WeChat mini-program build against WeChat's per-package cap:
 *   npm run bench:weapp [-- --quick]
 *
 * Reads `client/miniapp/dist/weapp` (building it first when it is missing; the full run also rebuilds
 * it when the sources are newer, `--quick` measures what is there) and adds up the bytes WeChat
 * uploads: the main package is everything outside the subpackage roots of app.json, each subpackage
 * its own root (source maps and the build stamp are not uploaded). The baseline is WeChat's cap of
 * 2 MB per package (main or sub), so each ratio says how much of the allowance a package uses; the
 * total is also set against the 20 MB cap on the whole mini-program.
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { ensureBuilt, miniappDir } from "../test/client/miniapp/build.ts";
import { ratio } from "./support/stats.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });

/** WeChat's limits: 2 MB for the main package and for each subpackage, 20 MB in all. */
const PACKAGE_CAP_BYTES = 2 * 1024 * 1024;
const TOTAL_CAP_BYTES = 20 * 1024 * 1024;

function sizeOf(path: string, skip: (p: string) => boolean = () => false): number {
  if (skip(path)) return 0;
  const info = statSync(path);
  if (info.isFile()) return path.endsWith(".map") || path.endsWith(".built-from-sources") ? 0 : info.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name), skip), 0);
}

function main(): void {
  const distDir = join(miniappDir, "dist", "weapp");
  const isPresent = existsSync(join(distDir, "app.json"));
  const buildStarted = performance.now();
  const dist = values.quick && isPresent ? distDir : ensureBuilt("weapp");
  const buildMs = Math.round(performance.now() - buildStarted);
  const app = JSON.parse(readFileSync(join(dist, "app.json"), "utf8")) as {
    subPackages?: { root: string }[];
  };
  const roots = (app.subPackages ?? []).map((sub) => join(dist, sub.root));
  const mainBytes = sizeOf(dist, (p) => roots.includes(p));
  const subpackages = Object.fromEntries(roots.map((root) => [relative(dist, root), sizeOf(root)]));
  const subSizes = Object.values(subpackages);
  const largestSubBytes = Math.max(0, ...subSizes);
  const totalBytes = mainBytes + subSizes.reduce((sum, n) => sum + n, 0);

  const line = (label: string, bytes: number) =>
    `${label.padEnd(26)}${String(bytes).padStart(10)}${String(ratio(bytes, PACKAGE_CAP_BYTES)).padStart(10)}`;
  console.log(`weapp package sizes (${dist}); cap ${PACKAGE_CAP_BYTES} bytes per package`);
  console.log(`${"package".padEnd(26)}${"bytes".padStart(10)}${"vs cap".padStart(10)}`);
  console.log(line("main", mainBytes));
  for (const [root, bytes] of Object.entries(subpackages)) console.log(line(root, bytes));
  console.log(`total ${totalBytes} bytes (${ratio(totalBytes, TOTAL_CAP_BYTES)} of the 20 MB cap)`);
  console.log(
    JSON.stringify({
      capBytes: PACKAGE_CAP_BYTES,
      mainBytes,
      mainRatio: ratio(mainBytes, PACKAGE_CAP_BYTES),
      largestSubpackageBytes: largestSubBytes,
      largestSubpackageRatio: ratio(largestSubBytes, PACKAGE_CAP_BYTES),
      subpackages,
      totalBytes,
      totalRatio: ratio(totalBytes, TOTAL_CAP_BYTES),
      packages: 1 + roots.length,
      buildMs,
    }),
  );
}

main();
