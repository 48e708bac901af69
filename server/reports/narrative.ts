/**
 * The narrative of the annual report: section 一、总体情况 drafted from the data in the register of real
 * reports, with the sub-headings the 2021 notice expects (（一）主动公开 … （五）监督保障), and the
 * default paragraphs of 五 and 六 (六 states the 信息处理费 collected). Every paragraph is stored and
 * editable; a refresh redrafts only the paragraphs staff have not edited. Pure functions.
 */
import { applicantColumns, applicantTypeKeys, outcomeGroups, outcomes } from "@govinfo/shared/stats/keys";
import type {
  FormatVersion,
  NarrativeParagraph,
  ReportSections,
  Table2Values,
  Table3Values,
  Table4Values,
} from "@govinfo/shared/stats/report";
import { COUNT_ROWS, table3RowsOf } from "@govinfo/shared/stats/report";
import type { FeeFacts, PublicityFacts } from "./collect.ts";

/** Marker of text staff must still write; a report containing it cannot be published. */
export const PLACEHOLDER_MARK = "【请填写";

/** The facts the narrative is drafted from. */
export interface NarrativeFacts {
  agencyName: string;
  level: "department" | "government";
  year: number;
  formatVersion: FormatVersion;
  two: Table2Values;
  three: Table3Values;
  four: Table4Values;
  /** Applications closed in the year that had an answer due date, and how many on time. */
  timeliness: { measured: number; onTime: number; late: string[] };
  previousYear: { newReceived: number; closedTotal: number } | null;
  publicity: PublicityFacts;
  fees: FeeFacts;
  /** Last year's 四 differs from this year's 二 and staff recorded why; null otherwise. */
  carriedOver?: { reason: string; previousTotal: number; currentTotal: number; source: string } | null;
}

/** Sub-headings of 一、总体情况 (国办公开办函〔2021〕30号). */
export const overviewHeadings = [
  "（一）主动公开",
  "（二）依申请公开",
  "（三）政府信息管理",
  "（四）政府信息公开平台建设",
  "（五）监督保障",
] as const;

/** Drafts every section from the facts. */
export function draftSections(facts: NarrativeFacts): ReportSections {
  return {
    overview: draftOverview(facts),
    problems: [
      paragraph(
        "problems.1",
        `${PLACEHOLDER_MARK}：上年度存在问题的整改情况，本年度政府信息公开工作存在的主要问题及改进措施】`,
      ),
    ],
    other: draftOther(facts),
  };
}

/** Drafts section 一、总体情况. */
export function draftOverview(facts: NarrativeFacts): NarrativeParagraph[] {
  const [h1, h2, h3, h4, h5] = overviewHeadings;
  return [
    paragraph("overview.active.1", activeText(facts), h1),
    paragraph("overview.request.1", receivedText(facts), h2),
    paragraph("overview.request.2", closedText(facts)),
    paragraph("overview.request.3", reviewText(facts)),
    paragraph(
      "overview.management.1",
      `${PLACEHOLDER_MARK}：政府信息管理情况，如公文公开属性源头认定、政府信息公开审查、规范性文件清理、公开目录和指南更新等】`,
      h3,
    ),
    paragraph(
      "overview.platform.1",
      `${PLACEHOLDER_MARK}：政府信息公开平台建设情况，如政府网站信息公开专栏、政务新媒体、政务服务平台建设等】`,
      h4,
    ),
    paragraph(
      "overview.oversight.1",
      facts.level === "government"
        ? `${PLACEHOLDER_MARK}：监督保障情况，包括工作机构和人员、培训、工作考核、社会评议和责任追究结果情况】`
        : `${PLACEHOLDER_MARK}：监督保障情况，如工作机构和人员、制度建设、培训、考核和社会评议等】`,
      h5,
    ),
  ];
}

