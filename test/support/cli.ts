/**
 * Runs the administrator's CLI the way `npm run cli` does (tsx), as a child process with a controlled
 * environment: only PATH, HOME, TZ and the given variables, so nothing leaks in from the shell.
 */
import { spawn } from "node:child_process";
import { repoRoot, watchProcess } from "./serverProcess.ts";

/** How a CLI run ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `server/cli/index.ts` with `args`; killed after a minute so a hang fails the test instead. */
export function runCli(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/index.ts", ...args], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        TZ: "Asia/Shanghai",
        NODE_NO_WARNINGS: "1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const run = watchProcess(child);
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    void run.exited.then(({ code }) => {
      clearTimeout(timer);
      resolve({ code, stdout: run.stdout(), stderr: run.stderr() });
    });
  });
}
