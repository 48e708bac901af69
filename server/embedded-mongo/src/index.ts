/**
 * Starts an embedded MongoDB-compatible server on a loopback port. With a data directory it recovers
 * from its checkpoint and journal first; in memory it starts empty.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { createDispatcher, type Logger } from "./commands/dispatcher.ts";
import { Engine } from "./engine/engine.ts";
import { openJournal } from "./journal/journal.ts";
import { acquireLock, LockHeldError } from "./journal/lock.ts";
import { type ServerMode, ServerState } from "./state.ts";
import { serveConnection } from "./wire/connection.ts";

export { MongoError } from "./errors.ts";
export { JournalCorruptError, JournalWriteError } from "./journal/journal.ts";

/** How to start the server. */
export interface EmbeddedMongoOptions {
  /** Data directory (journal, checkpoints, lock). Ignored when inMemory. Default ".data/mongo". */
  dbPath?: string;
  /** TCP port; 0 picks a free one. Default 0. */
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
  uri: string;
  port: number;
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
  let lock: ReturnType<typeof acquireLock> | null = null;
  if (!options.inMemory) {
    const dbPath = options.dbPath ?? ".data/mongo";
    mkdirSync(dbPath, { recursive: true });
    try {
      lock = acquireLock(dbPath);
    } catch (error) {
      if (error instanceof LockHeldError && error.info.port > 0) {
        log(
          "info",
          `data directory ${dbPath} is served by process ${error.info.pid}; connecting to its port ${error.info.port}`,
        );
        return {
          uri: uriFor("127.0.0.1", error.info.port),
          port: error.info.port,
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
      lock.release();
      throw error;
    }
  }

  const state = new ServerState(engine, options.mode ?? "replset", options.testCommands === true);
  const dispatch = createDispatcher(state, log);
  const sockets = new Set<Socket>();
  let connectionIds = 0;
  const tcp = createServer((socket) => {
    sockets.add(socket);
    state.connectionCount++;
    state.totalConnections++;
    socket.on("close", () => {
      sockets.delete(socket);
      state.connectionCount--;
    });
    serveConnection(socket, ++connectionIds, dispatch, (message) => log("warn", message));
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(options.port ?? 0, host, () => resolve());
  });
  const address = tcp.address();
  const port = typeof address === "object" && address ? address.port : 0;
  state.address = `${host === "localhost" ? "127.0.0.1" : host}:${port}`;
  lock?.update(port);
  // Often enough that an abandoned transaction is aborted within seconds of its 60-second lifetime.
  const reaper = setInterval(() => state.reap(), 5_000);
  reaper.unref();

  let closing: Promise<void> | null = null;
  return {
    uri: uriFor(host === "localhost" ? "127.0.0.1" : host, port),
    port,
    attached: false,
    close: () => {
      closing ??= (async () => {
        clearInterval(reaper);
        await new Promise<void>((resolve) => {
          tcp.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        await engine.close();
        lock?.release();
      })();
      return closing;
    },
  };
}

function uriFor(host: string, port: number): string {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return `mongodb://${hostPart}:${port}/?directConnection=true`;
}