/** Drafts section 六, which states the 信息处理费 collected (the data knows it). */
export function draftOther(facts: NarrativeFacts): NarrativeParagraph[] {
  const { collectedYuan, serialNos } = facts.fees;
  const fee =
    collectedYuan > 0
      ? `${facts.year}年，${facts.agencyName}依据《政府信息公开信息处理费管理办法》收取信息处理费 ${yuan(collectedYuan)} 元（涉及政府信息公开申请 ${serialNos.length} 件）。`
      : `${facts.year}年，${facts.agencyName}未收取信息处理费。`;
  const out = [paragraph("other.fees", fee)];
  const carried = facts.carriedOver;
  if (carried) {
    out.push(
      paragraph(
        "other.carriedOver",
        `${carried.source}“四、结转下年度继续办理”为 ${carried.previousTotal} 件，本报告“二、上年结转政府信息公开申请数量”为 ${carried.currentTotal} 件，差异原因：${carried.reason.replace(/[。；]+$/, "")}。`,
      ),
    );
  }
  if (facts.level === "government")
    out.push(
      paragraph(
        "other.government",
        `${PLACEHOLDER_MARK}：年度政务公开工作要点落实情况，人大代表建议和政协提案办理结果公开情况】`,
      ),
    );
  return out;
}

/**
 * Keeps the paragraphs staff edited (by key) and takes the fresh draft for the others; edited
 * paragraphs whose key no longer exists are kept at the end of their section.
 */
export function mergeSections(
  drafted: ReportSections,
  stored: ReportSections | null | undefined,
): ReportSections {
  if (!stored) return drafted;
  const merge = (fresh: NarrativeParagraph[], old: NarrativeParagraph[]) => {
    const edited = new Map(old.filter((p) => p.edited).map((p) => [p.key, p]));
    const merged = fresh.map((p) => edited.get(p.key) ?? p);
    const freshKeys = new Set(fresh.map((p) => p.key));
    for (const p of old) if (p.edited && !freshKeys.has(p.key)) merged.push(p);
    return merged;
  };
  return {
    overview: merge(drafted.overview, stored.overview),
    problems: merge(drafted.problems, stored.problems),
    other: merge(drafted.other, stored.other),
  };
}

/** The text of a section's paragraphs, one per line (what the narrative check reads). */
export function sectionText(paragraphs: readonly NarrativeParagraph[]): string {
  return paragraphs.map((p) => p.text).join("\n");
}

function paragraph(key: string, text: string, heading?: string): NarrativeParagraph {
  return heading === undefined ? { key, text, edited: false } : { key, heading, text, edited: false };
}

function total(three: Table3Values, row: string): number {
  return three.rows[row]?.total ?? 0;
}

function activeText(facts: NarrativeFacts): string {
  const { year, agencyName, two, publicity } = facts;
  const parts: string[] = [];
  if (publicity.total > 0) {
    const list = publicity.byCategory.map((c) => `${c.label} ${c.count} 条`).join("、");
    parts.push(
      `${year}年，${agencyName}通过政府信息公开目录主动公开政府信息 ${publicity.total} 条，其中${list}。`,
    );
  } else {
    parts.push(`${year}年，${agencyName}坚持以公开为常态、不公开为例外，依法做好政府信息主动公开工作。`);
  }
  const documents: string[] = [];
  const made = facts.formatVersion === "2021" ? "issued" : "newlyMade";
  const regs = two.regulations?.[made];
  const docs = two.normativeDocuments?.[made];
  const docLabel = facts.formatVersion === "2021" ? "行政规范性文件" : "规范性文件";
  if (typeof regs === "number") documents.push(`规章 ${regs} 件`);
  if (typeof docs === "number") documents.push(`${docLabel} ${docs} 件`);
  if (documents.length > 0) parts.push(`本年制发${documents.join("、")}。`);
  const decisions: string[] = [];
  for (const [key, label] of [
    ["licensing", "行政许可"],
    ["penalty", "行政处罚"],
    ["enforcement", "行政强制"],
  ] as const) {
    const value = two[key]?.decisions;
    if (typeof value === "number") decisions.push(`${label}决定 ${value} 件`);
  }
  if (decisions.length > 0) parts.push(`公开${decisions.join("、")}。`);
  return parts.join("");
}

