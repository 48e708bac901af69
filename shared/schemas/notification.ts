/**
 * In-app reminders for staff (站内提醒): the list query, the path parameters and the DTO.
 */
import { z } from "zod";
import { ObjectIdString, PageQuery } from "./common.ts";

/** Reminder kinds: the answer deadline is within 3 working days, or has passed; or someone urged (催办). */
export const staffNotificationKindLabels = {
  dueSoon: "即将到期",
  overdue: "已超期",
  urge: "催办",
} as const;

/** A reminder kind. */
export type StaffNotificationKindKey = keyof typeof staffNotificationKindLabels;

/** Filters of the reminder list: newest first, optionally unread only. */
export const NotificationListQuery = PageQuery.extend({
  unread: z
    .enum(["true", "false", "1", "0"], { error: "unread 应为 true 或 false" })
    .optional()
    .transform((value) => value === "true" || value === "1"),
  cursor: ObjectIdString.optional(),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

/** Path parameters of one reminder. */
export const NotificationParams = z.object({ id: ObjectIdString });

/** A reminder as the admin page shows it. */
export interface StaffNotificationDTO {
  id: string;
  agencyId: string;
  requestId: string;
  serialNo: string;
  kind: StaffNotificationKindKey;
  kindLabel: string;
  /** The day the reminder is for. */
  date: string;
  dueDate: string;
  text: string;
  /** The current user has read it. */
  isRead: boolean;
  /** Addressed to the current user as the application's assignee. */
  isForMe: boolean;
  createdAt: string;
}

/** A page of reminders with the number still unread. */
export interface StaffNotificationPage {
  items: StaffNotificationDTO[];
  nextCursor: string | null;
  unreadCount: number;
}

/** Body of a 催办: what the one urging asks of the assignee. */
export const UrgeInput = z.object({
  text: z
    .string({ error: "催办内容必须是文字" })
    .trim()
    .min(1, "请填写催办内容")
    .max(200, "催办内容不能超过 200 个字"),
});
