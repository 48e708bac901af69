/**
 * Renders parsed ledger records as the cells of sheet 1 and sheet 2, with the canonical Chinese
 * names. The export writes these cells, and the import compares them to decide whether an existing
 * record is identical to a row.
 */

import { reviewCaseKindLedgerNames, reviewCaseResultLedgerNames } from "@govinfo/shared/schemas/reviewCase";
import type { ApplicationColumn, ReviewCaseColumn } from "./columns.ts";
import {
  applicantTypeLedgerNames,
  channelLedgerNames,
  deliveryLedgerNames,
  idTypeLedgerNames,
  infoFormLedgerNames,
  outcomeLedgerNames,
} from "./columns.ts";
import type { LedgerApplication, LedgerReviewCase } from "./types.ts";

/** The sheet 1 cells of an application (import columns only). */
export function applicationCells(app: LedgerApplication): Record<ApplicationColumn, string> {
  const hasId = app.applicant.idNumber !== "";
  return {
    申请编号: app.serialNo,
    收到日期: app.receiptDate,
    收到渠道: channelLedgerNames[app.channel],
    申请人类型: applicantTypeLedgerNames[app.applicant.type],
    申请人姓名或名称: app.applicant.name,
    证件类型: hasId ? idTypeLedgerNames[app.applicant.idType] : "",
    证件号码: app.applicant.idNumber,
    联系电话: app.applicant.phone,
    通信地址: app.applicant.address,
    电子邮箱: app.applicant.email,
    申请内容: app.description,
    信息形式: infoFormLedgerNames[app.infoForm],
    获取方式: deliveryLedgerNames[app.delivery],
    补正告知日期: app.correction?.noticeDate ?? "",
    补正期限: app.correction?.deadline ?? "",
    补正收到日期: app.correction?.receivedDate ?? "",
    延期告知日期: app.extension?.date ?? "",
    延期工作日数: app.extension ? String(app.extension.workingDays) : "",
    征求意见开始日期: app.consultation?.startDate ?? "",
    征求意见结束日期: app.consultation?.endDate ?? "",
    收费通知日期: app.fee?.noticeDate ?? "",
    缴费日期: app.fee?.paidDate ?? "",
    办结日期: app.closing?.date ?? "",
    办理结果: app.closing ? outcomeLedgerNames[app.closing.outcome] : "",
    备注: app.remarks,
  };
}

/** The sheet 2 cells of a review case. */
export function reviewCaseCells(item: LedgerReviewCase): Record<ReviewCaseColumn, string> {
  return {
    案件编号: item.caseNo,
    关联申请编号: item.requestSerialNo,
    案件类型: reviewCaseKindLedgerNames[item.kind],
    立案日期: item.filedDate,
    结案日期: item.closedDate ?? "",
    结果: item.result ? reviewCaseResultLedgerNames[item.result] : "",
  };
}

/**
 * The columns where two renderings differ (empty when identical).
 * @param a the cells of one record.
 * @param b the cells of the other.
 */
export function differingColumns<K extends string>(a: Record<K, string>, b: Record<K, string>): K[] {
  return (Object.keys(a) as K[]).filter((key) => a[key] !== b[key]);
}
