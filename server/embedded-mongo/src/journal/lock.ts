/**
 * One owner per data directory, released by the holder's death rather than judged from a pid (§6.2).
 *
 * The lock is a listening socket, which the kernel closes when its process dies in any way (kill -9,
 * crash, zombie: a zombie has no open descriptors left). On Linux it is an abstract Unix socket named
 * after the directory's device and inode, so it leaves nothing on disk to go stale; elsewhere it is the
 * socket file `<dbPath>/mongod.lock.sock`, whose leftover is recognised because nobody answers on it.
 * Binding is atomic, so of two processes racing for one directory exactly one becomes the owner.
 *
 * `mongod.lock` then records the owner for others: pid, a random instance id, its Unix socket and TCP
 * port. A starter that finds the directory owned attaches only after a handshake over the owner's
 * socket in the directory returns that same instance id in `hello` — proof that the process answering
 * is the server that owns this directory, not a leftover socket file or a stranger reusing a pid.
 */

import { randomUUID } from "node:crypto";
import {
  chmodSync,
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { join, resolve } from "node:path";
import { deserialize } from "bson";
import { encodeMsg, OP_MSG } from "../wire/protocol.ts";

/** What the lock file records about its holder. */
export interface LockInfo {
  pid: number;
  /** Random per start; the owner's `hello` returns it as `embeddedInstanceId`. */
  instanceId: string;
  /** Absolute path of the owner's Unix socket (`<dbPath>/mongod.sock`). */
  socket: string;
  /** Loopback TCP port, 0 when the owner listens on its Unix socket only. */
  port: number;
  startedAt: string;
}

/** Thrown when a live server owns the directory; `info` tells where it listens. */
export class LockHeldError extends Error {
  readonly info: LockInfo;

  constructor(dbPath: string, info: LockInfo) {
    super(
      `${dbPath} is in use by process ${info.pid} (socket ${info.socket}${info.port ? `, port ${info.port}` : ""}, since ${info.startedAt})`,
    );
    this.name = "LockHeldError";
    this.info = info;
  }
}

/** The held lock of a data directory. */
export interface DirectoryLock {
  readonly instanceId: string;
  /** Where the owner serves clients: `<dbPath>/mongod.sock` (absolute). */
  readonly socketPath: string;
  /** Records the TCP port (0 = none) once the server listens. */
  update(port: number): void;
  /** Removes the lock file (if still ours) and lets go of the kernel lock. */
  release(): Promise<void>;
}

/** How long a starter waits for a live owner that does not answer yet (it may be recovering). */
const DEFAULT_WAIT_MS = 60_000;
const POLL_MS = 50;
/** sun_path holds 108 bytes on Linux and 104 on macOS, terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;

/** Names of the files the lock keeps in the data directory. */
export function lockPaths(dbPath: string): { lockFile: string; socket: string } {
  const dir = resolve(dbPath);
  return { lockFile: join(dir, "mongod.lock"), socket: join(dir, "mongod.sock") };
}

/**
 * Takes the directory lock, or throws LockHeldError once a handshake proves a live owner serves it.
 * A live owner that does not answer yet (still recovering its journal) is waited for up to `waitMs`.
 */
export async function acquireLock(dbPath: string, options: { waitMs?: number } = {}): Promise<DirectoryLock> {
  const { lockFile, socket } = lockPaths(dbPath);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `the data directory path is too long for its Unix socket ${socket} (at most ${MAX_SOCKET_PATH_BYTES} bytes); choose a shorter DATA_DIR`,
    );
  }
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    const kernelLock = await bindKernelLock(dbPath);
    if (kernelLock) {
      // Owner of the directory on this machine. A server from another network namespace (a second
      // container on the same volume) does not see our abstract socket, but its socket file answers.
      const other = await provenOwner(lockFile, socket);
      if (other) {
        await closeServer(kernelLock);
        throw new LockHeldError(dbPath, other);
      }
      return takeOwnership(kernelLock, lockFile, socket);
    }
    const holder = await provenOwner(lockFile, socket);
    if (holder) throw new LockHeldError(dbPath, holder);
    if (Date.now() >= deadline) {
      throw new Error(
        `${dbPath} is locked by a live process that does not answer on ${socket}; is another server still starting?`,
      );
    }
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

