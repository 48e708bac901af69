/**
 * 行政复议 and 行政诉讼 cases of an agency (table 四 of the annual report): listing, loading one the
 * caller may see, registering, correcting and closing. Dates may not lie in the future, a closed case
 * has both a date and a result, a linked application must be the agency's own, and case numbers are
 * unique per agency. Every change is audited.
 */
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type {
  ReviewCaseCloseInput,
  ReviewCaseCreateInput,
  ReviewCaseListQuery,
  ReviewCaseUpdateInput,
} from "@govinfo/shared/schemas/reviewCase";
import type { Context } from "koa";
import { Types } from "mongoose";
import { isDuplicateKey } from "../db/duplicateKey.ts";
import { Conflict, Forbidden, NotFound, ValidationFailed } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { ReviewCase, type ReviewCaseDoc } from "../models/ReviewCase.ts";
import { hasRole, type StaffActor } from "../policies/actor.ts";
import { audit } from "./audit.ts";
import { dateInChina } from "./calendar.ts";

/** The cases of `agencyIds` matching the list filters, newest filing first. */
export async function listReviewCases(
  agencyIds: readonly string[],
  query: ReviewCaseListQuery,
): Promise<ReviewCaseDoc[]> {
  const filter: Record<string, unknown> = {
    agencyId: { $in: agencyIds.map((id) => new Types.ObjectId(id)) },
  };
  if (query.kind) filter.kind = query.kind;
  if (query.status) filter.result = query.status === "pending" ? null : { $ne: null };
  if (query.year) filter.filedDate = { $gte: `${query.year}-01-01`, $lte: `${query.year}-12-31` };
  return ReviewCase.find(filter).sort({ filedDate: -1, caseNo: 1 }).lean<ReviewCaseDoc[]>();
}

/**
 * Loads a case the actor may see (a role of `seeing` at its agency) and act on (a role of `acting`).
 * Not 403 for another agency's case: staff must not learn which cases exist elsewhere.
 */
export async function loadReviewCase(
  actor: StaffActor,
  id: string,
  seeing: readonly StaffRole[],
  acting: readonly StaffRole[],
): Promise<ReviewCaseDoc> {
  const doc = await ReviewCase.findById(id).lean<ReviewCaseDoc>();
  if (!doc || !hasRole(actor, String(doc.agencyId), seeing)) throw NotFound("reviewCase");
  if (!hasRole(actor, String(doc.agencyId), acting)) throw Forbidden("监督人员只能查看案件，不能修改");
  return doc;
}

/** Registers a case of an existing agency (the caller's right to do so is checked before). */
export async function createReviewCase(body: ReviewCaseCreateInput, ctx: Context): Promise<ReviewCaseDoc> {
  if (!(await Agency.exists({ _id: body.agencyId }))) throw NotFound("agency", "机关不存在");
  const agencyId = new Types.ObjectId(body.agencyId);
  checkDatesNotFuture(body.filedDate, body.closedDate ?? null);
  const link = await resolveLink(agencyId, body.requestId, body.requestSerialNo);
  const created = await saveUnique(() =>
    ReviewCase.create({
      agencyId,
      caseNo: body.caseNo,
      kind: body.kind,
      ...link,
      filedDate: body.filedDate,
      closedDate: body.closedDate ?? null,
      result: body.result ?? null,
      notes: body.notes,
    }),
  );
  const doc = created.toObject() as ReviewCaseDoc;
  await auditCase(ctx, "reviewCase.create", doc);
  return doc;
}

/** Corrects a loaded case: the given fields replace the stored ones, the link is re-resolved if given. */
export async function updateReviewCase(
  before: ReviewCaseDoc,
  body: ReviewCaseUpdateInput,
  ctx: Context,
): Promise<ReviewCaseDoc> {
  const next = {
    caseNo: body.caseNo ?? before.caseNo,
    kind: body.kind ?? before.kind,
    filedDate: body.filedDate ?? before.filedDate,
    closedDate: (body.closedDate === undefined ? before.closedDate : body.closedDate) ?? null,
    result: (body.result === undefined ? before.result : body.result) ?? null,
    notes: body.notes ?? before.notes,
  };
  checkCombined(next);
  checkDatesNotFuture(next.filedDate, next.closedDate ?? null);
  const relink = body.requestId !== undefined || body.requestSerialNo !== undefined;
  const link = relink
    ? await resolveLink(before.agencyId, body.requestId, body.requestSerialNo)
    : { requestId: before.requestId, requestSerialNo: before.requestSerialNo };
  const after = await saveUnique(() =>
    ReviewCase.findOneAndUpdate(
      { _id: before._id },
      { $set: { ...next, ...link } },
      { returnDocument: "after" },
    ).lean<ReviewCaseDoc>(),
  );
  if (!after) throw NotFound("reviewCase");
  await auditCase(ctx, "reviewCase.update", after, { changed: changedFields(before, after) });
  return after;
}

