/**
 * `npm run cli -- backup --out FILE` and `npm run cli -- restore FILE`: the whole database (every
 * collection, GridFS files included) to one compressed, checksummed file and back (format in
 * `server/db/backup/format.ts`). Personal data stays encrypted in the backup, so a restore needs the
 * same data key: the backup records the key's fingerprint and `restore` refuses a different key
 * unless `--force`. `restore` checks the whole file before it connects, refuses a target that holds
 * documents unless `--drop`, and refuses an embedded data directory that a running process serves.
 * Exit codes: 0 done, 1 failed or refused, 2 usage.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Config } from "@govinfo/config/env";
import {
  BackupError,
  type BackupSummary,
  dataKeyFingerprint,
  type GridFsTotals,
} from "../db/backup/format.ts";
import { type ParsedArgs, parseArgs, required, UsageError } from "./args.ts";

/** Usage of `backup`. */
export const BACKUP_USAGE = `npm run cli -- backup --out FILE [--consistency auto|snapshot|collection]
  备份整个数据库（全部集合和 GridFS 文件）到一个压缩文件（back up every collection and GridFS file）。
  备份中的个人信息仍是密文：恢复时必须使用同一数据密钥（data.key 或 DATA_KEY），请另行妥善保存密钥。
  --consistency: auto 尽量取同一快照（默认）, snapshot 必须取同一快照, collection 逐集合读取。`;

/** Usage of `restore`. */
export const RESTORE_USAGE = `npm run cli -- restore FILE [--drop] [--force] [--check]
  从备份恢复（restore a backup）：先完整校验文件，有任何问题则不做任何修改；恢复前请先停止平台。
  --drop 先删除目标数据库的全部集合（replace everything）；--check 只校验文件，不连接数据库；
  --force 当前数据密钥与备份不符或缺失时仍然恢复（restore although the data key differs）。`;

const BACKUP_OPTIONS = ["out", "consistency"];
const RESTORE_FLAGS = ["drop", "force", "check"];

/**
 * Runs `backup …` or `restore …` and returns the exit code.
 * @param argv the arguments, starting with `backup` or `restore`.
 */
export async function runBackupCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const usage = command === "backup" ? BACKUP_USAGE : RESTORE_USAGE;
  try {
    const lines = command === "backup" ? await backup(rest) : await restore(rest);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`错误：${error.message}\n\n用法（usage）:\n${usage}\n`);
      return 2;
    }
    if (error instanceof HelpRequested) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const lines = error instanceof Refusal ? error.lines : [failureMessage(error, command)];
    process.stderr.write(lines.map((line, i) => `${i === 0 ? "错误：" : "  "}${line}\n`).join(""));
    return 1;
  }
}

/** `--help` was given: print the usage, exit 0. */
class HelpRequested extends Error {}

/** A refusal with the lines that explain it (printed to stderr, exit code 1). */
class Refusal extends Error {
  readonly lines: string[];

  constructor(lines: string[]) {
    super(lines[0]);
    this.lines = lines;
  }
}