function takeOwnership(kernelLock: Server, lockFile: string, socket: string): DirectoryLock {
  const info: LockInfo = {
    pid: process.pid,
    instanceId: randomUUID(),
    socket,
    port: 0,
    startedAt: new Date().toISOString(),
  };
  // Whatever a dead owner left behind is ours to replace now.
  removeIfPresent(socket);
  writeLockFile(lockFile, info);
  let released = false;
  return {
    instanceId: info.instanceId,
    socketPath: socket,
    update(port: number) {
      info.port = port;
      writeLockFile(lockFile, info);
    },
    async release() {
      if (released) return;
      released = true;
      // Only remove the file while it is still ours, never a successor's.
      if (readLockFile(lockFile)?.instanceId === info.instanceId) removeIfPresent(lockFile);
      await closeServer(kernelLock);
    },
  };
}

/** Binds the kernel lock for `dbPath`; null when a live process holds it. */
async function bindKernelLock(dbPath: string): Promise<Server | null> {
  if (process.platform === "linux") {
    // The directory's identity, so that two spellings of one path (symlinks, relative paths) collide.
    const { dev, ino } = statSync(dbPath);
    return listenOn(`\0govinfo-embedded-mongo/${dev}:${ino}`);
  }
  const path = join(resolve(dbPath), "mongod.lock.sock");
  const server = await listenOn(path);
  if (server) return server;
  // A socket file nobody answers on was left by a dead holder: replace it once.
  if (await answers(path)) return null;
  removeIfPresent(path);
  return listenOn(path);
}

function listenOn(path: string): Promise<Server | null> {
  return new Promise((resolveBind, reject) => {
    // The lock socket serves nothing: a connection to it is closed at once.
    const server = createServer((connection) => connection.destroy());
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") resolveBind(null);
      else reject(error);
    });
    server.listen({ path, exclusive: true }, () => {
      // The lock must not keep a process alive that has nothing else to do.
      server.unref();
      if (!path.startsWith("\0")) chmodSync(path, 0o600);
      resolveBind(server);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => server.close(() => done()));
}

/** True when something accepts connections on the Unix socket `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const connection = createConnection({ path });
    connection.once("connect", () => {
      connection.destroy();
      done(true);
    });
    connection.once("error", () => done(false));
  });
}

/**
 * The lock file's owner if the server answering on its socket says `hello` with the recorded instance
 * id; null for a missing or unreadable lock file, a socket nobody answers on, or another instance.
 */
async function provenOwner(lockFile: string, socket: string): Promise<LockInfo | null> {
  const info = readLockFile(lockFile);
  if (!info) return null;
  // The socket in this directory, never one the file names: only its owner can serve there.
  const hello = await helloOverSocket(socket, 2_000);
  return hello?.embeddedInstanceId === info.instanceId ? { ...info, socket } : null;
}

/** Sends one `hello` over the Unix socket `path`; its reply, or null on any failure or timeout. */
export function helloOverSocket(path: string, timeoutMs: number): Promise<Record<string, unknown> | null> {
  return new Promise((done) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const finish = (reply: Record<string, unknown> | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.destroy();
      done(reply);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const connection = createConnection({ path });
    connection.once("connect", () => {
      // A request is framed like a reply; responseTo is 0 for a request.
      connection.write(encodeMsg(0, { hello: 1, $db: "admin" }));
    });
    connection.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const length = received.readInt32LE(0);
      if (length < 21 || length > 1_000_000) return finish(null);
      if (received.length < length) return;
      // Header (16 bytes), flag bits (4), section kind 0 (1), then the reply document.
      if (received.readInt32LE(12) !== OP_MSG || received[20] !== 0) return finish(null);
      try {
        finish(deserialize(received.subarray(21, length)));
      } catch {
        finish(null);
      }
    });
    connection.once("error", () => finish(null));
    connection.once("close", () => finish(null));
  });
}

/** Writes the lock file atomically: readers never see a half-written one. */
function writeLockFile(path: string, info: LockInfo): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeFileSync(fd, `${JSON.stringify(info)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Parses the lock file; null when it is missing or unreadable (then it proves nothing). */
export function readLockFile(path: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockInfo>;
    if (typeof parsed.instanceId !== "string" || typeof parsed.socket !== "string") return null;
    return {
      pid: Number(parsed.pid) || 0,
      instanceId: parsed.instanceId,
      socket: parsed.socket,
      port: Number(parsed.port) || 0,
      startedAt: String(parsed.startedAt ?? ""),
    };
  } catch {
    return null;
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
