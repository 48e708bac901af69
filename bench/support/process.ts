/**
 * Child processes for the benchmarks: a script run the way `npm start` runs the server
 * (`node --import tsx`), with a controlled environment, a bounded tail of its output for error
 * messages, and a stop that always ends it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

/** Repository root, the working directory of every child. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A running child. */
export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** The last few kilobytes of stdout and stderr, for error messages. */
  tail(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const TAIL_BYTES = 16 * 1024;

/**
 * Spawns `node --import tsx <script>` with only PATH, HOME, TZ and `env`.
 * @param script path relative to the repository root.
 * @param env variables for the child.
 * @param onLine called with every complete stdout line (the server logs JSON lines).
 */
export function spawnNode(
  script: string,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): NodeProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: "Asia/Shanghai", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  let partial = "";
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_BYTES);
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    keep(chunk);
    if (!onLine) return;
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
  child.stderr?.setEncoding("utf8").on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return { child, pid: child.pid ?? 0, tail: () => tail, exited, stop };
}

/**
 * Polls `url` every `intervalMs` until it answers 200; resolves with the moment it did
 * (`performance.now()`). Throws when the process exits first or `timeoutMs` passes.
 * @param url e.g. http://127.0.0.1:3000/api/health.
 * @param proc the process expected to answer.
 */
export async function waitForOk(
  url: string,
  proc: NodeProcess,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  let hasExited = false;
  void proc.exited.then(() => {
    hasExited = true;
  });
  while (performance.now() < deadline) {
    if (hasExited) throw new Error(`${url}: process exited before answering\n${proc.tail()}`);
    if ((await probe(url)) === 200) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5));
  }
  throw new Error(`${url}: no 200 within ${options.timeoutMs ?? 60_000} ms\n${proc.tail()}`);
}

/** One GET on a fresh connection; the status, or 0 when nothing listens yet. */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end();
  });
}
