/**
 * Applies pending schema migrations at boot, before the server listens. Each applied migration is
 * recorded in the `migrations` collection (`_id` = its id, description, appliedAt, appVersion,
 * durationMs, holder). Several instances starting together agree through a lease document in the
 * job-lease collection (`_id` "schema-migrations", taken with the scheduler's atomic
 * `acquireLease`): one applies the pending migrations in order while the others wait and then find
 * nothing left to do. The lease is renewed while migrations run, so a migrator that crashes stops
 * renewing and the lease expires after `leaseMs`; the next instance takes over and repeats the
 * interrupted migration (rolled back if transactional, idempotent otherwise). A database holding a
 * migration this release does not know was upgraded by a newer release: the boot stops.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { ClientSession, Connection, mongo } from "mongoose";
import { acquireLease } from "../../jobs/scheduler.ts";
import type { Logger } from "../../logger.ts";
import { JobLease } from "../../models/JobLease.ts";
import { version } from "../../version.ts";
import { isDuplicateKey } from "../duplicateKey.ts";
import { migrations as releasedMigrations } from "./index.ts";
import type { Migration } from "./migration.ts";

/** `_id` of the lease document that admits one migrator at a time. */
export const MIGRATION_LOCK = "schema-migrations";
/** The collection recording applied migrations. */
export const MIGRATIONS_COLLECTION = "migrations";
/** Default lease: one minute, renewed every 20 s while migrations run. */
export const DEFAULT_MIGRATION_LEASE_MS = 60_000;
/** Default longest wait for another instance's migrations before giving up. */
export const DEFAULT_MIGRATION_WAIT_MS = 15 * 60_000;

/** One applied migration, as stored. */
export interface MigrationRecord {
  _id: string;
  description: string;
  appliedAt: Date;
  /** The release (root package.json version) that applied it. */
  appVersion: string;
  durationMs: number;
  /** The instance that applied it. */
  holder: string;
}

/** A migration problem that must stop the boot; the message is meant for the operator. */
export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

/** Options of `runMigrations`. */
export interface RunMigrationsOptions {
  /** The connection the models are bound to (mongoose's default one). */
  connection: Connection;
  logger: Logger;
  /** The migrations to apply, oldest first (tests pass their own); defaults to this release's. */
  migrations?: readonly Migration[];
  /** Recorded with each migration; defaults to the release version. */
  appVersion?: string;
  /** Identity of this instance in the lease and the records; unique per process by default. */
  holder?: string;
  leaseMs?: number;
  /** How often a waiting instance looks again. */
  pollMs?: number;
  /** Longest wait for the lease held by another instance. */
  waitTimeoutMs?: number;
}

/** What a run did. */
export interface MigrationRunResult {
  /** Ids this instance applied, in order. */
  applied: string[];
  /** How many of the known migrations were already applied when it started. */
  alreadyApplied: number;
}

/**
 * Brings the database schema up to date, waiting for another instance that is doing it already.
 * @param options the connection, a logger, and (tests) the migrations and timings.
 * @throws MigrationError when a migration fails, the database is ahead of this release, or the
 *   lease stays taken longer than `waitTimeoutMs`.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationRunResult> {
  const known = options.migrations ?? releasedMigrations;
  assertWellFormed(known);
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const leaseMs = options.leaseMs ?? DEFAULT_MIGRATION_LEASE_MS;
  const log = options.logger.child({ component: "migrations", holder });
  const db = options.connection.db;
  if (db === undefined) throw new MigrationError("数据库迁移无法进行：数据库连接尚未建立");
  const records = db.collection<MigrationRecord>(MIGRATIONS_COLLECTION);
  const waitStarted = Date.now();
  let isWaitAnnounced = false;

  for (;;) {
    const { pending, alreadyApplied } = await pendingMigrations(records, known);
    if (pending.length === 0) {
      log.info({ known: known.length }, "database schema up to date");
      return { applied: [], alreadyApplied };
    }
    if (await acquireLease(MIGRATION_LOCK, holder, new Date(), { leaseMs, intervalMs: 0 })) {
      return await applyUnderLease({ ...options, known, holder, leaseMs, log, records });
    }
    if (Date.now() - waitStarted > (options.waitTimeoutMs ?? DEFAULT_MIGRATION_WAIT_MS)) {
      const lease = await JobLease.findById(MIGRATION_LOCK).lean();
      throw new MigrationError(
        `数据库迁移等待超时：另一实例（${lease?.holder ?? "未知"}）仍持有迁移锁，待执行的迁移：${pending.map((m) => m.id).join("、")}`,
      );
    }
    if (!isWaitAnnounced) {
      isWaitAnnounced = true;
      const lease = await JobLease.findById(MIGRATION_LOCK).lean();
      log.info(
        { pending: pending.map((m) => m.id), lockHolder: lease?.holder, lockExpiresAt: lease?.expiresAt },
        "waiting for another instance to apply migrations",
      );
    }
    await sleep(options.pollMs ?? 1_000);
  }
}

/** The applied records, oldest first (for operators and tests). */
export async function appliedMigrations(connection: Connection): Promise<MigrationRecord[]> {
  const db = connection.db;
  if (db === undefined) return [];
  return db.collection<MigrationRecord>(MIGRATIONS_COLLECTION).find().sort({ _id: 1 }).toArray();
}

type Records = mongo.Collection<MigrationRecord>;