async function backup(argv: string[]): Promise<string[]> {
  const args = parse(argv, BACKUP_OPTIONS, []);
  if (args.positionals.length > 0)
    throw new UsageError(`多余的参数（unexpected argument）：${args.positionals.join(" ")}`);
  const out = resolve(required(args, "out"));
  const consistency = args.options.get("consistency") ?? "auto";
  if (consistency !== "auto" && consistency !== "snapshot" && consistency !== "collection")
    throw new UsageError("--consistency 应为 auto、snapshot 或 collection");
  const config = (await import("@govinfo/config/env")).loadConfig();
  const key = await currentDataKey(config);
  const started = Date.now();
  const opened = await openDatabase(config);
  try {
    const { dumpDatabase } = await import("../db/backup/dumper.ts");
    const { version } = await import("../version.ts");
    const result = await dumpDatabase({
      client: opened.client,
      db: opened.db,
      file: out,
      consistency,
      dataKeyFingerprint: key ? dataKeyFingerprint(key) : null,
      mode: opened.mode,
      appVersion: version,
      onCollection: progress,
    });
    const { manifest, trailer } = result;
    return [
      `已完成备份（backup written）：${out}`,
      `  数据库 ${manifest.database}（${modeLabel(opened.mode)}），集合 ${manifest.collections.length} 个，文档 ${trailer.documents} 条（collections, documents）`,
      `  GridFS 文件（files）：${gridFsText(trailer.gridfs)}`,
      `  备份文件 ${formatBytes(result.fileBytes)}，用时 ${seconds(started)} 秒（file size, time）`,
      manifest.consistency === "snapshot"
        ? "  一致性：所有集合取自同一快照（consistency: one snapshot across all collections）"
        : `  一致性：逐集合读取（consistency: per collection）${result.snapshotFallback ? `，未能保持同一快照（${result.snapshotFallback}）` : ""}；备份期间若有写入，集合之间可能不完全一致，需要时请停止平台后再备份`,
      key
        ? `  数据密钥指纹（data key fingerprint）：${dataKeyFingerprint(key)}。身份证号、电话等个人信息在备份中是密文，恢复时必须使用同一数据密钥（data.key 或 DATA_KEY）；请把密钥与备份分开妥善保存（keep the key, separately）。`
        : "  警告：未找到数据密钥（no data key: no DATA_KEY, no data.key），备份中没有密钥指纹，恢复时无法核对密钥。",
    ];
  } finally {
    await opened.close();
  }
}

async function restore(argv: string[]): Promise<string[]> {
  const args = parse(argv, [], RESTORE_FLAGS);
  const [fileArg, ...extra] = args.positionals;
  if (!fileArg) throw new UsageError("请指定备份文件（missing backup FILE）");
  if (extra.length > 0) throw new UsageError(`多余的参数（unexpected argument）：${extra.join(" ")}`);
  const file = resolve(fileArg);
  const flags = new Set(args.options.keys());
  const config = (await import("@govinfo/config/env")).loadConfig();
  const started = Date.now();
  const { inspectBackup, restoreDatabase } = await import("../db/backup/restorer.ts");
  const summary = await inspectBackup(file);
  const lines = [`备份文件校验通过（backup verified）：${file}`, `  ${summaryText(summary)}`];
  lines.push(...(await checkDataKey(config, summary, flags.has("force"))));
  if (flags.has("check")) return [...lines, "只校验文件，未连接数据库（--check: database not touched）"];

  const opened = await openDatabase(config);
  try {
    if (opened.mode === "embedded") {
      const status = await opened.db.admin().command({ serverStatus: 1 });
      if (typeof status.pid === "number" && status.pid !== process.pid) {
        throw new Refusal([
          `数据目录 ${config.dataDir} 正由另一个进程（pid ${status.pid}）使用，平台可能正在运行（the data directory is served by a running process）`,
          "请先停止平台（npm start）或 npm run mongod，再恢复；未做任何修改（nothing was changed）。",
        ]);
      }
    } else {
      lines.push(
        "  注意：使用 MONGODB_URI 时无法检测平台是否在运行，请确认所有平台实例已停止（stop every app instance）。",
      );
    }
    let result: Awaited<ReturnType<typeof restoreDatabase>>;
    try {
      result = await restoreDatabase({
        db: opened.db,
        file,
        summary,
        drop: flags.has("drop"),
        onCollection: progress,
      });
    } catch (error) {
      if (error instanceof BackupError && error.problem === "target_not_empty") throw error;
      throw new Refusal([
        failureMessage(error, "restore"),
        "恢复中途失败，数据库可能只恢复了一部分；请排除问题后加 --drop 重新恢复（the restore stopped part way; run it again with --drop）。",
      ]);
    }
    const restoredFiles = Object.values(result.gridfs).reduce((n, b) => n + b.files, 0);
    lines.push(
      `已恢复到数据库 ${opened.db.databaseName}（restored, ${modeLabel(opened.mode)}）：集合 ${result.collections} 个，文档 ${result.documents} 条，索引 ${result.indexes} 个，GridFS 文件 ${restoredFiles} 个，用时 ${seconds(started)} 秒`,
    );
    if (result.dropped.length > 0) {
      const names = result.dropped.map((c) => c.name).join("、");
      lines.push(
        flags.has("drop")
          ? `  已先删除原有集合 ${result.dropped.length} 个（--drop: dropped first）：${names}`
          : `  已按备份重建原有的空集合 ${result.dropped.length} 个（empty collections recreated）：${names}`,
      );
    }
    for (const [name, count] of Object.entries(summary.trailer.counts)) lines.push(`  ${name}: ${count}`);
    if (result.mismatches.length > 0) {
      throw new Refusal([
        "恢复后的文档数与备份不符（document counts differ after the restore）：",
        ...result.mismatches.map((m) => `${m.name}: 备份 ${m.expected}，数据库中 ${m.actual}`),
        "是否有平台实例在恢复期间写入？请停止平台后加 --drop 重新恢复。",
      ]);
    }
    lines.push("恢复完成，可以启动平台（npm start）（done; the platform may be started）。");
    return lines;
  } finally {
    await opened.close();
  }
}

