/**
 * The administrator's command line (`npm run cli -- <command>`): agencies, staff users, ledgers,
 * annual reports, backup and restore.
 * Works against MONGODB_URI, or the embedded database over DATA_DIR whether or not `npm start` is
 * running (the embedded server attaches to a running one). Exit codes: 0 done, 1 failed, 2 usage.
 */
import { mkdir } from "node:fs/promises";
import { type ParsedArgs, parseArgs, UsageError } from "./args.ts";
import { CommandError } from "./commands.ts";

/** One runnable command: its options, help text, and whether it needs the personal-data key. */
interface CommandSpec {
  options: readonly string[];
  usage: string;
  needsDataKey: boolean;
  run: (
    args: ParsedArgs,
    cipher: import("../security/personalData.ts").PersonalDataCipher | null,
  ) => Promise<string[]>;
}

const commands: Record<string, CommandSpec> = {
  "agency create": {
    options: ["code", "name", "parent", "level", "serial-prefix"],
    usage: `npm run cli -- agency create --code CODE --name 名称 [--parent 上级代码] [--level department|government] [--serial-prefix 文号前缀]
  创建机关（create an agency）。--level: department 部门（默认）, government 政府。`,
    needsDataKey: false,
    run: async (args) => (await import("./commands.ts")).createAgency(args),
  },
  "user create": {
    options: ["agency", "username", "role", "name"],
    usage: `npm run cli -- user create --agency CODE --username 用户名 --role registrar|handler|reviewer|admin|supervisor[,…] [--name 显示名]
  创建工作人员并打印一次性密码，首次登录须修改（create a staff user; prints a one-time password）。`,
    needsDataKey: false,
    run: async (args) => (await import("./commands.ts")).createUser(args),
  },
  "ledger import": {
    options: ["agency"],
    usage: `npm run cli -- ledger import --agency CODE FILE.xlsx|FILE.csv
  导入台账：全部导入或全部不导入，重复导入同一文件不会改变数据（import a ledger, all rows or none）。`,
    needsDataKey: true,
    run: async (args, cipher) =>
      (await import("./commands.ts")).importLedgerFile(args, requireCipher(cipher)),
  },
  "ledger export": {
    options: ["agency", "year", "format", "out"],
    usage: `npm run cli -- ledger export --agency CODE [--year YYYY] [--format xlsx|csv] --out FILE
  导出台账（export a ledger）；格式默认取自文件扩展名。`,
    needsDataKey: true,
    run: async (args, cipher) =>
      (await import("./commands.ts")).exportLedgerFile(args, requireCipher(cipher)),
  },
};

const overview = `政府信息公开平台命令行（govinfo administrator CLI）

用法（usage）:
${Object.values(commands)
  .map((c) => `  ${c.usage.split("\n")[0]}`)
  .join("\n")}
  npm run cli -- report generate|audit …（年度报告 annual reports；详见 npm run cli -- report --help）
  npm run cli -- backup --out FILE / restore FILE [--drop]（备份与恢复 backup and restore；详见 --help）

每个命令加 --help 查看说明（add --help to any command）。
数据库：设置了 MONGODB_URI 时连接该 MongoDB，否则使用 DATA_DIR（默认 ./data）下的内置数据库；
平台正在运行（npm start）时自动共享其数据库。`;

// Exit explicitly: a driver timer left behind must not keep a finished command alive.
process.exit(await main(process.argv.slice(2)));

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "report") return (await import("./report.ts")).runReportCommand(argv.slice(1));
  // One-word commands with value-less flags (--drop), outside the two-word table.
  if (argv[0] === "backup" || argv[0] === "restore")
    return (await import("./backup.ts")).runBackupCommand(argv);
  const spec = commands[argv.slice(0, 2).join(" ")];
  if (!spec) return unknownCommand(argv);
  let args: ParsedArgs;
  try {
    args = parseArgs(argv.slice(2), spec.options);
  } catch (error) {
    return usageFailure(error, spec);
  }
  if (args.help) {
    process.stdout.write(`${spec.usage}\n`);
    return 0;
  }
  let close: (() => Promise<void>) | undefined;
  try {
    const opened = await openDatabase(spec.needsDataKey);
    close = opened.close;
    const lines = await spec.run(args, opened.cipher);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error, spec);
    if (error instanceof CommandError) {
      process.stderr.write(`错误：${error.message}\n${error.lines.map((l) => `${l}\n`).join("")}`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`错误（error）：${message}\n`);
    return 1;
  } finally {
    await close?.().catch(() => {});
  }
}

/** Help for the whole CLI or one group (`agency`, `user`, `ledger`), or an unknown-command error. */
function unknownCommand(argv: string[]): number {
  const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h" || arg === "help";
  if (argv.length === 0 || isHelp(argv[0])) {
    process.stdout.write(`${overview}\n`);
    return 0;
  }
  const group = Object.entries(commands).filter(([name]) => name.startsWith(`${argv[0]} `));
  if (group.length > 0 && (argv.length === 1 || isHelp(argv[1]))) {
    const text = group.map(([, c]) => c.usage).join("\n\n");
    if (isHelp(argv[1])) {
      process.stdout.write(`${text}\n`);
      return 0;
    }
    process.stderr.write(`错误：缺少子命令（missing subcommand）\n\n${text}\n`);
    return 2;
  }
  process.stderr.write(`错误：未知命令（unknown command）：${argv.slice(0, 2).join(" ")}\n\n${overview}\n`);
  return 2;
}

function usageFailure(error: unknown, spec: CommandSpec): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`错误：${message}\n\n用法（usage）:\n  ${spec.usage}\n`);
  return 2;
}

/** Opens the configured database (and the data key when needed); loaded lazily so --help needs neither. */
async function openDatabase(needsDataKey: boolean) {
  const { loadConfig } = await import("@govinfo/config/env");
  const { openCliDatabase } = await import("./database.ts");
  const { ensureDataKey } = await import("../db/dataKey.ts");
  const { createPersonalDataCipher } = await import("../security/personalData.ts");
  const config = loadConfig();
  // The key file lives in DATA_DIR, which a first command on a fresh machine has yet to create.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const cipher = needsDataKey
    ? createPersonalDataCipher(
        (await ensureDataKey({ configured: config.dataKey, dataDir: config.dataDir })).key,
      )
    : null;
  const db = await openCliDatabase(config);
  return { cipher, close: () => db.close() };
}

function requireCipher(
  cipher: import("../security/personalData.ts").PersonalDataCipher | null,
): import("../security/personalData.ts").PersonalDataCipher {
  if (!cipher) throw new Error("personal data key not loaded");
  return cipher;
}
