/**
 * Notifications to applicants (申请人消息): the steps an applicant hears about, the delivery channels,
 * and the in-app message list of the applicant endpoints.
 */
import { z } from "zod";
import { ObjectIdString, PageQuery } from "./common.ts";

/** Steps of a case the applicant is told about. */
export const messageSteps = [
  "received",
  "correctionRequested",
  "extended",
  "feeNotice",
  "decided",
  "delivered",
  "closed",
  "staffReminder",
] as const;

/** A step the applicant is told about. */
export type MessageStep = (typeof messageSteps)[number];

/** Short Chinese names of the steps (≤ 5 characters: they also fill WeChat `phrase` fields). */
export const messageStepLabels: Readonly<Record<MessageStep, string>> = {
  received: "已收到",
  correctionRequested: "待补正",
  extended: "已延期",
  feeNotice: "待缴费",
  decided: "已答复",
  delivered: "已送达",
  closed: "已办结",
  staffReminder: "待办提醒",
};

/** Delivery channels of a notification. */
export const messageChannels = ["inApp", "sms", "wechat"] as const;

/** A delivery channel. */
export type MessageChannel = (typeof messageChannels)[number];

/** Delivery state of one channel of one notification. */
export const channelStatuses = ["pending", "delivered", "skipped"] as const;

/** Delivery state of one channel. */
export type ChannelStatus = (typeof channelStatuses)[number];

/** Query of the applicant's message list: newest first, optionally unread only. */
export const MessageListQuery = PageQuery.extend({
  cursor: ObjectIdString.optional(),
  unread: z
    .enum(["true", "false", "1", "0"], { error: "unread 应为 true 或 false" })
    .optional()
    .transform((value) => value === "true" || value === "1"),
});

/** Query of the applicant's message list. */
export type MessageListQuery = z.infer<typeof MessageListQuery>;

/** Path parameters of one message. */
export const MessageParams = z.object({ id: ObjectIdString });

/** One in-app message as the applicant sees it. */
export const ApplicantMessageDto = z.strictObject({
  id: z.string(),
  requestId: z.string(),
  serialNo: z.string(),
  step: z.enum(messageSteps),
  stepLabel: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

/** One in-app message as the applicant sees it. */
export type ApplicantMessageDto = z.infer<typeof ApplicantMessageDto>;

/** A page of messages with the number still unread. */
export interface ApplicantMessagePage {
  items: ApplicantMessageDto[];
  nextCursor: string | null;
  unreadCount: number;
}
