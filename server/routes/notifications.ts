/**
 * Staff reminders (站内提醒): the list for the agencies the user works for, and marking as read.
 */
import { notificationsApi } from "@govinfo/shared/api/routes/notifications";
import type { StaffNotificationPage } from "@govinfo/shared/schemas/notification";
import { presentNotification } from "../presenters/notification.ts";
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from "../services/staffNotifications.ts";
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
        const page = await listNotifications(actor, query);
        return {
          items: page.rows.map((row) => presentNotification(row, actor)),
          nextCursor: page.nextCursor,
          unreadCount: page.unreadCount,
        };
      },
    }),
    route({
      ...notificationsApi.readAll,
      summary: "将全部站内提醒标为已读",
      access: access.staff(),
      handler: async (ctx) => ({ marked: await markAllNotificationsRead(staffOf(ctx)) }),
    }),
    route({
      ...notificationsApi.read,
      summary: "将一条站内提醒标为已读",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        const actor = staffOf(ctx);
        return presentNotification(await markNotificationRead(actor, params.id), actor);
      },
    }),
  ]);
}
