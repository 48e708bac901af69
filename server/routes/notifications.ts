/**
 * Staff reminders (站内提醒): the list for the agencies the user works for, and marking as read.
 */
import { notificationsApi } from "@govinfo/shared/api/routes/notifications";
import {
  type StaffNotificationDTO,
  type StaffNotificationPage,
  staffNotificationKindLabels,
} from "@govinfo/shared/schemas/notification";
import { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { StaffNotification, type StaffNotificationDoc } from "../models/StaffNotification.ts";
import { agenciesWith, type StaffActor } from "../policies/actor.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/notifications router. */
export function createNotificationsRouter() {
  return buildRouter("", [
    route({
      ...notificationsApi.list,
      summary: "我的站内提醒（所属机关申请的答复期限提醒）",
      access: access.staff(),
      handler: async (ctx, { query }): Promise<StaffNotificationPage> => {
        const actor = staffOf(ctx);
        const visible = visibleTo(actor);
        const unread = { ...visible, readBy: { $ne: actor.id } };
        const filter: Record<string, unknown> = query.unread ? { ...unread } : { ...visible };
        if (query.cursor) filter._id = { $lt: new Types.ObjectId(query.cursor) };
        const rows = await StaffNotification.find(filter)
          .sort({ _id: -1 })
          .limit(query.limit + 1)
          .lean<StaffNotificationDoc[]>();
        const page = rows.slice(0, query.limit);
        return {
          items: page.map((row) => presentNotification(row, actor)),
          nextCursor: rows.length > query.limit ? String(page.at(-1)?._id) : null,
          unreadCount: await StaffNotification.countDocuments(unread),
        };
      },
    }),
    route({
      ...notificationsApi.readAll,
      summary: "将全部站内提醒标为已读",
      access: access.staff(),
      handler: async (ctx) => {
        const actor = staffOf(ctx);
        const result = await StaffNotification.updateMany(
          { ...visibleTo(actor), readBy: { $ne: actor.id } },
          { $addToSet: { readBy: actor.id } },
        );
        return { marked: result.modifiedCount };
      },
    }),
    route({
      ...notificationsApi.read,
      summary: "将一条站内提醒标为已读",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        const actor = staffOf(ctx);
        // Someone else's agency answers 404 like a missing id, so ids reveal nothing.
        const row = await StaffNotification.findOneAndUpdate(
          { _id: new Types.ObjectId(params.id), ...visibleTo(actor) },
          { $addToSet: { readBy: actor.id } },
          { returnDocument: "after" },
        ).lean<StaffNotificationDoc>();
        if (!row) throw NotFound("notification", "提醒不存在");
        return presentNotification(row, actor);
      },
    }),
  ]);
}

/** Filter of the reminders a staff member may see: those of every agency they hold a role at. */
function visibleTo(actor: StaffActor): Record<string, unknown> {
  return { agencyId: { $in: agenciesWith(actor).map((id) => new Types.ObjectId(id)) } };
}

function presentNotification(row: StaffNotificationDoc, actor: StaffActor): StaffNotificationDTO {
  const kind = row.kind as StaffNotificationDTO["kind"];
  return {
    id: String(row._id),
    agencyId: String(row.agencyId),
    requestId: String(row.requestId),
    serialNo: row.serialNo,
    kind,
    kindLabel: staffNotificationKindLabels[kind],
    date: row.date,
    dueDate: row.dueDate,
    text: row.text,
    isRead: row.readBy.some((id) => id.equals(actor.id)),
    isForMe: row.userId?.equals(actor.id) ?? false,
    createdAt: (row as StaffNotificationDoc & { createdAt: Date }).createdAt.toISOString(),
  };
}
