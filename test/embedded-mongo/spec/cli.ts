// Command line for the unified-format spec runner:
//   npm run test:spec -- <folder|file.json> [...] [--grep <text>] [--verbose] [--timeout <ms>] [--pin]
// Prints one line per test, the skips grouped by reason, the comparison with the pins of each folder in
// spec-manifest.json (see manifest.ts), and as its last line `N passed, N failed, N skipped`.
// Exits with status 1 when any test failed or a pinned folder regressed. `--pin` rewrites the pins of the
// folders run (whole folders, no --grep, no failures) to this run's outcome: to raise them after a fix. Set MONGO_TEST_URI to run against a real MongoDB instead of the
// in-process embedded server (see runner.ts).
import { basename, resolve } from "node:path";
import { checkFolder, loadManifest, skipCategory, writePins } from "./manifest.ts";
import { formatResult, formatSkipGroups, formatTotals } from "./report.ts";
import { runFolders } from "./runner.ts";

interface CliArgs {
  paths: string[];
  grep?: string;
  verbose: boolean;
  timeoutMs?: number;
  pin: boolean;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { paths: [], verbose: false, pin: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--verbose" || arg === "-v") args.verbose = true;
    else if (arg === "--grep") args.grep = argv[++i];
    else if (arg.startsWith("--grep=")) args.grep = arg.slice("--grep=".length);
    else if (arg === "--timeout") args.timeoutMs = Number(argv[++i]);
    else if (arg === "--pin") args.pin = true;
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else args.paths.push(arg);
  }
  if (args.paths.length === 0) {
    throw new Error(
      "usage: test:spec -- <folder|file.json> [...] [--grep <text>] [--verbose] [--timeout <ms>]",
    );
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const summary = await runFolders(args.paths, {
    grep: args.grep,
    testTimeoutMs: args.timeoutMs,
    onResult: (result) => console.log(formatResult(result, args.verbose)),
  });
  const skips = formatSkipGroups(summary.results);
  if (skips) console.log(skips);
  const byCategory = new Map<string, number>();
  for (const r of summary.results) {
    if (r.status !== "skip") continue;
    const reason = r.reason ?? "";
    const category = reason.startsWith("server NotImplemented:")
      ? "feature (238 NotImplemented)"
      : (skipCategory(reason) ?? "unexplained");
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
  }
  if (byCategory.size > 0) {
    console.log(`\nSkips by cause: ${[...byCategory].map(([c, n]) => `${n} ${c}`).join(", ")}`);
  }
  let regressed = false;
  const folders = args.paths.filter((path) => !path.endsWith(".json")).map((path) => basename(resolve(path)));
  const manifest = loadManifest();
  for (const folder of folders) {
    const results = summary.results.filter((r) => r.file.startsWith(`${folder}/`));
    if (args.pin) {
      if (args.grep !== undefined || summary.failed > 0)
        throw new Error("--pin needs a whole folder without failures");
      writePins(folder, results);
      console.log(`\npinned ${results.length} tests of ${folder} in spec-manifest.json`);
      continue;
    }
    if (args.grep !== undefined || manifest[folder] === undefined) continue;
    const check = checkFolder(manifest[folder], results);
    for (const line of check.newlyPassing) console.log(`newly passing (raise the pin with --pin): ${line}`);
    for (const line of check.problems) console.log(`REGRESSION against the pins: ${line}`);
    if (check.problems.length > 0) regressed = true;
  }
  console.log("");
  console.log(formatTotals(summary));
  return summary.failed > 0 || regressed ? 1 : 0;
}

/** Sets the exit status and lets stdout drain; forces the exit if a stray handle would keep the process alive. */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}

main().then(finish, (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  finish(2);
});
