/**
 * Runs the embedded server in the foreground:
 *   npm run mongod -- --dbpath DIR --port PORT|none [--in-memory] [--repair] [--standalone] [--test-commands]
 * Prints "ready mongodb://127.0.0.1:PORT/?directConnection=true" once it accepts connections (the
 * Unix socket URI of DIR/mongod.sock with --port none) and exits cleanly on SIGTERM or SIGINT. With a
 * data directory it always serves the owner-only Unix socket too; a TCP port is open to every local
 * process, which is why the application itself does not use one.
 */
import { parseArgs } from "node:util";
import { startEmbeddedMongo } from "./index.ts";

const { values } = parseArgs({
  options: {
    dbpath: { type: "string", default: ".data/mongo" },
    port: { type: "string", default: "27017" },
    host: { type: "string", default: "127.0.0.1" },
    "in-memory": { type: "boolean", default: false },
    repair: { type: "boolean", default: false },
    standalone: { type: "boolean", default: false },
    "test-commands": { type: "boolean", default: false },
    sync: { type: "string", default: "fsync" },
    verbose: { type: "boolean", default: false },
  },
});

const port = values.port === "none" ? undefined : Number(values.port);
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
  process.stderr.write(`invalid --port ${values.port}\n`);
  process.exit(2);
}
if (!["fsync", "interval", "none"].includes(values.sync)) {
  process.stderr.write(`invalid --sync ${values.sync} (fsync, interval or none)\n`);
  process.exit(2);
}

try {
  const server = await startEmbeddedMongo({
    dbPath: values.dbpath,
    ...(port === undefined ? {} : { port }),
    host: values.host,
    inMemory: values["in-memory"],
    repair: values.repair,
    mode: values.standalone ? "standalone" : "replset",
    testCommands: values["test-commands"],
    sync: values.sync as "fsync" | "interval" | "none",
    log: (level, message) => {
      if (level === "debug" && !values.verbose) return;
      process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
    },
  });
  if (server.attached) {
    process.stderr.write(`data directory is already served by another process at ${server.uri}\n`);
    process.exit(3);
  }
  if (server.socketUri && server.port > 0) process.stderr.write(`also on ${server.socketUri}\n`);
  process.stdout.write(`ready ${server.uri}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal} received, shutting down\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} catch (error) {
  process.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
