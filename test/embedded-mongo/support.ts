/**
 * Shared fixtures for the embedded-mongo conformance suite: one in-memory server per test file, driver
 * clients that are closed afterwards, throwaway data directories, the CLI as a child process, and a raw
 * socket for hand-built wire frames.
 *
 * Set MONGO_TEST_URI to run the driver-level tests against another server (e.g. a real mongod);
 * tests that need the embedded server itself (raw frames, modes, child processes) ignore it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { type EmbeddedMongo, type EmbeddedMongoOptions, startEmbeddedMongo } from "@govinfo/embedded-mongo";
import { BSON, type Document, MongoClient, type MongoClientOptions } from "mongodb";

/** Repository root. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI entry, run with `node --import tsx`. */
export const cliPath = join(repoRoot, "server/embedded-mongo/src/cli.ts");

/** A server shared by the tests of one file, with clients tracked for cleanup. */
export interface ServerFixture {
  /** The connection string (with directConnection=true for the embedded server). */
  readonly uri: string;
  /** The embedded server, or null when MONGO_TEST_URI points elsewhere. */
  readonly server: EmbeddedMongo | null;
  readonly port: number;
  /**
   * Resolves once the server is up. Node 20 runs root-level `before` hooks concurrently, so a file's own
   * root `before` must await this before using `uri`.
   */
  readonly ready: Promise<void>;
  /** A connected driver client, closed in `after`. */
  client(options?: MongoClientOptions, uri?: string): Promise<MongoClient>;
  /** Registers an extra cleanup that runs (first) in `after`. */
  onClose(fn: () => Promise<unknown> | unknown): void;
}

/**
 * Starts an in-memory server in `before` and closes it (and every client) in `after`.
 * `external: true` lets MONGO_TEST_URI replace it.
 */
export function useServer(
  options: Partial<EmbeddedMongoOptions> & { external?: boolean } = {},
): ServerFixture {
  const { external = true, ...serverOptions } = options;
  let server: EmbeddedMongo | null = null;
  let uri = "";
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const externalUri = external ? process.env.MONGO_TEST_URI : undefined;
  let markReady: () => void = () => {};
  let markFailed: (error: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => {});
  before(async () => {
    try {
      if (externalUri) {
        uri = externalUri;
      } else {
        server = await startEmbeddedMongo({ inMemory: true, port: 0, testCommands: true, ...serverOptions });
        uri = server.uri;
      }
      markReady();
    } catch (error) {
      markFailed(error);
      throw error;
    }
  });
  after(async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // cleanup failures must not hide test results
      }
    }
    await server?.close();
  });
  const fixture: ServerFixture = {
    get uri() {
      return uri;
    },
    get server() {
      return server;
    },
    get port() {
      if (server) return server.port;
      return Number(new URL(uri.replace(/^mongodb(\+srv)?:/, "http:")).port);
    },
    ready,
    async client(clientOptions: MongoClientOptions = {}, otherUri?: string) {
      await ready;
      const client = new MongoClient(otherUri ?? uri, { serverSelectionTimeoutMS: 5000, ...clientOptions });
      cleanups.push(() => client.close(true));
      await client.connect();
      return client;
    },
    onClose(fn) {
      cleanups.push(fn);
    },
  };
  return fixture;
}

