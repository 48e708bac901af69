/**
 * Serves `createApp()` on a loopback port against the embedded database, the real seam every
 * route test goes through. One per test file: models bind to mongoose's default connection.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LogLevel } from "@govinfo/config/defaults";
import type Koa from "koa";
import { type AppDeps, createApp, createRequestListener } from "../../server/app.ts";
import { connectDatabase, type Database } from "../../server/db/connect.ts";
import { runMigrations } from "../../server/db/migrations/runner.ts";
import { createLogger } from "../../server/logger.ts";
import type { WechatSettings } from "../../server/services/applicantLogin.ts";
import { LogSmsSender } from "../../server/services/notify/sms.ts";
import { request, type TestResponse } from "./http.ts";
import { createTempDir } from "./tempDir.ts";

/** A running app with its database; `close()` stops both and removes the data directory. */
export interface TestServer {
  baseUrl: string;
  app: Koa;
  db: Database;
  /** Requests `path` (starting with `/`) on this server. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<TestResponse>;
  /** Text messages the app sent (one-time codes). */
  sms: LogSmsSender;
  close(): Promise<void>;
}

/** Options for `startTestServer`. */
export interface TestServerOptions {
  /** Keep data on disk in a temp dir instead of in memory (durability tests). */
  onDisk?: boolean;
  jsonBodyLimitBytes?: number;
  /** Trust X-Forwarded-For, as behind nginx (TRUST_PROXY=on). */
  trustProxy?: boolean;
  /** Silent unless a test wants to read the log. */
  logLevel?: LogLevel;
  /** Where log lines go (stdout by default); lets a test capture them. */
  logDestination?: Parameters<typeof createLogger>[0]["destination"];
  /** The personal-data key (random unless a test needs to know it). */
  dataKey?: Buffer;
  /** WeChat code2Session settings (point apiBase at a fake server). */
  wechat?: WechatSettings;
  /** Enables the embedded server's `configureFailPoint` (fault tests). */
  testCommands?: boolean;
  /** The database operation timeout (`defaults.databaseOperationTimeoutMs` unless set). */
  operationTimeoutMs?: number;
}

/** Starts the embedded database and the app on a free loopback port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await createTempDir("server");
  const logger = createLogger({
    level: options.logLevel ?? "silent",
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const db = await connectDatabase({
    mongodbUri: undefined,
    dataDir: dataDir.path,
    embeddedMongoPort: 0,
    logger,
    inMemory: options.onDisk !== true,
    ...(options.testCommands ? { testCommands: true } : {}),
    ...(options.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: options.operationTimeoutMs }),
  });
  // As `main.ts` does before listening: every declared index exists before the first request. Silent,
  // so tests that capture the app's log lines see only their own; a failure still throws.
  await runMigrations({ connection: db.connection, logger: createLogger({ level: "silent" }) });
  const sms = new LogSmsSender();
  const deps: AppDeps = {
    db,
    logger,
    dataKey: options.dataKey ?? randomBytes(32),
    sms,
    // A handler whose answer drifts from its route's response schema fails the test with a 500.
    checkResponses: true,
    ...(options.wechat ? { wechat: options.wechat } : {}),
    ...(options.jsonBodyLimitBytes === undefined ? {} : { jsonBodyLimitBytes: options.jsonBodyLimitBytes }),
    ...(options.trustProxy ? { trustProxy: true } : {}),
  };
  const app = createApp(deps);
  // As `main.ts` serves it: cached public reads answered before the app.
  const server = createServer(createRequestListener(deps, app));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    app,
    db,
    request: (path, init) => request(`${baseUrl}${path}`, init),
    sms,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      await dataDir.remove();
    },
  };
}