function receivedText(facts: NarrativeFacts): string {
  const { year, agencyName, three, previousYear } = facts;
  const received = total(three, "newReceived");
  const carried = total(three, "carriedOver");
  let text = `${year}年，${agencyName}新收政府信息公开申请 ${received} 件，上年结转政府信息公开申请 ${carried} 件`;
  if (previousYear && previousYear.newReceived > 0) {
    const diff = received - previousYear.newReceived;
    text += diff === 0 ? "，与上年持平" : `，较上年${diff > 0 ? "增加" : "减少"} ${Math.abs(diff)} 件`;
  }
  text += "。";
  if (received > 0) {
    const byType = applicantTypeKeys
      .map((key) => ({ key, count: three.rows.newReceived?.[key] ?? 0 }))
      .filter((entry) => entry.count > 0)
      .map(
        (entry) =>
          `${applicantColumns.find((c) => c.key === entry.key)?.label ?? entry.key} ${entry.count} 件`,
      );
    text += `从申请人类型看，${byType.join("、")}。`;
  }
  return text;
}

function closedText(facts: NarrativeFacts): string {
  const { three, timeliness, formatVersion } = facts;
  const closed = total(three, "closedTotal");
  const forward = total(three, "carriedForward");
  const rows = table3RowsOf(formatVersion).filter((row) => !COUNT_ROWS.has(row.key));
  const groupTotals = outcomeGroups.map((group) => {
    const keys = rows
      .filter((row) =>
        row.key === "other"
          ? group.key === "other"
          : outcomes[row.key as keyof typeof outcomes]?.group === group.key,
      )
      .map((row) => row.key);
    const details = keys
      .filter((key) => key !== group.key && (three.rows[key]?.total ?? 0) > 0)
      .map(
        (key) =>
          `${stripNumber(outcomes[key as keyof typeof outcomes]?.label ?? key)} ${three.rows[key]?.total ?? 0} 件`,
      );
    const sum = keys.reduce((acc, key) => acc + (three.rows[key]?.total ?? 0), 0);
    const name = group.label.replace(/^（.）/, "").replace(/（.*$/, "");
    return { name, sum, details };
  });
  let text = `本年办结政府信息公开申请 ${closed} 件`;
  if (closed > 0) {
    const parts = groupTotals
      .filter((g) => g.sum > 0)
      .map((g) => `${g.name} ${g.sum} 件${g.details.length > 1 ? `（${g.details.join("，")}）` : ""}`);
    text += `，其中${parts.join("，")}`;
  }
  text += `；结转下年度继续办理 ${forward} 件。`;
  if (timeliness.measured > 0) {
    const rate = ((timeliness.onTime / timeliness.measured) * 100).toFixed(1);
    // The rate names its base: closed applications that had a running answer period, which is
    // fewer than all closed ones (withdrawn or closed before receipt have none), so the reader
    // does not divide by the closed total above and find an arithmetic error.
    text += `在答复期限内按时办结 ${timeliness.onTime} 件，按时办结率 ${rate}%（按时办结 ${timeliness.onTime} 件 ÷ 计算答复期限的办结 ${timeliness.measured} 件）`;
    text += timeliness.late.length > 0 ? `，超过答复期限 ${timeliness.late.length} 件。` : "。";
  }
  return text;
}

function reviewText(facts: NarrativeFacts): string {
  const four = facts.four;
  const reconsideration = four.reconsideration.total;
  const direct = four.litigationDirect.total;
  const after = four.litigationAfterReconsideration.total;
  if (reconsideration + direct + after === 0)
    return `${facts.year}年，${facts.agencyName}未发生因政府信息公开工作引起的行政复议、行政诉讼。`;
  const describe = (cells: Table4Values[keyof Table4Values]) => {
    const parts = [
      ["结果维持", cells.upheld],
      ["结果纠正", cells.corrected],
      ["其他结果", cells.other],
      ["尚未审结", cells.pending],
    ]
      .filter(([, v]) => Number(v) > 0)
      .map(([label, v]) => `${label} ${v} 起`);
    return parts.length > 0 ? `（${parts.join("，")}）` : "";
  };
  return (
    `${facts.year}年，因政府信息公开工作被申请行政复议 ${reconsideration} 件${describe(four.reconsideration)}，` +
    `被提起行政诉讼 ${direct + after} 件（未经复议直接起诉 ${direct} 起${describe(four.litigationDirect)}，复议后起诉 ${after} 起${describe(four.litigationAfterReconsideration)}）。`
  );
}

function stripNumber(label: string): string {
  return label.replace(/^\d+\./, "").replace(/^（.）/, "");
}

function yuan(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