/** A fresh empty directory and its removal. */
export async function tempDir(prefix = "emc"): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `govinfo-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A CLI child process with its captured output. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the URI from the "ready" line; rejects if the process exits first or the timeout passes. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal if still running and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const liveChildren = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveChildren) child.kill("SIGKILL");
});

/** Spawns `node --import tsx server/embedded-mongo/src/cli.ts ...args`. */
export function spawnCli(args: string[], readyTimeoutMs = 30_000): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", cliPath, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: process.env.TZ ?? "UTC" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveChildren.add(child);
  let stdout = "";
  let stderr = "";
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      liveChildren.delete(child);
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`CLI not ready after ${readyTimeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, readyTimeoutMs);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /^ready (\S+)$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `CLI exited (code ${code}, signal ${signal}) before ready\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    });
  });
  ready.catch(() => {}); // callers that expect a failed start only look at `exited`
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    ready,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (exitInfo) return exitInfo;
      child.kill(signal);
      const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timeout);
      }
    },
  };
}

/** Resolves with the exit of a process expected to stop on its own, killing it after `timeoutMs`. */
export async function expectExit(
  cli: CliProcess,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timer = setTimeout(() => cli.child.kill("SIGKILL"), timeoutMs);
  try {
    return await cli.exited;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Raw wire protocol

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const MORE_TO_COME = 1 << 1;

/** A parsed reply frame. */
export interface RawMessage {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
  /** OP_MSG flagBits or OP_REPLY responseFlags. */
  flags: number;
  /** The (first) body document. */
  doc: Document;
  /** OP_REPLY only. */
  reply?: { cursorId: bigint; startingFrom: number; numberReturned: number };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

/** Builds an OP_MSG: one kind-0 body plus optional kind-1 document sequences. */
export function opMsg(
  requestId: number,
  body: Document,
  options: { flags?: number; sequences?: { id: string; docs: Document[] }[] } = {},
): Buffer {
  const parts: Buffer[] = [];
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0, 0);
  parts.push(flags, Buffer.from([0]), Buffer.from(BSON.serialize(body)));
  for (const seq of options.sequences ?? []) {
    const docs = seq.docs.map((doc) => Buffer.from(BSON.serialize(doc)));
    const id = Buffer.from(`${seq.id}\0`, "utf8");
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.reduce((n, d) => n + d.length, 0), 0);
    parts.push(Buffer.from([1]), size, id, ...docs);
  }
  const payload = Buffer.concat(parts);
  return Buffer.concat([header(16 + payload.length, requestId, 0, OP_MSG), payload]);
}

/** Builds a legacy OP_QUERY on `ns` (e.g. "admin.$cmd") with numberToReturn -1. */
export function opQuery(requestId: number, ns: string, query: Document): Buffer {
  const flags = Buffer.alloc(4);
  const nsBuf = Buffer.from(`${ns}\0`, "utf8");
  const numbers = Buffer.alloc(8);
  numbers.writeInt32LE(0, 0); // numberToSkip
  numbers.writeInt32LE(-1, 4); // numberToReturn
  const payload = Buffer.concat([flags, nsBuf, numbers, Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + payload.length, requestId, 0, OP_QUERY), payload]);
}

/** A frame with an arbitrary header and payload. */
export function rawFrame(
  opCode: number,
  requestId: number,
  payload: Buffer,
  declaredLength?: number,
): Buffer {
  return Buffer.concat([header(declaredLength ?? 16 + payload.length, requestId, 0, opCode), payload]);
}

/** A raw TCP connection that parses reply frames. */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private readonly messages: RawMessage[] = [];
  private waiters: (() => void)[] = [];
  private isClosed = false;
  /** Resolves when the server (or we) closed the socket. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => {
      socket.once("close", () => {
        this.isClosed = true;
        this.wake();
        resolve();
      });
    });
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
  }

  static open(port: number, host = "127.0.0.1"): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once("connect", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  send(buf: Buffer): void {
    this.socket.write(buf);
  }

  /** The next reply, or null if none arrives within `timeoutMs` (or the socket closes). */
  async next(timeoutMs = 2000): Promise<RawMessage | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0 && !this.isClosed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.shift() ?? null;
  }

  /** Resolves true if the socket closes within `timeoutMs`. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private parse(): void {
    while (this.buffer.length >= 4) {
      const length = this.buffer.readInt32LE(0);
      if (this.buffer.length < length) break;
      const frame = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      const opCode = frame.readInt32LE(12);
      const base = {
        length,
        requestId: frame.readInt32LE(4),
        responseTo: frame.readInt32LE(8),
        opCode,
      };
      if (opCode === OP_MSG) {
        const flags = frame.readUInt32LE(16);
        // first section must be kind 0
        const doc = BSON.deserialize(frame.subarray(21, 21 + frame.readInt32LE(21)));
        this.messages.push({ ...base, flags, doc });
      } else if (opCode === OP_REPLY) {
        const flags = frame.readInt32LE(16);
        const cursorId = frame.readBigInt64LE(20);
        const startingFrom = frame.readInt32LE(28);
        const numberReturned = frame.readInt32LE(32);
        const doc = BSON.deserialize(frame.subarray(36, 36 + frame.readInt32LE(36)));
        this.messages.push({ ...base, flags, doc, reply: { cursorId, startingFrom, numberReturned } });
      } else {
        this.messages.push({ ...base, flags: 0, doc: {} });
      }
    }
    this.wake();
  }
}

/** Sends one OP_MSG command on a raw connection and returns the reply body. */
export async function rawCommand(
  conn: RawConnection,
  requestId: number,
  body: Document,
): Promise<RawMessage> {
  conn.send(opMsg(requestId, body));
  const reply = await conn.next(5000);
  if (!reply) throw new Error(`no reply to ${JSON.stringify(Object.keys(body))}`);
  return reply;
}

/** Runs `fn` and returns the error it throws (failing if it does not throw). */
export async function captureError(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

/** A unique database name per test file, so a shared external server is not polluted across files. */
export function dbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`;
}
