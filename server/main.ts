/**
 * Boot: read config, prepare the data directory and key, open the database, apply pending schema
 * migrations (`db/migrations/`), build the catalogue search index, serve the app, then in
 * the background seed the demo data on a fresh install (DEMO_DATA=on) and start the job scheduler;
 * on SIGTERM/SIGINT shut down in order (stop accepting, drain requests, stop seeding and the
 * scheduler, close mongoose, close the embedded server so its journal is flushed). Nothing else
 * lives here.
 */
import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { config } from "@govinfo/config/env";
import { createRequestListener } from "./app.ts";
import { connectDatabase, type Database } from "./db/connect.ts";
import { DataKeyError, ensureDataKey } from "./db/dataKey.ts";
import { runMigrations } from "./db/migrations/runner.ts";
import { demoLoginLines, isDatabaseEmpty, seedDemoData } from "./demo/seed.ts";
import type { DemoLogin } from "./demo/staff.ts";
import { createJobs } from "./jobs/registry.ts";
import { type Scheduler, startScheduler } from "./jobs/scheduler.ts";
import { createLogger, wantsReadableLogs } from "./logger.ts";
import { createPersonalDataCipher } from "./security/personalData.ts";
import { prepareCatalogueSearch } from "./services/catalogue/search.ts";
import { LogSmsSender } from "./services/notify/sms.ts";
import { version } from "./version.ts";

// `npm start` in a terminal prints readable lines; pipes, log shippers and production get JSON lines.
const logger = createLogger({
  level: config.logLevel,
  readable: wantsReadableLogs(process.stdout, config.isProduction),
});
// No SMS provider is integrated yet: development reads one-time codes from the log, production must not.
const sms = new LogSmsSender(logger, { showText: !config.isProduction });

// A bug that escapes every handler leaves the process in an unknown state: log it as JSON and stop;
// the embedded journal has already made every acknowledged write durable.
process.on("uncaughtException", (error) => {
  logger.fatal({ err: error }, "uncaught exception");
  process.exit(1);
});

await main();

