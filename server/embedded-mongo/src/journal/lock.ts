/**
 * The dbPath lock file (§6.2): one writer per data directory. A second process reads the holder's port
 * from it and connects there instead of opening the data.
 */

import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** What the lock file records about its holder. */
export interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
}

/** Thrown when a live process holds the lock; `info` tells where it listens. */
export class LockHeldError extends Error {
  readonly info: LockInfo;

  constructor(dbPath: string, info: LockInfo) {
    super(`${dbPath} is in use by process ${info.pid} (port ${info.port}, since ${info.startedAt})`);
    this.name = "LockHeldError";
    this.info = info;
  }
}

/** Takes <dbPath>/mongod.lock (or throws LockHeldError); returns release() and update(port). */
export function acquireLock(dbPath: string): { release(): void; update(port: number): void } {
  mkdirSync(dbPath, { recursive: true });
  const path = join(dbPath, "mongod.lock");
  const info: LockInfo = { pid: process.pid, port: 0, startedAt: new Date().toISOString() };
  // Two rounds: the second follows a stale-lock takeover; losing that race to another taker throws.
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(path, info)) break;
    const holder = readLock(path);
    if (holder && isAlive(holder.pid)) throw new LockHeldError(dbPath, holder);
    if (attempt > 0) throw new Error(`cannot take over the stale lock ${path}`);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return {
    release() {
      // Only remove the file if it is still ours, never a successor's.
      if (readLock(path)?.pid === process.pid) unlinkSync(path);
    },
    update(port: number) {
      info.port = port;
      const tmp = `${path}.${process.pid}.tmp`;
      writeDurably(tmp, info);
      renameSync(tmp, path); // atomic: readers never see a half-written lock
    },
  };
}

/**
 * Creates the lock with its content already in place: the content goes to a private temp file that is then
 * hard-linked to the lock name, which fails atomically like "wx" but never exposes an empty lock file.
 */
function tryCreate(path: string, info: LockInfo): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeDurably(tmp, info);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

function writeDurably(path: string, info: LockInfo): void {
  const fd = openSync(path, "w");
  try {
    writeFileSync(fd, `${JSON.stringify(info)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Parses the lock file; null when it is missing or unreadable (both count as stale). */
function readLock(path: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockInfo>;
    if (typeof parsed.pid !== "number" || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, port: Number(parsed.port) || 0, startedAt: String(parsed.startedAt ?? "") };
  } catch {
    return null;
  }
}

/** Signal 0 probes for existence; EPERM means the process exists but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