/** Parses the options, taking value-less flags (`--drop`) out first. */
function parse(argv: string[], options: string[], flags: string[]): ParsedArgs {
  const found: string[] = [];
  const rest = argv.filter((arg) => {
    const name = arg.startsWith("--") ? arg.slice(2) : "";
    if (!flags.includes(name)) return true;
    found.push(name);
    return false;
  });
  const args = parseArgs(rest, options);
  if (args.help) throw new HelpRequested();
  for (const flag of found) args.options.set(flag, "");
  return args;
}

/**
 * The configured data key without ever creating one: DATA_KEY, else `<DATA_DIR>/data.key` when it
 * exists, else null (a restore into a fresh directory must not invent a key).
 */
async function currentDataKey(config: Config): Promise<Buffer | null> {
  if (config.dataKey) return config.dataKey;
  const { defaults } = await import("@govinfo/config/defaults");
  const { decodeDataKey, dataKeyRule } = await import("@govinfo/config/env");
  const path = join(config.dataDir, defaults.dataKeyFileName);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const key = decodeDataKey(text);
  if (!key) throw new Refusal([`${path}: ${dataKeyRule}`]);
  return key;
}

/** Compares the backup's key fingerprint with the current key's; refuses a difference unless forced. */
async function checkDataKey(config: Config, summary: BackupSummary, force: boolean): Promise<string[]> {
  const recorded = summary.manifest.dataKey?.fingerprint ?? null;
  const key = await currentDataKey(config);
  const current = key ? dataKeyFingerprint(key) : null;
  if (recorded === null)
    return ["  警告：备份中没有数据密钥指纹，无法核对密钥（the backup records no data key fingerprint）。"];
  if (current === recorded) return [`  数据密钥一致（data key matches），指纹 ${current}`];
  const problem =
    current === null
      ? `当前没有数据密钥（no data key）：DATA_KEY 未设置，${join(config.dataDir, "data.key")} 不存在；备份使用的数据密钥指纹为 ${recorded}`
      : `当前数据密钥（指纹 ${current}）与备份时的数据密钥（指纹 ${recorded}）不同（the data key differs from the backup's）`;
  if (force)
    return [
      `  警告：${problem}。已按 --force 继续：个人信息只能用备份时的数据密钥解密，请在启动平台前换回该密钥。`,
    ];
  throw new Refusal([
    problem,
    "用其他密钥恢复后，身份证号、电话等个人信息将无法解密。请把备份时的 data.key 复制到 DATA_DIR 或设置 DATA_KEY 后再恢复；",
    "确需继续请加 --force（use --force to restore anyway）。未做任何修改（nothing was changed）。",
  ]);
}

