/**
 * Staff reminders (站内提醒) as their readers use them: a page of the reminders of every agency the
 * user holds a role at (optionally unread only), and marking one or all as read for that user.
 */
import type { NotificationListQuery } from "@govinfo/shared/schemas/notification";
import { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { StaffNotification, type StaffNotificationDoc } from "../models/StaffNotification.ts";
import { agenciesWith, type StaffActor } from "../policies/actor.ts";
import { afterCursor, pageOf } from "./newestFirst.ts";

/** A page of reminders, newest first, with the cursor of the next one and the unread count. */
export interface NotificationPage {
  rows: StaffNotificationDoc[];
  nextCursor: string | null;
  unreadCount: number;
}

/** The reminders the actor may see, newest first. */
export async function listNotifications(
  actor: StaffActor,
  query: NotificationListQuery,
): Promise<NotificationPage> {
  const visible = visibleTo(actor);
  const unread = { ...visible, readBy: { $ne: actor.id } };
  const filter = afterCursor(query.unread ? unread : visible, query.cursor);
  const rows = await StaffNotification.find(filter)
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean<StaffNotificationDoc[]>();
  const { page, nextCursor } = pageOf(rows, query.limit);
  return { rows: page, nextCursor, unreadCount: await StaffNotification.countDocuments(unread) };
}

/** Marks every reminder the actor may see as read by them; answers how many changed. */
export async function markAllNotificationsRead(actor: StaffActor): Promise<number> {
  const result = await StaffNotification.updateMany(
    { ...visibleTo(actor), readBy: { $ne: actor.id } },
    { $addToSet: { readBy: actor.id } },
  );
  return result.modifiedCount;
}

/** Marks one reminder as read by the actor. Someone else's agency answers 404 like a missing id, so ids reveal nothing. */
export async function markNotificationRead(actor: StaffActor, id: string): Promise<StaffNotificationDoc> {
  const row = await StaffNotification.findOneAndUpdate(
    { _id: new Types.ObjectId(id), ...visibleTo(actor) },
    { $addToSet: { readBy: actor.id } },
    { returnDocument: "after" },
  ).lean<StaffNotificationDoc>();
  if (!row) throw NotFound("notification", "提醒不存在");
  return row;
}

/** Filter of the reminders a staff member may see: those of every agency they hold a role at. */
function visibleTo(actor: StaffActor): Record<string, unknown> {
  return { agencyId: { $in: agenciesWith(actor).map((id) => new Types.ObjectId(id)) } };
}
