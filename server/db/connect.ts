/**
 * Opens the database: the only place that chooses between an external MongoDB (`MONGODB_URI` set)
 * and the embedded MongoDB-compatible server started in-process over `<dataDir>/mongo`.
 */
import { join } from "node:path";
import { defaults } from "@govinfo/config/defaults";
import type { DatabaseMode } from "@govinfo/shared/schemas/health";
import mongoose, { type Connection } from "mongoose";
import { type Logger, redactUri } from "../logger.ts";
import { boundTransactions } from "./boundedTransaction.ts";

/** An open database, whichever kind it is. */
export interface Database {
  readonly mode: DatabaseMode;
  /** The mongoose connection models are bound to (the default one). */
  readonly connection: Connection;
  /** True when the server answers `ping` within `timeoutMs`; never throws. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes mongoose, then the embedded server (which flushes its journal); safe to call twice. */
  close(): Promise<void>;
}

/** What `connectDatabase` needs; `config` satisfies it, tests pass their own. */
export interface ConnectOptions {
  mongodbUri: string | undefined;
  dataDir: string;
  /**
   * Embedded on disk: 0 (the default) serves the database only on the owner-only Unix socket
   * `<dataDir>/mongo/mongod.sock`; a port number also opens it on that loopback TCP port, where every
   * local process can reach it (development tools only). In memory a free TCP port is always used.
   */
  embeddedMongoPort: number;
  logger: Logger;
  /** Embedded only: keep data in memory (tests), nothing is written under `dataDir`. */
  inMemory?: boolean;
  /** Longest wait for a database reply and a transaction's retry budget; `defaults.databaseOperationTimeoutMs`. */
  operationTimeoutMs?: number;
  /**
   * Embedded only: called when the journal cannot write (disk full, I/O error). The data on disk is
   * intact but memory is ahead of it, so the handler must stop the process; unset, the embedded
   * server logs and exits with code 70.
   */
  onFatal?: (error: Error) => void;
  /** Embedded only, tests only (never set from configuration): enables `configureFailPoint`. */
  testCommands?: boolean;
}

/** Connects mongoose to the configured database, starting the embedded server when no URI is set. */
export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  const log = options.logger.child({ component: "db" });
  // A reply slower than this fails the operation (503) instead of holding the request indefinitely.
  const operationTimeoutMs = options.operationTimeoutMs ?? defaults.databaseOperationTimeoutMs;
  if (options.mongodbUri !== undefined) {
    log.info({ uri: redactUri(options.mongodbUri) }, "connecting to external MongoDB");
    await mongoose.connect(options.mongodbUri, {
      socketTimeoutMS: operationTimeoutMs,
      // The driver's 30 s default would hold requests through a whole outage before the 503; a replica
      // set elects a new primary well within the operation timeout. A value in the URI still wins.
      ...(uriSetsOption(options.mongodbUri, "serverSelectionTimeoutMS")
        ? {}
        : { serverSelectionTimeoutMS: operationTimeoutMs }),
    });
    return openedDatabase("external", log, operationTimeoutMs, async () => {});
  }
  // Imported lazily: the app never loads the embedded server when a real MongoDB is configured.
  const { startEmbeddedMongo } = await import("@govinfo/embedded-mongo");
  const embeddedLog = options.logger.child({ component: "embedded-mongo" });
  const embedded = await startEmbeddedMongo({
    dbPath: join(options.dataDir, "mongo"),
    ...(options.inMemory
      ? { port: options.embeddedMongoPort }
      : options.embeddedMongoPort > 0
        ? { port: options.embeddedMongoPort }
        : {}),
    host: "127.0.0.1",
    inMemory: options.inMemory ?? false,
    log: (level, message) => embeddedLog[level](message),
    ...(options.onFatal ? { onFatal: options.onFatal } : {}),
    ...(options.testCommands ? { testCommands: true } : {}),
  });
  if (embedded.attached) {
    // Another process (a second `npm start`, or `npm run mongod`) already serves this directory.
    log.warn({ uri: embedded.uri }, "data directory already served by another process; sharing its database");
  } else {
    log.info({ uri: embedded.uri, inMemory: options.inMemory ?? false }, "embedded database started");
    if (!options.inMemory && embedded.port > 0) {
      log.warn(
        { port: embedded.port },
        "EMBEDDED_MONGO_PORT opens the embedded database on loopback TCP to every local process; leave it unset outside development",
      );
    }
  }
  try {
    // The server is local, so a selection failure means it is broken, not slow; fail fast.
    // The Unix socket when there is one: the app, the CLI and a second instance all use it.
    await mongoose.connect(embedded.socketUri ?? embedded.uri, {
      dbName: defaults.embeddedDbName,
      serverSelectionTimeoutMS: 5_000,
      socketTimeoutMS: operationTimeoutMs,
      // Names the app's connections, so fault tests can aim fail points at them alone.
      appName: defaults.embeddedAppName,
    });
  } catch (error) {
    await embedded.close();
    throw error;
  }
  return openedDatabase("embedded", log, operationTimeoutMs, () => embedded.close());
}

function openedDatabase(
  mode: DatabaseMode,
  log: Logger,
  operationTimeoutMs: number,
  closeServer: () => Promise<void>,
): Database {
  const connection = mongoose.connection;
  // The driver alone would retry a failing transaction for two minutes; requests get 503 much sooner.
  boundTransactions(connection, operationTimeoutMs);
  const handleDisconnected = () => log.warn("database disconnected");
  const handleReconnected = () => log.info("database reconnected");
  connection.on("disconnected", handleDisconnected);
  connection.on("reconnected", handleReconnected);
  let closing: Promise<void> | undefined;
  return {
    mode,
    connection,
    ping: (timeoutMs = defaults.healthPingTimeoutMs) => ping(connection, timeoutMs),
    close: () => {
      closing ??= (async () => {
        // A deliberate close is not worth a warning.
        connection.off("disconnected", handleDisconnected);
        connection.off("reconnected", handleReconnected);
        await mongoose.disconnect();
        await closeServer();
        log.info("database closed");
      })();
      return closing;
    },
  };
}

async function ping(connection: Connection, timeoutMs: number): Promise<boolean> {
  const db = connection.db;
  if (connection.readyState !== mongoose.ConnectionStates.connected || db === undefined) return false;
  let timer: NodeJS.Timeout | undefined;
  // The driver would wait for server selection (30 s by default); a health probe must answer sooner.
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const answered = db
      .admin()
      .command({ ping: 1 })
      .then(() => true)
      .catch(() => false);
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when the connection string names `option` (URI option names are case-insensitive). */
function uriSetsOption(uri: string, option: string): boolean {
  const query = uri.split("?")[1] ?? "";
  return query.split("&").some((pair) => pair.split("=")[0]?.toLowerCase() === option.toLowerCase());
}
