// Command line for the unified-format spec runner:
//   npm run test:spec -- <folder|file.json> [...] [--grep <text>] [--verbose] [--timeout <ms>]
// Prints one line per test, the skips grouped by reason, and as its last line `N passed, N failed, N skipped`.
// Exits with status 1 when any test failed. Set MONGO_TEST_URI to run against a real MongoDB instead of the
// in-process embedded server (see runner.ts).
import { formatResult, formatSkipGroups, formatTotals } from "./report.ts";
import { runFolders } from "./runner.ts";

interface CliArgs {
  paths: string[];
  grep?: string;
  verbose: boolean;
  timeoutMs?: number;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { paths: [], verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--verbose" || arg === "-v") args.verbose = true;
    else if (arg === "--grep") args.grep = argv[++i];
    else if (arg.startsWith("--grep=")) args.grep = arg.slice("--grep=".length);
    else if (arg === "--timeout") args.timeoutMs = Number(argv[++i]);
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
  console.log("");
  console.log(formatTotals(summary));
  return summary.failed > 0 ? 1 : 0;
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