/** Opens the configured database without letting loaded models create collections or indexes. */
async function openDatabase(config: Config) {
  const mongoose = (await import("mongoose")).default;
  // The CLI process has models compiled; their automatic createCollection/createIndexes would race a
  // restore (and add indexes to a database being backed up).
  mongoose.set("autoCreate", false);
  mongoose.set("autoIndex", false);
  const database = await (await import("./database.ts")).openCliDatabase(config);
  const db = database.connection.db;
  if (!db) {
    await database.close();
    throw new Error("database not connected");
  }
  return { db, client: database.connection.getClient(), mode: database.mode, close: () => database.close() };
}

function summaryText(summary: BackupSummary): string {
  const { manifest, trailer } = summary;
  return [
    `创建于 ${manifest.createdAt}，来源数据库 ${manifest.database}（平台版本 ${manifest.app.version}，格式版本 ${manifest.version}，${manifest.consistency === "snapshot" ? "同一快照" : "逐集合读取"}）`,
    `集合 ${manifest.collections.length} 个，文档 ${trailer.documents} 条，GridFS 文件 ${gridFsText(trailer.gridfs)}，文件大小 ${formatBytes(summary.fileBytes)}`,
  ].join("；");
}

function gridFsText(gridfs: Record<string, GridFsTotals>): string {
  const buckets = Object.entries(gridfs);
  if (buckets.length === 0) return "无（none）";
  return buckets.map(([name, t]) => `${name} ${t.files} 个 ${formatBytes(t.bytes)}`).join("，");
}

function problemText(error: BackupError): string {
  const detail = error.detail ? `（${error.detail}）` : "";
  switch (error.problem) {
    case "not_backup":
      return `这不是本平台的备份文件（not a govinfo backup file）${detail}；未做任何修改。`;
    case "unsupported_version":
      return `备份格式版本 ${error.detail} 比本程序支持的新，请升级平台后再恢复（unsupported backup format version）；未做任何修改。`;
    case "truncated":
      return `备份文件不完整（被截断）（the backup file is truncated）${detail}；未做任何修改（nothing was changed）。`;
    case "corrupt":
      return `备份文件已损坏（the backup file is corrupt）${detail}；未做任何修改（nothing was changed）。`;
    case "checksum":
      return `备份文件校验和不符，内容已被改动或损坏（checksum mismatch）${detail}；未做任何修改（nothing was changed）。`;
    case "unsupported_collection":
      return `数据库中有不支持备份的集合类型（unsupported collection type）${detail}。`;
    case "snapshot_unavailable":
      return `无法在同一快照中读取全部集合（snapshot unavailable）${detail}；可改用 --consistency auto 或 collection。`;
    case "target_not_empty":
      return `目标数据库不是空的（the target database is not empty）：${error.detail}。要用备份替换全部数据请加 --drop；未做任何修改（nothing was changed）。`;
    case "changed_during_restore":
      return `恢复期间备份文件被改动（the backup file changed during the restore）${detail}。`;
  }
}

function failureMessage(error: unknown, command: string | undefined): string {
  if (error instanceof BackupError) return problemText(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const path = (error as NodeJS.ErrnoException | null)?.path;
  if (code === "ENOENT" && path) return `找不到文件或目录（no such file or directory）：${path}`;
  const message = error instanceof Error ? error.message : String(error);
  return command === "backup"
    ? `备份失败（backup failed），未留下备份文件：${message}`
    : `（error）${message}`;
}

function modeLabel(mode: string): string {
  return mode === "embedded" ? "内置数据库 embedded" : "MONGODB_URI";
}

function progress(name: string, documents: number): void {
  if (process.stderr.isTTY) process.stderr.write(`  ${name}: ${documents}\n`);
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
