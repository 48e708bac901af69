/**
 * The wire contract of /api/notifications: the server's `routes/notifications.ts` attaches handlers to these, the
 * clients call them.
 */

import { z } from "zod";
import type { StaffNotificationDTO, StaffNotificationPage } from "../../schemas/notification.ts";
import { NotificationListQuery, NotificationParams } from "../../schemas/notification.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/notifications endpoints. */
export const notificationsApi = {
  list: endpoint({
    method: "get",
    path: "/notifications",
    query: NotificationListQuery,
    response: typedAs<StaffNotificationPage>(),
  }),
  readAll: endpoint({
    method: "post",
    path: "/notifications/read-all",
    response: z.strictObject({ marked: z.number() }),
  }),
  read: endpoint({
    method: "post",
    path: "/notifications/:id/read",
    params: NotificationParams,
    response: typedAs<StaffNotificationDTO>(),
  }),
};