async function main(): Promise<void> {
  let db: Database | undefined;
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    const dataKey = await ensureDataKey({ configured: config.dataKey, dataDir: config.dataDir });
    logger.info({ source: dataKey.source, path: dataKey.path }, "data key ready");
    if (dataKey.insecureMode !== undefined) {
      logger.warn(
        { path: dataKey.path, mode: dataKey.insecureMode },
        "data key file is readable by other users",
      );
    }
    db = await connectDatabase({
      mongodbUri: config.mongodbUri,
      dataDir: config.dataDir,
      embeddedMongoPort: config.embeddedMongoPort,
      logger,
      onFatal: stopOnJournalFailure,
    });
    // Before listening: requests must never meet an older schema; other instances wait here meanwhile.
    await runMigrations({ connection: db.connection, logger });
    // The search index is built before the first request, not by the first citizen who searches.
    logger.info({ durationMs: await prepareCatalogueSearch() }, "catalogue search ready");
    const server = createServer(
      createRequestListener({
        db,
        logger,
        dataKey: dataKey.key,
        wechat: config.wechat,
        secureCookies: config.isProduction,
        trustProxy: config.trustProxy,
        metricsToken: config.metricsToken,
        sofficePath: config.sofficePath,
        sms,
      }),
    );
    await listen(server, config.port, config.host);
    announce();
    handleSignals(server, db, startBackgroundWork(dataKey.key));
  } catch (error) {
    fail(error);
    await db?.close().catch(() => {});
    process.exit(1);
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Seeding and the scheduler, running after the server listens; `stop()` ends both. */
interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * Seeds the demo data when demo data is on and the database has no agency, then starts the
 * scheduler. Seeding takes seconds, so it runs after `listen` (health answers at once); the
 * scheduler starts only afterwards, because its expiry jobs would race the seeder's own history.
 */
function startBackgroundWork(dataKey: Buffer): BackgroundWork {
  const abort = new AbortController();
  let scheduler: Scheduler | undefined;
  const started = (async () => {
    try {
      if (config.demoData && (await isDatabaseEmpty())) {
        logger.info("empty database: seeding demo data");
        const result = await seedDemoData({
          cipher: createPersonalDataCipher(dataKey),
          logger,
          signal: abort.signal,
        });
        if (result.seeded) announceLogins(result.logins);
      }
    } catch (error) {
      // The platform works without demo data; say so and carry on.
      logger.error({ err: error }, "demo data seeding failed");
    }
    if (abort.signal.aborted) return;
    scheduler = startScheduler({ jobs: createJobs({ logger, dataKey, wechat: config.wechat, sms }), logger });
  })();
  return {
    stop: async () => {
      abort.abort();
      await started;
      await scheduler?.stop();
    },
  };
}

/** Prints the demo logins once. */
function announceLogins(logins: DemoLogin[]): void {
  logger.info({ usernames: logins.map((login) => login.username) }, "demo logins created");
  // The one-time passwords exist only in this process: print them even without a terminal (service
  // logs), as plain lines rather than log fields, so log shippers that parse JSON do not index them.
  const lines = demoLoginLines(logins);
  if (lines.length > 0) process.stdout.write(`\n${lines.join("\n")}\n\n`);
}

function announce(): void {
  // A wildcard address is not something a browser can open; show loopback instead.
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const local = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${config.port}`;
  const urls = { api: `${local}/api`, health: `${local}/api/health`, public: config.publicBaseUrl };
  logger.info({ version, databaseMode: config.databaseMode, dataDir: config.dataDir, urls }, "listening");
  if (!process.stdout.isTTY) return;
  const lines = [
    "",
    `政府信息公开平台 ${version} 已启动`,
    `  API:      ${urls.api}`,
    `  健康检查: ${urls.health}`,
    ...(urls.public === undefined ? [] : [`  公开地址: ${urls.public}`]),
    `  数据库:   ${config.databaseMode === "embedded" ? `内置数据库（${config.dataDir}）` : "外部 MongoDB"}`,
    "  按 Ctrl+C 停止",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function handleSignals(server: Server, db: Database, background: BackgroundWork): void {
  let isShuttingDown = false;
  const handleSignal = (signal: NodeJS.Signals) => {
    if (isShuttingDown) {
      logger.warn({ signal }, "second signal, exiting without waiting");
      process.exit(1);
    }
    isShuttingDown = true;
    shutdown(server, db, background, signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handleSignal);
  process.on("SIGINT", handleSignal);
}

async function shutdown(
  server: Server,
  db: Database,
  background: BackgroundWork,
  signal: NodeJS.Signals,
): Promise<void> {
  logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, "shutting down");
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets with no request in flight would otherwise hold `close` open until they time out.
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn("requests still running after the shutdown timeout; closing their connections");
    server.closeAllConnections();
  }, config.shutdownTimeoutMs);
  await drained;
  clearTimeout(timer);
  // Seeding stops between applications, and a job mid-transition finishes, before the database goes away.
  await background.stop();
  await db.close();
  logger.info("stopped");
}

/** Exit code when the embedded database cannot write its journal (as the embedded server's own CLI). */
const journalFailureExitCode = 70;

/**
 * The embedded database could not write its journal (disk full, I/O error). Memory is now ahead of
 * the disk, so nothing more may be answered: log, tell the operator in one sentence, exit at once.
 * Every acknowledged write is on disk and comes back on the next start.
 */
function stopOnJournalFailure(error: Error): never {
  logger.fatal({ err: error }, "database journal write failed; stopping");
  const isDiskFull = "code" in error && error.code === "ENOSPC";
  const problem = isDiskFull ? "磁盘已满，数据库无法写入" : "数据库无法写入";
  const remedy = isDiskFull ? "腾出磁盘空间后" : "排除故障后";
  process.stderr.write(
    `${problem}，服务已停止以保护数据 (${error.message})。已确认的数据不受影响，${remedy}重新启动即可。\n`,
  );
  process.exit(journalFailureExitCode);
}

function fail(error: unknown): void {
  const problem = describeBootError(error);
  logger.fatal({ err: error }, "boot failed");
  // The JSON log line is for machines; the operator at a terminal also gets one plain sentence.
  process.stderr.write(`启动失败 (boot failed): ${problem}\n`);
}

function describeBootError(error: unknown): string {
  if (error instanceof DataKeyError) return error.message;
  if (error instanceof Error && "code" in error) {
    if (error.code === "EADDRINUSE") return `PORT: ${config.host}:${config.port} is already in use`;
    if (error.code === "EACCES") return `PORT: not allowed to listen on ${config.host}:${config.port}`;
    if (error.code === "EADDRNOTAVAIL") return `HOST: ${config.host} is not an address of this machine`;
  }
  return error instanceof Error ? error.message : String(error);
}