/** Closes a pending case with its date and result; a case closed meanwhile answers 409. */
export async function closeReviewCase(
  before: ReviewCaseDoc,
  body: ReviewCaseCloseInput,
  ctx: Context,
): Promise<ReviewCaseDoc> {
  if (before.result) throw Conflict("reviewCase.already_closed", "该案件已结案；如需更正请修改案件");
  checkCombined({ filedDate: before.filedDate, closedDate: body.closedDate, result: body.result });
  checkDatesNotFuture(before.filedDate, body.closedDate);
  const after = await ReviewCase.findOneAndUpdate(
    { _id: before._id, result: null },
    { $set: { closedDate: body.closedDate, result: body.result } },
    { returnDocument: "after" },
  ).lean<ReviewCaseDoc>();
  if (!after) throw Conflict("reviewCase.already_closed", "该案件已被他人结案，请刷新后查看");
  await auditCase(ctx, "reviewCase.close", after, { result: body.result });
  return after;
}

/** Resolves the linked application by id or 申请编号 within the agency; both empty = no link. */
async function resolveLink(
  agencyId: Types.ObjectId,
  requestId: string | null | undefined,
  serialNo: string | undefined,
): Promise<{ requestId: Types.ObjectId | null; requestSerialNo: string }> {
  if (!requestId && !serialNo) return { requestId: null, requestSerialNo: "" };
  const filter: Record<string, unknown> = { agencyId };
  if (requestId) filter._id = new Types.ObjectId(requestId);
  if (serialNo) filter.serialNo = serialNo;
  const request = await DisclosureRequest.findOne(filter, { _id: 1, serialNo: 1 }).lean();
  if (!request) {
    throw ValidationFailed([
      {
        path: requestId ? "requestId" : "requestSerialNo",
        message: requestId && serialNo ? "关联申请的编号与申请编号不一致" : "本机关没有该申请编号对应的申请",
      },
    ]);
  }
  return { requestId: request._id, requestSerialNo: request.serialNo };
}

function checkCombined(value: { filedDate: string; closedDate: string | null; result: string | null }): void {
  const problems = [];
  if (value.closedDate && value.closedDate < value.filedDate)
    problems.push({ path: "closedDate", message: "结案日期不能早于立案日期" });
  if (value.closedDate && !value.result) problems.push({ path: "result", message: "已结案的案件请选择结果" });
  if (value.result && !value.closedDate)
    problems.push({ path: "closedDate", message: "填写结果的，请同时填写结案日期" });
  if (problems.length > 0) throw ValidationFailed(problems);
}

function checkDatesNotFuture(filedDate: string, closedDate: string | null): void {
  const today = dateInChina();
  const problems = [];
  if (filedDate > today) problems.push({ path: "filedDate", message: `立案日期不能晚于今天（${today}）` });
  if (closedDate && closedDate > today)
    problems.push({ path: "closedDate", message: `结案日期不能晚于今天（${today}）` });
  if (problems.length > 0) throw ValidationFailed(problems);
}

/** Runs a write and turns a duplicate case number into a 409 naming the field. */
async function saveUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) {
      throw Conflict("reviewCase.duplicate_case_no", "本机关已有相同案件编号的案件");
    }
    throw error;
  }
}

function changedFields(before: ReviewCaseDoc, after: ReviewCaseDoc): string[] {
  const keys = ["caseNo", "kind", "requestSerialNo", "filedDate", "closedDate", "result", "notes"] as const;
  return keys.filter((key) => before[key] !== after[key]);
}

function auditCase(
  ctx: Context,
  action: string,
  doc: ReviewCaseDoc,
  details: Record<string, unknown> = {},
): Promise<void> {
  return audit(ctx, {
    action,
    targetType: "reviewCase",
    targetId: doc._id,
    agencyId: doc.agencyId,
    details: { caseNo: doc.caseNo, kind: doc.kind, ...details },
  });
}
