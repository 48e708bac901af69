/**
 * Starts an embedded MongoDB-compatible server. With a data directory it recovers from its checkpoint
 * and journal first and listens on the owner-only Unix socket `<dbPath>/mongod.sock` (plus a loopback
 * TCP port only when one is asked for); in memory it starts empty on a loopback TCP port.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { createDispatcher, type Logger } from "./commands/dispatcher.ts";
import { Engine } from "./engine/engine.ts";
import { openJournal } from "./journal/journal.ts";
import { acquireLock, type DirectoryLock, LockHeldError } from "./journal/lock.ts";
import { type ServerMode, ServerState } from "./state.ts";
import { serveConnection } from "./wire/connection.ts";

export { MongoError } from "./errors.ts";
export { JournalCorruptError, JournalWriteError } from "./journal/journal.ts";

/** How to start the server. */
export interface EmbeddedMongoOptions {
  /** Data directory (journal, checkpoints, lock). Ignored when inMemory. Default ".data/mongo". */
  dbPath?: string;
  /**
   * Loopback TCP port; 0 picks a free one. In memory the default is 0. With a data directory the default
   * is no TCP at all: only the Unix socket `<dbPath>/mongod.sock` (0600 in a 0700 directory), which no
   * other local user can open. A TCP port is open to every local process.
   */
  port?: number;
  /** Bind address; only loopback unless allowRemote. Default 127.0.0.1. */
  host?: string;
  allowRemote?: boolean;
  /** Keep nothing on disk. */
  inMemory?: boolean;
  /** "replset" (default) presents a one-member replica set; "standalone" a plain mongod. */
  mode?: ServerMode;
  /** Journal sync policy: "fsync" (default) acknowledges after fdatasync. */
  sync?: "fsync" | "interval" | "none";
  /** Truncate the journal at the first corrupt record instead of refusing to start. */
  repair?: boolean;
  /** Enables test-only commands such as configureFailPoint. */
  testCommands?: boolean;
  /** Log sink; default prints warnings and errors to stderr. */
  log?: Logger;
  /**
   * Called with a JournalWriteError when the journal cannot write (disk full, I/O error); nothing is
   * acknowledged afterwards. Default: logs the error and exits the process with code 70.
   */
  onFatal?: (error: Error) => void;
}

/** A running server, or a handle on the one that already owns the data directory. */
export interface EmbeddedMongo {
  /** The TCP URI when listening on TCP, otherwise the Unix socket URI. */
  uri: string;
  /** TCP port, 0 when there is none. */
  port: number;
  /** With a data directory: the owner's Unix socket and its URI (`mongodb://%2F...mongod.sock`). */
  socketPath: string | null;
  socketUri: string | null;
  /** True when another process already served this data directory and we only connect to it. */
  attached: boolean;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Starts the server and resolves once it accepts connections. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host) && !options.allowRemote) {
    throw new Error(
      `the embedded server binds to loopback only; refusing host ${host} (set allowRemote to override)`,
    );
  }
  const log: Logger =
    options.log ??
    ((level, message) => {
      if (level === "warn" || level === "error")
        process.stderr.write(`[embedded-mongo] ${level}: ${message}\n`);
    });
  const engine = new Engine();
  let lock: DirectoryLock | null = null;
  if (!options.inMemory) {
    const dbPath = options.dbPath ?? ".data/mongo";
    // Owner-only: the Unix socket inside is the database's front door.
    mkdirSync(dbPath, { recursive: true, mode: 0o700 });
    chmodSync(dbPath, 0o700);
    try {
      lock = await acquireLock(dbPath);
    } catch (error) {
      if (error instanceof LockHeldError) {
        log(
          "info",
          `data directory ${dbPath} is served by process ${error.info.pid} (instance ${error.info.instanceId}); connecting to its socket ${error.info.socket}`,
        );
        return {
          uri: socketUriFor(error.info.socket),
          port: error.info.port,
          socketPath: error.info.socket,
          socketUri: socketUriFor(error.info.socket),
          attached: true,
          close: async () => {},
        };
      }
      throw error;
    }
    try {
      const visitor = engine.recoveryVisitor();
      const journal = await openJournal(dbPath, visitor, {
        sync: options.sync ?? "fsync",
        repair: options.repair,
        log,
        onFatal:
          options.onFatal ??
          ((error) => {
            log("error", `${error.message}; stopping to protect the data (exit code 70)`);
            process.exit(70);
          }),
      });
      visitor.finish();
      engine.attachJournal(journal);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  const state = new ServerState(engine, options.mode ?? "replset", options.testCommands === true);
  state.instanceId = lock?.instanceId;
  const dispatch = createDispatcher(state, log);
  const sockets = new Set<Socket>();
  let connectionIds = 0;
  const serve = (socket: Socket) => {
    sockets.add(socket);
    state.connectionCount++;
    state.totalConnections++;
    socket.on("close", () => {
      sockets.delete(socket);
      state.connectionCount--;
    });
    serveConnection(socket, ++connectionIds, dispatch, (message) => log("warn", message));
  };
  const listeners: Server[] = [];
  const listen = (server: Server, address: { port: number; host: string } | { path: string }) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(address, () => resolve());
    });
  const tcpPort = options.port ?? (options.inMemory ? 0 : undefined);
  let port = 0;
  try {
    if (lock) {
      const unix = createServer(serve);
      await listen(unix, { path: lock.socketPath });
      listeners.push(unix);
      chmodSync(lock.socketPath, 0o600);
    }
    if (tcpPort !== undefined) {
      const tcp = createServer(serve);
      await listen(tcp, { port: tcpPort, host });
      listeners.push(tcp);
      const address = tcp.address();
      port = typeof address === "object" && address ? address.port : 0;
    }
  } catch (error) {
    for (const server of listeners) server.close();
    await engine.close();
    await lock?.release();
    throw error;
  }
  state.address =
    port > 0 ? `${host === "localhost" ? "127.0.0.1" : host}:${port}` : (lock?.socketPath ?? "");
  lock?.update(port);
  // Often enough that an abandoned transaction is aborted within seconds of its 60-second lifetime.
  const reaper = setInterval(() => state.reap(), 5_000);
  reaper.unref();

  const socketUri = lock ? socketUriFor(lock.socketPath) : null;
  let closing: Promise<void> | null = null;
  return {
    uri: port > 0 ? uriFor(host === "localhost" ? "127.0.0.1" : host, port) : (socketUri ?? ""),
    port,
    socketPath: lock?.socketPath ?? null,
    socketUri,
    attached: false,
    close: () => {
      closing ??= (async () => {
        clearInterval(reaper);
        const closed = Promise.all(
          listeners.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
        );
        // server.close waits for open connections; they are ours to end.
        for (const socket of sockets) socket.destroy();
        await closed;
        await engine.close();
        await lock?.release();
      })();
      return closing;
    },
  };
}

/** The driver's form for a Unix socket host: the path, percent-encoded, in place of host:port. */
function socketUriFor(path: string): string {
  return `mongodb://${encodeURIComponent(path)}/?directConnection=true`;
}

function uriFor(host: string, port: number): string {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return `mongodb://${hostPart}:${port}/?directConnection=true`;
}
