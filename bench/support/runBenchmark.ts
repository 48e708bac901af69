/**
 * Runs one benchmark script as a child process for `npm run bench`: shows its output as it comes,
 * parses its last line as the JSON summary, and files the figures and ratios. A benchmark that exits
 * non-zero, ends without a JSON last line or overruns its time limit is failed, keeping whatever
 * figures it printed.
 */
import { spawn } from "node:child_process";
import { repoRoot } from "./process.ts";
import { splitFigures } from "./results.ts";

/** One benchmark's entry in results.json. */
export interface Outcome {
  status: "ok" | "failed";
  durationMs: number;
  exitCode: number | null;
  figures: Record<string, unknown>;
  ratios: Record<string, number | null>;
  error?: string;
}

/**
 * Runs `node --import tsx <script> <args>` from the repository root.
 * @param script path relative to the repository root.
 * @param args arguments (`--quick` included when wanted).
 * @param options the time limit, and whether to echo the child's stdout (default true).
 */
export async function runBenchmark(
  script: string,
  args: string[],
  options: { timeLimitMs: number; echo?: boolean },
): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, TZ: "Asia/Shanghai" },
    stdio: ["ignore", "pipe", options.echo === false ? "ignore" : "inherit"],
    // Its own process group, so a timeout or Ctrl+C also ends the server processes it spawned.
    detached: true,
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      // Already gone.
    }
  };
  const handleSignal = () => {
    killGroup("SIGTERM");
    process.exit(130);
  };
  process.once("SIGINT", handleSignal);
  process.once("SIGTERM", handleSignal);
  let lastLines = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    if (options.echo !== false) process.stdout.write(chunk);
    lastLines = (lastLines + chunk).slice(-256 * 1024);
  });
  let isTimedOut = false;
  const timer = setTimeout(() => {
    isTimedOut = true;
    killGroup("SIGKILL");
  }, options.timeLimitMs);
  const exitCode = await new Promise<number | null>((done) => child.once("close", (code) => done(code)));
  clearTimeout(timer);
  process.off("SIGINT", handleSignal);
  process.off("SIGTERM", handleSignal);
  const summary = lastJsonObject(lastLines);
  const { figures, ratios } = splitFigures(summary ?? {});
  const error = isTimedOut
    ? `killed after ${options.timeLimitMs} ms`
    : exitCode !== 0
      ? `exited with ${exitCode}`
      : summary === undefined
        ? "the last line of output is not a JSON object"
        : undefined;
  return {
    status: error === undefined ? "ok" : "failed",
    durationMs: Math.round(performance.now() - started),
    exitCode,
    figures,
    ratios,
    ...(error === undefined ? {} : { error }),
  };
}

function lastJsonObject(output: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(output.trimEnd().split("\n").at(-1) ?? "");
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
