/**
 * The applicant's in-app messages (站内消息) about their applications: the list, newest first, and
 * marking one as read. Messages of other applicants answer 404.
 */
import { messagesApi } from "@govinfo/shared/api/routes/messages";
import {
  type ApplicantMessageDto,
  type ApplicantMessagePage,
  type MessageStep,
  messageStepLabels,
} from "@govinfo/shared/schemas/message";
import { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { OutboxMessage, type OutboxMessageDoc } from "../models/OutboxMessage.ts";
import { access, applicantOf, buildRouter, route } from "./define.ts";

/** The /api/messages router. */
export function createMessagesRouter() {
  return buildRouter("", [
    route({
      ...messagesApi.list,
      summary: "我的消息（申请办理进度通知，最新的在前）",
      access: access.applicant,
      handler: async (ctx, { query }): Promise<ApplicantMessagePage> => {
        const actor = applicantOf(ctx);
        const mine = { applicantAccountId: actor.id, "channels.inApp.status": "delivered" };
        const filter: Record<string, unknown> = { ...mine };
        if (query.unread) filter.readAt = null;
        if (query.cursor) filter._id = { $lt: new Types.ObjectId(query.cursor) };
        const docs = await OutboxMessage.find(filter)
          .sort({ _id: -1 })
          .limit(query.limit + 1)
          .lean<OutboxMessageDoc[]>();
        const page = docs.slice(0, query.limit);
        const unreadCount = await OutboxMessage.countDocuments({ ...mine, readAt: null });
        return {
          items: page.map(presentMessage),
          nextCursor: docs.length > query.limit ? String(page.at(-1)?._id) : null,
          unreadCount,
        };
      },
    }),
    route({
      ...messagesApi.read,
      summary: "将消息标记为已读",
      access: access.applicant,
      handler: async (ctx, { params }): Promise<ApplicantMessageDto> => {
        const actor = applicantOf(ctx);
        const owned = { _id: new Types.ObjectId(params.id), applicantAccountId: actor.id };
        // Reading twice keeps the first time.
        await OutboxMessage.updateOne({ ...owned, readAt: null }, { $set: { readAt: new Date() } });
        const doc = await OutboxMessage.findOne(owned).lean<OutboxMessageDoc>();
        if (!doc) throw NotFound("message");
        return presentMessage(doc);
      },
    }),
  ]);
}

/** An outbox message as its applicant sees it. */
export function presentMessage(doc: OutboxMessageDoc): ApplicantMessageDto {
  return {
    id: String(doc._id),
    requestId: String(doc.requestId),
    serialNo: doc.serialNo,
    step: doc.step as MessageStep,
    stepLabel: messageStepLabels[doc.step as MessageStep],
    title: doc.title,
    body: doc.body,
    createdAt: doc.createdAt.toISOString(),
    readAt: doc.readAt ? doc.readAt.toISOString() : null,
  };
}
