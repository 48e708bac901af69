/**
 * `npm run cli -- report …`: generate an agency's annual report into a directory (report.json,
 * report.docx, report.xlsx, report.html), or audit the text of an existing report. Exit codes: 0 done
 * (audit: no hard check failed), 1 failed (audit: a hard check failed), 2 usage.
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { reportStatusLabels } from "@govinfo/shared/schemas/report";
import { hasHardFailure, type PreviousReport } from "@govinfo/shared/stats/checks";
import type { FormatVersion, ReportModel, Table2Values } from "@govinfo/shared/stats/report";
import { type ParsedArgs, parseArgs, UsageError } from "./args.ts";

const USAGE = `npm run cli -- report generate --agency CODE --year YYYY [--format-version 2019|2021] [--scope agency|subtree] [--inputs 表二.json] --out DIR
  生成年度报告，写出 report.json、report.docx、report.xlsx、report.html（已发布的报告输出已发布版本；
  已有草稿时使用草稿中的人工数据和段落；--inputs 提供表二人工数据 {"two": {"licensing": {"decisions": 314}}}）。
npm run cli -- report audit FILE [--previous 上年报告FILE]
  审核已发布报告的文本（纯文本或 HTML），逐项列出不一致之处；有必须通过的校验未通过时退出码为 1。`;

/**
 * Runs `report <subcommand> …` and returns the exit code.
 * @param args the arguments after `report`.
 */
export async function runReportCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "generate")
      return await generate(parseArgs(rest, ["agency", "year", "format-version", "scope", "inputs", "out"]));
    if (sub === "audit") return await auditFile(parseArgs(rest, ["previous"]));
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      process.stdout.write(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    }
    throw new UsageError(`未知子命令（unknown subcommand）：report ${sub}`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`错误：${error.message}\n\n用法（usage）:\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`错误（error）：${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function generate(args: ParsedArgs): Promise<number> {
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const code = required(args, "agency");
  const year = Number(required(args, "year"));
  if (!Number.isInteger(year) || year < 2008 || year > 2100) throw new UsageError("--year 应为四位年份");
  const formatOption = args.options.get("format-version");
  if (formatOption !== undefined && formatOption !== "2019" && formatOption !== "2021")
    throw new UsageError("--format-version 应为 2019 或 2021");
  const scope = args.options.get("scope") ?? "agency";
  if (scope !== "agency" && scope !== "subtree") throw new UsageError("--scope 应为 agency 或 subtree");
  const out = resolve(required(args, "out"));
  const inputsFile = args.options.get("inputs");
  const manual = inputsFile
    ? ((JSON.parse(await readFile(inputsFile, "utf8")) as { two?: Table2Values }).two ?? {})
    : undefined;

  const close = await openDatabase();
  try {
    const model = await modelFor(code, year, formatOption as FormatVersion | undefined, scope, manual);
    const { renderDocx } = await import("../reports/export/docx.ts");
    const { renderXlsx } = await import("../reports/export/xlsx.ts");
    const { renderHtml } = await import("../reports/export/html.ts");
    const { renderJson } = await import("../reports/export/json.ts");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "report.json"), renderJson(model));
    await writeFile(join(out, "report.docx"), await renderDocx(model));
    await writeFile(join(out, "report.xlsx"), await renderXlsx(model));
    await writeFile(join(out, "report.html"), renderHtml(model, { showChecks: model.status === "draft" }));
    const failing = model.checks.filter((c) => !c.ok);
    const summary = [
      `${model.agency.name}${model.year}年政府信息公开工作年度报告（${model.formatVersion}年格式，${reportStatusLabels[model.status]}）`,
      `已写出：${["report.json", "report.docx", "report.xlsx", "report.html"].map((f) => join(out, f)).join("、")}`,
      `表三：新收 ${model.tables.three.rows.newReceived?.total ?? 0} 件，上年结转 ${model.tables.three.rows.carriedOver?.total ?? 0} 件，办结 ${model.tables.three.rows.closedTotal?.total ?? 0} 件，结转下年度 ${model.tables.three.rows.carriedForward?.total ?? 0} 件`,
      failing.length === 0 ? "校验：全部通过" : `校验：${failing.length} 项未通过`,
      ...failing.map((c) => `  [${c.severity === "hard" ? "必须" : "提示"}] ${c.message}`),
    ];
    process.stdout.write(`${summary.join("\n")}\n`);
    return 0;
  } finally {
    await close();
  }
}

async function modelFor(
  code: string,
  year: number,
  formatVersion: FormatVersion | undefined,
  scope: "agency" | "subtree",
  manual: Table2Values | undefined,
): Promise<ReportModel> {
  const { AnnualReport } = await import("../models/AnnualReport.ts");
  const service = await import("../reports/service.ts");
  const agency = await service.findAgency(code);
  const stored = await AnnualReport.findOne({ agencyId: agency._id, year }).lean<
    import("../models/AnnualReport.ts").AnnualReportDoc
  >();
  if (stored?.status === "published" && !formatVersion && !manual) {
    const published = service.publishedModelOf(stored);
    if (published) return published;
  }
  const usable = stored && stored.status !== "imported" ? stored : null;
  const built = await service.generateReport(agency, year, {
    ...(formatVersion
      ? { formatVersion }
      : usable
        ? { formatVersion: usable.formatVersion as FormatVersion }
        : {}),
    scope,
    manual: manual ?? ((usable?.manualInputs?.two ?? {}) as Table2Values),
    table4Basis: (usable?.manualInputs?.table4Basis ?? "filedInYear") as "filedInYear" | "includeCarriedOver",
    stored: usable ? (usable.sections as unknown as ReportModel["sections"]) : null,
  });
  return built.model;
}

async function auditFile(args: ParsedArgs): Promise<number> {
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const file = args.positionals[0];
  if (!file) throw new UsageError("请指定要审核的报告文件");
  const { auditReportText } = await import("../reports/audit/parse.ts");
  let previous: PreviousReport | null = null;
  const previousFile = args.options.get("previous");
  if (previousFile) {
    const last = auditReportText(await readFile(previousFile, "utf8"));
    previous = {
      source: `${last.parsed.year ?? "上"}年度报告（${previousFile}）`,
      formatVersion: last.parsed.formatVersion,
      carriedForward: last.parsed.tables.three.carriedForward ?? {},
      two: last.parsed.tables.two,
    };
  }
  const { parsed, checks } = auditReportText(await readFile(file, "utf8"), previous);
  const lines = [
    `审核：${parsed.agencyName || "（未识别机关名称）"} ${parsed.year ?? "（未识别年度）"}年度报告（表三为${parsed.formatVersion}年格式）`,
    ...checks.map((c) => `${c.ok ? "[通过]" : c.severity === "hard" ? "[不一致]" : "[提示]"} ${c.message}`),
  ];
  const failed = hasHardFailure(checks);
  lines.push(
    failed
      ? `结论：${checks.filter((c) => !c.ok && c.severity === "hard").length} 项必须通过的校验未通过`
      : "结论：必须通过的校验均已通过",
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  return failed ? 1 : 0;
}

function required(args: ParsedArgs, name: string): string {
  const value = args.options.get(name);
  if (value === undefined || value === "") throw new UsageError(`缺少 --${name}`);
  return value;
}

async function openDatabase(): Promise<() => Promise<void>> {
  const { loadConfig } = await import("@govinfo/config/env");
  const db = await (await import("./database.ts")).openCliDatabase(loadConfig());
  return () => db.close();
}