async function applyUnderLease(
  run: RunMigrationsOptions & {
    known: readonly Migration[];
    holder: string;
    leaseMs: number;
    log: Logger;
    records: Records;
  },
): Promise<MigrationRunResult> {
  const { known, holder, leaseMs, log, records } = run;
  const renewal = setInterval(
    () => {
      JobLease.updateOne(
        { _id: MIGRATION_LOCK, holder },
        { $set: { expiresAt: new Date(Date.now() + leaseMs) } },
      )
        .then((result) => {
          if (result.matchedCount === 0) log.warn("migration lease lost while migrating");
        })
        .catch((error: unknown) => log.warn({ err: error }, "migration lease renewal failed"));
    },
    Math.max(1_000, Math.floor(leaseMs / 3)),
  );
  renewal.unref();
  const applied: string[] = [];
  let failure: unknown;
  try {
    // Whoever held the lease before may have applied some or all of them meanwhile.
    const { pending, alreadyApplied } = await pendingMigrations(records, known);
    if (pending.length > 0) await ensureCollection(records);
    for (const migration of pending) {
      if (await applyOne(migration, run, holder, log, records)) applied.push(migration.id);
    }
    log.info(
      { applied, alreadyApplied },
      applied.length > 0 ? "migrations applied" : "database schema up to date",
    );
    return { applied, alreadyApplied };
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    clearInterval(renewal);
    // Released at once, success or not: the next instance retries a failed migration immediately.
    await JobLease.updateOne(
      { _id: MIGRATION_LOCK, holder },
      {
        $set: {
          expiresAt: new Date(),
          lastFinishedAt: new Date(),
          lastReport: { applied: applied.length },
          lastError:
            failure === undefined ? null : failure instanceof Error ? failure.message : String(failure),
        },
      },
    ).catch((error: unknown) => log.warn({ err: error }, "migration lease release failed"));
  }
}

/** Applies one migration and records it; false when another instance recorded it first. */
async function applyOne(
  migration: Migration,
  run: RunMigrationsOptions,
  holder: string,
  log: Logger,
  records: Records,
): Promise<boolean> {
  const started = Date.now();
  const now = new Date();
  const logger = log.child({ migration: migration.id });
  logger.info(
    { description: migration.description, transactional: migration.transactional },
    "applying migration",
  );
  const record = (): MigrationRecord => ({
    _id: migration.id,
    description: migration.description,
    appliedAt: new Date(),
    appVersion: run.appVersion ?? version,
    durationMs: Date.now() - started,
    holder,
  });
  try {
    if (migration.transactional) {
      await run.connection.transaction(async (session: ClientSession) => {
        await migration.up({ connection: run.connection, session, logger, now });
        await records.insertOne(record(), { session });
      });
    } else {
      await migration.up({ connection: run.connection, session: null, logger, now });
      await records.insertOne(record());
    }
  } catch (error) {
    if (isDuplicateKey(error)) {
      // Only possible when our lease expired under a stall and another instance took over.
      logger.warn("migration was recorded by another instance meanwhile");
      return false;
    }
    logger.error({ err: error, durationMs: Date.now() - started }, "migration failed");
    const reason = error instanceof Error ? error.message : String(error);
    const partial = migration.transactional
      ? "本次迁移的改动已全部回滚"
      : "该迁移不在事务中执行，已完成的部分会在重试时安全地重复执行";
    throw new MigrationError(
      `数据库迁移 ${migration.id}（${migration.description}）失败：${reason}。${partial}；排除原因后重新启动即可重试`,
      { cause: error },
    );
  }
  logger.info({ durationMs: Date.now() - started }, "migration applied");
  return true;
}

async function pendingMigrations(
  records: Records,
  known: readonly Migration[],
): Promise<{ pending: Migration[]; alreadyApplied: number }> {
  const applied = await records.find({}, { projection: { _id: 1, appVersion: 1, appliedAt: 1 } }).toArray();
  const knownIds = new Set(known.map((migration) => migration.id));
  const unknown = applied.filter((record) => !knownIds.has(record._id));
  if (unknown.length > 0) {
    const newest = unknown
      .map((record) => record.appVersion)
      .sort()
      .at(-1);
    throw new MigrationError(
      `数据库包含本版本（${version}）不认识的迁移：${unknown.map((record) => `${record._id}（由 ${record.appVersion} 版于 ${record.appliedAt.toISOString()} 执行）`).join("、")}。数据库已被更新的版本升级过，不支持降级；请部署 ${newest ?? "更新的"} 或更高版本，或恢复升级前的备份`,
    );
  }
  const appliedIds = new Set(applied.map((record) => record._id));
  const pending = known.filter((migration) => !appliedIds.has(migration.id));
  return { pending, alreadyApplied: known.length - pending.length };
}

/** Ids are `NNN-kebab-name`, unique and in ascending order: a programming error otherwise. */
function assertWellFormed(known: readonly Migration[]): void {
  let previous = "";
  for (const migration of known) {
    if (!/^\d{3}-[a-z0-9]+(-[a-z0-9]+)*$/.test(migration.id)) {
      throw new MigrationError(`迁移编号格式不正确：${migration.id}（应为 NNN-名称）`);
    }
    if (migration.id <= previous) throw new MigrationError(`迁移编号未按顺序排列或重复：${migration.id}`);
    previous = migration.id;
  }
}

// Transactions on MongoDB before 4.4 cannot create a collection; create it outside of them.
async function ensureCollection(records: Records): Promise<void> {
  const existing = await records.db.listCollections({ name: MIGRATIONS_COLLECTION }).toArray();
  if (existing.length === 0) {
    await records.db.createCollection(MIGRATIONS_COLLECTION).catch((error: unknown) => {
      if (!(typeof error === "object" && error !== null && "code" in error && error.code === 48)) throw error;
    });
  }
}
