/**
 * Commands on catalogue items: create (a draft), edit, publish, withdraw and repeal. Each one checks
 * the dates (生成 ≤ 发布 ≤ 废止, none in the future), recomputes search tokens and Art. 26 lateness,
 * writes inside a transaction together with its audit event, and drops the public response cache.
 */
import type { FieldProblem } from "@govinfo/shared/api/errors";
import type { Validity } from "@govinfo/shared/catalogue/categories";
import { plainText } from "@govinfo/shared/catalogue/text";
import type {
  InfoItemCreateInput,
  InfoItemRepealInput,
  InfoItemUpdateInput,
} from "@govinfo/shared/schemas/catalogue";
import type { Context } from "koa";
import mongoose, { type ClientSession, Types } from "mongoose";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { Agency, type AgencyDoc } from "../../models/Agency.ts";
import { Counter } from "../../models/Counter.ts";
import { InfoItem, type InfoItemDoc } from "../../models/InfoItem.ts";
import { audit } from "../audit.ts";
import { dateInChina } from "../calendar.ts";
import { bumpCatalogueGeneration } from "./cache.ts";
import { latenessNow } from "./compliance.ts";
import { itemTokens } from "./tokens.ts";

/** 索引号 `<agency code>-<year>-<6-digit seq>`. */
export function formatIndexNo(agencyCode: string, year: number, seq: number): string {
  return `${agencyCode}-${year}-${String(seq).padStart(6, "0")}`;
}

/**
 * Reserves `count` consecutive 索引号 sequence numbers of an agency's year; returns the first.
 * @param session the transaction the items are inserted in (omit for bulk seeding).
 */
export async function reserveIndexSeqs(
  agencyId: Types.ObjectId | string,
  year: number,
  count: number,
  session?: ClientSession,
): Promise<number> {
  const counter = await Counter.findOneAndUpdate(
    { _id: `catalogue:${String(agencyId)}:${year}` },
    { $inc: { value: count } },
    { upsert: true, returnDocument: "after", ...(session ? { session } : {}) },
  ).lean<{ value: number }>();
  return (counter?.value ?? count) - count + 1;
}

/** The dates of an item, as checked together. */
export interface ItemDates {
  formedDate: string;
  publishedDate?: string | null;
  repealedDate?: string | null;
}

/** Problems with an item's dates: order 生成 ≤ 发布 ≤ 废止 and none after `today`. */
export function dateProblems(dates: ItemDates, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { formedDate, publishedDate, repealedDate } = dates;
  if (formedDate > today) problems.push({ path: "formedDate", message: `生成日期不能晚于今天（${today}）` });
  if (publishedDate) {
    if (publishedDate < formedDate)
      problems.push({ path: "publishedDate", message: `发布日期不能早于生成日期（${formedDate}）` });
    if (publishedDate > today)
      problems.push({ path: "publishedDate", message: `发布日期不能晚于今天（${today}）` });
  }
  if (repealedDate) {
    if (publishedDate && repealedDate < publishedDate)
      problems.push({ path: "repealedDate", message: `废止日期不能早于发布日期（${publishedDate}）` });
    else if (repealedDate < formedDate)
      problems.push({ path: "repealedDate", message: `废止日期不能早于生成日期（${formedDate}）` });
    if (repealedDate > today)
      problems.push({ path: "repealedDate", message: `废止日期不能晚于今天（${today}）` });
  }
  return problems;
}

/** The plain-text start of a body, kept for lists and snippets. */
export function excerptOf(body: string, summary = ""): string {
  return plainText(summary || body).slice(0, 160);
}

/** Loads an item or throws 404. */
export async function loadItem(id: string): Promise<InfoItemDoc> {
  const doc = await InfoItem.findById(id).lean<InfoItemDoc>();
  if (!doc) throw NotFound("infoItem", "目录信息不存在");
  return doc;
}

/**
 * Creates a draft item with a fresh 索引号 (year of 生成日期).
 * @param ctx the request (for the audit trail).
 */
