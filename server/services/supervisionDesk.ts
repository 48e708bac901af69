/**
 * 督办: a supervisor issues a 督办单 to an agency it supervises (about one application or the agency's
 * work), with a deadline in working days on the one working-day calendar; the agency's staff reply with
 * the 办理情况. A 督办单 still unanswered after its deadline is overdue. Lists carry the counts the
 * supervisor overview shows.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import {
  type SupervisionCreateInput,
  type SupervisionDto,
  type SupervisionListDto,
  type SupervisionListQuery,
  supervisionStatusLabels,
} from "@govinfo/shared/schemas/supervision";
import type { Context } from "koa";
import mongoose, { Types } from "mongoose";
import { Conflict, Forbidden, NotFound } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { Supervision, type SupervisionDoc } from "../models/Supervision.ts";
import { agenciesWith, hasRole, type StaffActor } from "../policies/actor.ts";
import { audit } from "./audit.ts";
import { calendarOverrides, dateInChina } from "./calendar.ts";

/** Roles of the supervised agency that answer a 督办单. */
const replyRoles = rolesFor("answerSupervision");

/**
 * Issues a 督办单.
 * @param actor a supervisor of the target agency (supervision covers the subtree).
 */
export async function issueSupervision(
  actor: StaffActor,
  input: SupervisionCreateInput,
  ctx: Context,
  today: string = dateInChina(),
): Promise<SupervisionDto> {
  let agencyId: string;
  let request: Pick<DisclosureRequestDoc, "_id" | "serialNo" | "agencyId"> | null = null;
  if (input.requestId) {
    request = await DisclosureRequest.findById(input.requestId, { serialNo: 1, agencyId: 1 }).lean<
      Pick<DisclosureRequestDoc, "_id" | "serialNo" | "agencyId">
    >();
    if (!request || !actor.roles.has(String(request.agencyId))) throw NotFound("request");
    agencyId = String(request.agencyId);
  } else {
    agencyId = input.agencyId ?? "";
    if (!actor.roles.has(agencyId) || !(await Agency.exists({ _id: agencyId }))) throw NotFound("agency");
  }
  if (!hasRole(actor, agencyId, rolesFor("superviseAgencies")))
    throw Forbidden("只有上级监督人员可以对该机关督办");
  const deadline = addWorkingDays(today, input.workingDays, await calendarOverrides());
  let created: SupervisionDoc | undefined;
  await mongoose.connection.transaction(async (session) => {
    const [doc] = await Supervision.create(
      [
        {
          agencyId: new Types.ObjectId(agencyId),
          requestId: request?._id ?? null,
          serialNo: request?.serialNo ?? "",
          issuerId: actor.id,
          issuerName: actor.user.displayName,
          reason: input.reason,
          workingDays: input.workingDays,
          issuedDate: today,
          deadline,
        },
      ],
      { session },
    );
    if (!doc) return;
    created = doc.toObject() as SupervisionDoc;
    await audit(
      ctx,
      {
        action: "supervision.issue",
        targetType: "supervision",
        targetId: doc._id,
        agencyId,
        details: { deadline, ...(request ? { serialNo: request.serialNo } : {}) },
      },
      session,
    );
  });
  if (!created) throw NotFound("supervision");
  return (await presentSupervisions([created], actor, today))[0] as SupervisionDto;
}

/**
 * Lists the 督办单 of the agencies the actor works at or supervises, with the counts by status.
 * @param query optional agency, application and status filters.
 */
export async function listSupervisions(
  actor: StaffActor,
  query: SupervisionListQuery,
  today: string = dateInChina(),
): Promise<SupervisionListDto> {
  const visible = agenciesWith(actor);
  if (query.agencyId && !visible.includes(query.agencyId)) throw Forbidden("您不能查看该机关的督办单");
  const scope: Record<string, unknown> = {
    agencyId: { $in: (query.agencyId ? [query.agencyId] : visible).map((id) => new Types.ObjectId(id)) },
    ...(query.requestId ? { requestId: new Types.ObjectId(query.requestId) } : {}),
  };
  const [open, overdue, replied] = await Promise.all([
    Supervision.countDocuments({ ...scope, status: "open" }),
    Supervision.countDocuments({ ...scope, status: "open", deadline: { $lt: today } }),
    Supervision.countDocuments({ ...scope, status: "replied" }),
  ]);
  const byStatus =
    query.status === "overdue"
      ? { status: "open" as const, deadline: { $lt: today } }
      : query.status
        ? { status: query.status }
        : {};
  const docs = await Supervision.find({ ...scope, ...byStatus })
    .sort({ status: 1, deadline: 1, _id: -1 })
    .limit(query.limit)
    .lean<SupervisionDoc[]>();
  return { items: await presentSupervisions(docs, actor, today), counts: { open, overdue, replied } };
}

/**
 * Records the agency's 办理情况 on an open 督办单.
 * @param reply the text of the reply.
 */
export async function replySupervision(
  actor: StaffActor,
  id: string,
  reply: string,
  ctx: Context,
  today: string = dateInChina(),
): Promise<SupervisionDto> {
  const doc = await Supervision.findById(id).lean<SupervisionDoc>();
  if (!doc || !actor.roles.has(String(doc.agencyId))) throw NotFound("supervision");
  if (!hasRole(actor, String(doc.agencyId), replyRoles)) {
    throw Forbidden("只有被督办机关的工作人员可以反馈办理情况");
  }
  let updated: SupervisionDoc | null = null;
  await mongoose.connection.transaction(async (session) => {
    updated = await Supervision.findOneAndUpdate(
      { _id: doc._id, status: "open" },
      {
        $set: {
          status: "replied",
          reply: { text: reply, authorId: actor.id, authorName: actor.user.displayName, date: today },
        },
      },
      { returnDocument: "after", session },
    ).lean<SupervisionDoc>();
    if (!updated) throw Conflict("supervision.replied", "该督办单已反馈办理情况，不能重复反馈");
    await audit(
      ctx,
      { action: "supervision.reply", targetType: "supervision", targetId: doc._id, agencyId: doc.agencyId },
      session,
    );
  });
  return (
    await presentSupervisions([updated as unknown as SupervisionDoc], actor, today)
  )[0] as SupervisionDto;
}

async function presentSupervisions(
  docs: readonly SupervisionDoc[],
  actor: StaffActor,
  today: string,
): Promise<SupervisionDto[]> {
  const agencies = await Agency.find({ _id: { $in: docs.map((d) => d.agencyId) } }, { name: 1 }).lean<
    { _id: Types.ObjectId; name: string }[]
  >();
  return docs.map((doc) => {
    const overdue = doc.status === "open" && today > doc.deadline;
    const reply = doc.reply as { text?: string; authorName?: string; date?: string } | null;
    return {
      id: String(doc._id),
      agency: {
        id: String(doc.agencyId),
        name: agencies.find((a) => String(a._id) === String(doc.agencyId))?.name ?? "",
      },
      request: doc.requestId ? { id: String(doc.requestId), serialNo: doc.serialNo ?? "" } : null,
      issuerName: doc.issuerName,
      reason: doc.reason,
      workingDays: doc.workingDays,
      issuedDate: doc.issuedDate,
      deadline: doc.deadline,
      status: doc.status as SupervisionDto["status"],
      overdue,
      statusLabel: overdue ? supervisionStatusLabels.overdue : supervisionStatusLabels[doc.status as "open"],
      reply: reply?.text
        ? { text: reply.text, authorName: reply.authorName ?? "", date: reply.date ?? "" }
        : null,
      canReply: doc.status === "open" && hasRole(actor, String(doc.agencyId), replyRoles),
    };
  });
}
