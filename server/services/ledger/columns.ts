/**
 * The ledger (台账) format: sheet names, headers in order, and the Chinese names of every enumerated
 * value (issue 4 item 8). Import accepts a few common synonyms; export always writes the canonical
 * names below, so an exported ledger imports back to the same records.
 */
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import {
  type ReviewCaseKind,
  type ReviewCaseResult,
  reviewCaseKindLedgerNames,
  reviewCaseResultLedgerNames,
} from "@govinfo/shared/schemas/reviewCase";
import {
  type ApplicantType,
  applicantColumns,
  type OutcomeKey,
  outcomeKeys,
  outcomes,
} from "@govinfo/shared/stats/keys";
import type { DeliveryMethod, IdType, InfoForm } from "./types.ts";

/** Sheet 1: one application per row. */
export const APPLICATION_SHEET = "申请";
/** Sheet 2: review cases (XLSX only). */
export const REVIEW_CASE_SHEET = "复议诉讼";

/** Sheet 1 headers read on import, in order. */
export const applicationColumns = [
  "申请编号",
  "收到日期",
  "收到渠道",
  "申请人类型",
  "申请人姓名或名称",
  "证件类型",
  "证件号码",
  "联系电话",
  "通信地址",
  "电子邮箱",
  "申请内容",
  "信息形式",
  "获取方式",
  "补正告知日期",
  "补正期限",
  "补正收到日期",
  "延期告知日期",
  "延期工作日数",
  "征求意见开始日期",
  "征求意见结束日期",
  "收费通知日期",
  "缴费日期",
  "办结日期",
  "办理结果",
  "备注",
] as const;

/** A sheet 1 column read on import. */
export type ApplicationColumn = (typeof applicationColumns)[number];

/** Columns the export adds after the import columns (derived from the clock and state; ignored on import). */
export const derivedColumns = ["答复期限", "是否超期", "当前状态"] as const;

/** A derived sheet 1 column. */
export type DerivedColumn = (typeof derivedColumns)[number];

/** Sheet 1 headers written on export. */
export const exportColumns: readonly (ApplicationColumn | DerivedColumn)[] = [
  ...applicationColumns,
  ...derivedColumns,
];

/** Sheet 2 headers. */
export const reviewCaseColumns = [
  "案件编号",
  "关联申请编号",
  "案件类型",
  "立案日期",
  "结案日期",
  "结果",
] as const;

/** A sheet 2 column. */
export type ReviewCaseColumn = (typeof reviewCaseColumns)[number];

/** 收到渠道 written on export. 其他 is the channel whose receipt day is the day both sides confirm. */
export const channelLedgerNames: Readonly<Record<Channel, string>> = {
  inPerson: "当面",
  registeredMail: "邮寄",
  ordinaryMail: "其他",
  online: "网络",
  fax: "传真",
  email: "电子邮件",
};

/** 收到渠道 accepted on import (canonical names plus the platform's own labels). */
export const channelAliases: Readonly<Record<string, Channel>> = {
  ...invert(channelLedgerNames),
  当面提交: "inPerson",
  "邮寄（需签收）": "registeredMail",
  挂号信: "registeredMail",
  平常信函: "ordinaryMail",
  信函: "ordinaryMail",
  互联网: "online",
  网上: "online",
  在线: "online",
  邮件: "email",
};

/** 申请人类型 (table 三 column labels), both directions. */
export const applicantTypeLedgerNames: Readonly<Record<ApplicantType, string>> = Object.fromEntries(
  applicantColumns.filter((c) => c.key !== "total").map((c) => [c.key, c.label]),
) as Record<ApplicantType, string>;

/** 申请人类型 accepted on import. */
export const applicantTypeAliases: Readonly<Record<string, ApplicantType>> = {
  ...invert(applicantTypeLedgerNames),
  公民: "natural",
  个人: "natural",
  企业: "commercial",
};

/** 证件类型 written on export. */
export const idTypeLedgerNames: Readonly<Record<IdType, string>> = {
  idCard: "居民身份证",
  creditCode: "统一社会信用代码",
  passport: "护照",
  other: "其他",
};

/** 证件类型 accepted on import. */
export const idTypeAliases: Readonly<Record<string, IdType>> = {
  ...invert(idTypeLedgerNames),
  身份证: "idCard",
  统一社会信用代码证: "creditCode",
  其他证件: "other",
};

/** 信息形式 written on export. */
export const infoFormLedgerNames: Readonly<Record<InfoForm, string>> = { paper: "纸质", electronic: "电子" };

/** 信息形式 accepted on import. */
export const infoFormAliases: Readonly<Record<string, InfoForm>> = {
  ...invert(infoFormLedgerNames),
  纸质文本: "paper",
  纸质版: "paper",
  电子文本: "electronic",
  电子数据: "electronic",
  电子版: "electronic",
};

/** 获取方式 written on export. */
export const deliveryLedgerNames: Readonly<Record<DeliveryMethod, string>> = {
  mail: "邮寄",
  email: "电子邮件",
  inPerson: "当面领取",
  online: "在线获取",
  fax: "传真",
};

/** 获取方式 accepted on import. */
export const deliveryAliases: Readonly<Record<string, DeliveryMethod>> = {
  ...invert(deliveryLedgerNames),
  当面: "inPerson",
  自行领取: "inPerson",
  网络: "online",
  在线: "online",
  网上获取: "online",
  邮件: "email",
};

/** 办理结果 (ledger short names from statistics-keys.md), both directions. */
export const outcomeLedgerNames: Readonly<Record<OutcomeKey, string>> = Object.fromEntries(
  outcomeKeys.map((key) => [key, outcomes[key].ledgerName]),
) as Record<OutcomeKey, string>;

/** 办理结果 accepted on import. */
export const outcomeAliases: Readonly<Record<string, OutcomeKey>> = invert(outcomeLedgerNames);

/** 案件类型 accepted on import. */
export const reviewCaseKindAliases: Readonly<Record<string, ReviewCaseKind>> = {
  ...invert(reviewCaseKindLedgerNames),
  行政诉讼: "litigationDirect",
  "行政诉讼（未经复议直接起诉）": "litigationDirect",
  "行政诉讼（复议后起诉）": "litigationAfterReconsideration",
};

/** 结果 accepted on import. */
export const reviewCaseResultAliases: Readonly<Record<string, ReviewCaseResult>> = {
  ...invert(reviewCaseResultLedgerNames),
  结果维持: "upheld",
  结果纠正: "corrected",
  其他结果: "other",
};

/** The 当前状态 an export writes for withdrawn applications; on import it tells 撤回 from 终止处理. */
export const withdrawnStateLabel = "已撤回";

/** Lists the accepted canonical names for an error message, e.g. "当面、邮寄、网络". */
export function listNames(names: Readonly<Record<string, string>>): string {
  return Object.values(names).join("、");
}

function invert<K extends string>(map: Readonly<Record<K, string>>): Record<string, K> {
  return Object.fromEntries(Object.entries(map).map(([key, name]) => [name, key])) as Record<string, K>;
}
