/**
 * How every CLI command opens the configured database: the same choice as the server (MONGODB_URI or
 * the embedded server over DATA_DIR, attaching to a running one), with a logger that sends only real
 * errors to stderr so machine log lines do not drown the answer. Loaded lazily, so --help needs none.
 */
import { mkdir } from "node:fs/promises";
import type { Config } from "@govinfo/config/env";
import { pino } from "pino";
import type { Database } from "../db/connect.ts";

/** Connects to the database `config` names; the caller closes it. */
export async function openCliDatabase(config: Config): Promise<Database> {
  const { connectDatabase } = await import("../db/connect.ts");
  const { createLogger } = await import("../logger.ts");
  const logger = createLogger({ level: "error", destination: pino.destination({ dest: 2, sync: true }) });
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  return connectDatabase({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    embeddedMongoPort: config.embeddedMongoPort,
    logger,
  });
}
