/**
 * Benchmark processes that talk over IPC: `fork` a TypeScript script the way the server runs
 * (`node --import tsx`), wait for its messages, stop it. Their stderr is kept for error messages.
 */
import { type ChildProcess, fork } from "node:child_process";
import { repoRoot } from "./process.ts";

/** A forked benchmark process. */
export interface Forked {
  child: ChildProcess;
  /** The next IPC message (rejects when the process exits first or `timeoutMs` passes). */
  next<T>(timeoutMs?: number): Promise<T>;
  /** Asks it to stop, then kills it after a grace period; resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * Forks `script` (relative to the repository root) with `env` added to PATH, HOME and TZ.
 * @param options.quiet send its stdout to /dev/null (the measured server's request log).
 */
export function forkScript(
  script: string,
  env: Record<string, string> = {},
  options: { quiet?: boolean } = {},
): Forked {
  const child = fork(script, [], {
    cwd: repoRoot,
    execArgv: ["--import", "tsx"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: "Asia/Shanghai", ...env },
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const queue: unknown[] = [];
  const waiting: Array<(message: unknown) => void> = [];
  child.on("message", (message) => {
    const take = waiting.shift();
    if (take) take(message);
    else queue.push(message);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    next: <T>(timeoutMs = 300_000) =>
      new Promise<T>((resolve, reject) => {
        if (queue.length > 0) return resolve(queue.shift() as T);
        const timer = setTimeout(
          () => reject(new Error(`${script}: no message in ${timeoutMs} ms\n${stderr}`)),
          timeoutMs,
        );
        const onExit = () => reject(new Error(`${script} exited (${child.exitCode})\n${stderr}`));
        child.once("exit", onExit);
        waiting.push((message) => {
          clearTimeout(timer);
          child.off("exit", onExit);
          resolve(message as T);
        });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ stop: true });
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