export async function createItem(ctx: Context | null, input: InfoItemCreateInput): Promise<InfoItemDoc> {
  const problems = dateProblems({ formedDate: input.formedDate }, dateInChina());
  if (problems.length > 0) throw ValidationFailed(problems);
  const agency = await Agency.findById(input.agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency", "机关不存在");
  const year = Number(input.formedDate.slice(0, 4));
  const { tokens, titleTokens } = itemTokens(input);
  let created: InfoItemDoc | undefined;
  await mongoose.connection.transaction(async (session) => {
    const seq = await reserveIndexSeqs(agency._id, year, 1, session);
    const [doc] = await InfoItem.create(
      [
        {
          ...input,
          agencyId: agency._id,
          indexNo: formatIndexNo(agency.code, year, seq),
          excerpt: excerptOf(input.body, input.summary),
          tokens,
          titleTokens,
          status: "draft",
        },
      ],
      { session },
    );
    created = doc?.toObject() as InfoItemDoc;
    await audit(
      ctx,
      {
        action: "catalogue.create",
        targetType: "infoItem",
        targetId: created._id,
        agencyId: agency._id,
        details: { indexNo: created.indexNo, title: created.title },
      },
      session,
    );
  });
  bumpCatalogueGeneration();
  return created as InfoItemDoc;
}

/** Edits an item; dates are re-checked against the stored ones, tokens and lateness recomputed. */
export async function updateItem(
  ctx: Context | null,
  item: InfoItemDoc,
  patch: InfoItemUpdateInput,
): Promise<InfoItemDoc> {
  const problems: FieldProblem[] = [];
  if (patch.publishedDate !== undefined && item.status !== "published")
    problems.push({ path: "publishedDate", message: "尚未发布的信息不能修改发布日期，请使用发布操作" });
  if (patch.repealedDate !== undefined && item.validity === "inForce")
    problems.push({ path: "repealedDate", message: "现行有效的信息没有废止日期，请使用废止操作" });
  const merged = {
    formedDate: patch.formedDate ?? item.formedDate,
    publishedDate: patch.publishedDate ?? item.publishedDate,
    repealedDate: patch.repealedDate ?? item.repealedDate,
  };
  problems.push(...dateProblems(merged, dateInChina()));
  if (problems.length > 0) throw ValidationFailed(problems);

  const next = { ...item, ...patch };
  const set: Record<string, unknown> = { ...patch };
  const changed = Object.keys(patch).filter(
    (key) =>
      JSON.stringify((item as Record<string, unknown>)[key]) !==
      JSON.stringify((patch as Record<string, unknown>)[key]),
  );
  if (["title", "docNumber", "body", "summary", "topics"].some((key) => key in patch)) {
    Object.assign(set, itemTokens(next), { excerpt: excerptOf(next.body, next.summary) });
  }
  if (patch.publishedDate !== undefined) set.publishedYear = Number(patch.publishedDate.slice(0, 4));
  if (patch.formedDate !== undefined || patch.publishedDate !== undefined)
    set.lateByWorkingDays = await latenessNow(merged.formedDate, merged.publishedDate);
  return writeChange(ctx, item, { status: item.status }, set, "catalogue.update", { changed });
}

/** Publishes a draft or withdrawn item (on `publishedDate`, today by default). */
export async function publishItem(
  ctx: Context | null,
  item: InfoItemDoc,
  publishedDate: string | undefined,
): Promise<InfoItemDoc> {
  if (item.status === "published") throw Conflict("catalogue.already_published", "该信息已发布");
  const date = publishedDate ?? dateInChina();
  const problems = dateProblems({ formedDate: item.formedDate, publishedDate: date }, dateInChina());
  if (problems.length > 0) throw ValidationFailed(problems);
  const late = await latenessNow(item.formedDate, date);
  return writeChange(
    ctx,
    item,
    { status: item.status },
    {
      status: "published",
      publishedDate: date,
      publishedYear: Number(date.slice(0, 4)),
      lateByWorkingDays: late,
      withdrawnReason: "",
    },
    "catalogue.publish",
    { publishedDate: date, lateByWorkingDays: late },
  );
}

/** Withdraws a published item from the public catalogue (it keeps its 索引号 and history). */
export async function withdrawItem(
  ctx: Context | null,
  item: InfoItemDoc,
  reason: string,
): Promise<InfoItemDoc> {
  if (item.status !== "published") throw Conflict("catalogue.not_published", "只有已发布的信息可以撤回");
  return writeChange(
    ctx,
    item,
    { status: "published" },
    { status: "withdrawn", withdrawnReason: reason },
    "catalogue.withdraw",
    { reason },
  );
}

/** Repeals (已废止) or supersedes (已修订) a published item as of `repealedDate`. */
export async function repealItem(
  ctx: Context | null,
  item: InfoItemDoc,
  input: InfoItemRepealInput,
): Promise<InfoItemDoc> {
  if (item.status !== "published") throw Conflict("catalogue.not_published", "只有已发布的信息可以废止");
  if (item.validity !== "inForce") throw Conflict("catalogue.already_repealed", "该信息已废止或已修订");
  const problems = dateProblems(
    { formedDate: item.formedDate, publishedDate: item.publishedDate, repealedDate: input.repealedDate },
    dateInChina(),
  );
  if (problems.length > 0) throw ValidationFailed(problems);
  return writeChange(
    ctx,
    item,
    { status: "published", validity: "inForce" },
    { validity: input.validity satisfies Validity, repealedDate: input.repealedDate },
    "catalogue.repeal",
    { repealedDate: input.repealedDate, validity: input.validity },
  );
}

/**
 * Applies `set` if the item still matches `expect` (compare-and-set), with its audit event, in one
 * transaction; a concurrent change makes it a 409.
 */
export async function writeChange(
  ctx: Context | null,
  item: InfoItemDoc,
  expect: Record<string, unknown>,
  set: Record<string, unknown>,
  action: string,
  details: Record<string, unknown>,
): Promise<InfoItemDoc> {
  let updated: InfoItemDoc | null = null;
  await mongoose.connection.transaction(async (session) => {
    updated = await InfoItem.findOneAndUpdate(
      { _id: item._id, updatedAt: item.updatedAt, ...expect },
      { $set: set },
      { returnDocument: "after", session },
    ).lean<InfoItemDoc>();
    if (!updated) throw Conflict("catalogue.changed", "该信息已被他人修改，请刷新后重试");
    await audit(
      ctx,
      {
        action,
        targetType: "infoItem",
        targetId: item._id,
        agencyId: item.agencyId,
        details: { indexNo: item.indexNo, ...details },
      },
      session,
    );
  });
  bumpCatalogueGeneration();
  return updated as unknown as InfoItemDoc;
}

/** Converts a string id to an ObjectId (ids are validated by the route schema first). */
export function oid(id: string): Types.ObjectId {
  return new Types.ObjectId(id);
}
