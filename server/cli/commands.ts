/**
 * The administrator's commands: create agencies and staff users, import and export ledgers. Each
 * runs against an open database and returns the lines to print; failures are thrown as
 * `CommandError` (exit code 1) or `UsageError` (exit code 2).
 */
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { type StaffRole, staffRoleLabels, staffRoles } from "@govinfo/shared/schemas/auth";
import { AppError } from "../errors.ts";
import { Agency, type AgencyDoc, agencyLevels } from "../models/Agency.ts";
import { User } from "../models/User.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { exportLedger } from "../services/ledger/exporter.ts";
import { importLedger } from "../services/ledger/importer.ts";
import type { LedgerFormat, LedgerProblem } from "../services/ledger/types.ts";
import { oneTimePassword } from "../services/passwords.ts";
import { hashPassword } from "../services/staffLogin.ts";
import { type ParsedArgs, required, UsageError } from "./args.ts";

/** A command that ran but could not do its job (exit code 1). */
export class CommandError extends Error {
  override readonly name = "CommandError";
  /** Extra lines printed after the message (one per ledger problem). */
  readonly lines: string[];

  /** Creates the error with its detail lines. */
  constructor(message: string, lines: string[] = []) {
    super(message);
    this.lines = lines;
  }
}

/** `agency create --code CODE --name NAME [--parent CODE] [--level department|government] [--serial-prefix P]`. */
export async function createAgency(args: ParsedArgs): Promise<string[]> {
  const code = required(args, "code");
  const name = required(args, "name");
  const levelText = args.options.get("level") ?? "department";
  const level = agencyLevels.find((l) => l === levelText);
  if (!level) {
    throw new UsageError(`--level 应为 department（部门）或 government（政府），而不是“${levelText}”`);
  }
  if (await Agency.exists({ code }))
    throw new CommandError(`机关代码“${code}”已存在（agency code already exists）`);
  const parentCode = args.options.get("parent");
  let parent: AgencyDoc | null = null;
  if (parentCode !== undefined) {
    parent = await Agency.findOne({ code: parentCode }).lean<AgencyDoc>();
    if (!parent) throw new CommandError(`上级机关“${parentCode}”不存在（parent agency not found）`);
  }
  const agency = await Agency.create({
    code,
    name,
    level,
    parentId: parent?._id ?? null,
    ancestors: parent ? [...parent.ancestors, parent._id] : [],
    serialPrefix: args.options.get("serial-prefix") ?? "",
  });
  return [
    `已创建机关：${name}（代码 ${code}${parent ? `，上级 ${parent.name}` : ""}）`,
    `agency id: ${String(agency._id)}`,
  ];
}

/** `user create --agency CODE --username U --role ROLE[,ROLE] [--name 显示名]`; prints a one-time password. */
export async function createUser(args: ParsedArgs): Promise<string[]> {
  const agency = await agencyByCode(required(args, "agency"));
  const username = required(args, "username");
  if (!/^[A-Za-z0-9._-]{2,64}$/.test(username)) {
    throw new UsageError("用户名只能使用 2 至 64 个字母、数字、点、下划线或连字符");
  }
  const roles = required(args, "role")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  for (const role of roles) {
    if (!(staffRoles as readonly string[]).includes(role)) {
      throw new UsageError(`角色“${role}”无效，应为：${staffRoles.join("|")}`);
    }
  }
  if (await User.exists({ username }))
    throw new CommandError(`用户名“${username}”已存在（username already exists）`);
  const password = oneTimePassword();
  await User.create({
    username,
    displayName: args.options.get("name") ?? username,
    passwordHash: await hashPassword(password),
    mustChangePassword: true,
    roles: roles.map((role) => ({ agencyId: agency._id, role })),
  });
  const labels = roles.map((r) => staffRoleLabels[r as StaffRole]).join("、");
  return [
    `已创建用户：${username}（${agency.name}，${labels}）`,
    `一次性密码（one-time password）: ${password}`,
    "首次登录后须修改密码；此密码不会再次显示。",
  ];
}

/** `ledger import --agency CODE FILE`. */
export async function importLedgerFile(args: ParsedArgs, cipher: PersonalDataCipher): Promise<string[]> {
  const agency = await agencyByCode(required(args, "agency"));
  const [file, ...extra] = args.positionals;
  if (!file) throw new UsageError("请给出要导入的台账文件（missing FILE）");
  if (extra.length > 0) throw new UsageError(`多余的参数：${extra.join(" ")}`);
  const format = formatOf(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new CommandError(`无法读取文件 ${file}（cannot read file）`);
  }
  try {
    const result = await importLedger({
      agencyId: agency._id,
      bytes,
      format,
      cipher,
      filename: file,
      via: "cli",
    });
    return [
      `已导入 ${result.imported} 件申请，跳过 ${result.skipped} 件（已存在且内容一致）`,
      `复议诉讼案件：导入 ${result.reviewCases.imported} 件，跳过 ${result.reviewCases.skipped} 件`,
    ];
  } catch (error) {
    if (error instanceof AppError) {
      const rows = (error.details?.rows ?? []) as LedgerProblem[];
      throw new CommandError(
        error.message,
        rows.map((p) => `  ${p.sheet} 第 ${p.row} 行 [${p.column}] ${p.message}`),
      );
    }
    throw error;
  }
}

/** `ledger export --agency CODE [--year YYYY] [--format xlsx|csv] --out FILE`. */
export async function exportLedgerFile(args: ParsedArgs, cipher: PersonalDataCipher): Promise<string[]> {
  const agency = await agencyByCode(required(args, "agency"));
  const out = required(args, "out");
  if (args.positionals.length > 0) throw new UsageError(`多余的参数：${args.positionals.join(" ")}`);
  const yearText = args.options.get("year");
  let year: number | undefined;
  if (yearText !== undefined) {
    year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
    if (!(year >= 2000 && year <= 2100))
      throw new UsageError(`--year 应为四位年份，如 2025（而不是“${yearText}”）`);
  }
  const formatText = args.options.get("format");
  if (formatText !== undefined && formatText !== "xlsx" && formatText !== "csv") {
    throw new UsageError("--format 应为 xlsx 或 csv");
  }
  const format: LedgerFormat = formatText ?? formatOf(out);
  const file = await exportLedger({
    agencyId: agency._id,
    format,
    cipher,
    // The operator at the console holds the data key itself: the file is the agency's full ledger.
    via: "cli",
    ...(year ? { year } : {}),
  });
  try {
    await writeFile(out, file.bytes, { mode: 0o600 });
  } catch {
    throw new CommandError(`无法写入文件 ${out}（cannot write file）`);
  }
  return [`已导出 ${file.rows} 件申请到 ${out}（含未打码的个人信息，请妥善保管）`];
}

async function agencyByCode(code: string): Promise<AgencyDoc> {
  const agency = await Agency.findOne({ code }).lean<AgencyDoc>();
  if (!agency) throw new CommandError(`机关代码“${code}”不存在（agency not found）`);
  return agency;
}

function formatOf(file: string): LedgerFormat {
  const extension = extname(file).toLowerCase();
  if (extension === ".xlsx") return "xlsx";
  if (extension === ".csv") return "csv";
  throw new UsageError(`只支持 .xlsx 或 .csv 文件，而不是“${file}”`);
}
