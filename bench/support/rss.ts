/**
 * Resident memory of another process, read from `/proc/<pid>/status` (Linux), so a benchmark can watch
 * the server it spawned without instrumenting it.
 */
import { readFile } from "node:fs/promises";

/**
 * The process's VmRSS in bytes, or null where /proc is missing or the process has ended.
 * @param pid the process id.
 */
export async function rssOf(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/**
 * Bytes to mebibytes with one decimal (null stays null).
 * @param bytes a byte count or null.
 */
export function toMiB(bytes: number | null): number | null {
  return bytes === null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/**
 * CPU time another process has used so far (user + system, all threads), in milliseconds, from
 * `/proc/<pid>/stat`; null where /proc is missing. Its difference over a run, divided by the requests
 * served, is a cost per request that other load on the machine does not inflate the way it does
 * throughput.
 * @param pid the process id.
 */
export async function cpuMsOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / 100 : null;
  } catch {
    return null;
  }
}
