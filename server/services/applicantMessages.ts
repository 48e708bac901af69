/**
 * The applicant's in-app messages (站内消息): the delivered in-app copies of outbox messages about
 * their applications, newest first, and marking one as read. Messages of other applicants answer 404.
 */
import type { MessageListQuery } from "@govinfo/shared/schemas/message";
import { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { OutboxMessage, type OutboxMessageDoc } from "../models/OutboxMessage.ts";
import type { ApplicantActor } from "../policies/actor.ts";
import { afterCursor, pageOf } from "./newestFirst.ts";

/** A page of messages with the cursor of the next one and the unread count. */
export interface MessagePage {
  docs: OutboxMessageDoc[];
  nextCursor: string | null;
  unreadCount: number;
}

/** The applicant's delivered in-app messages, newest first. */
export async function listMessages(actor: ApplicantActor, query: MessageListQuery): Promise<MessagePage> {
  const mine = { applicantAccountId: actor.id, "channels.inApp.status": "delivered" };
  const filter = afterCursor(query.unread ? { ...mine, readAt: null } : mine, query.cursor);
  const rows = await OutboxMessage.find(filter)
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean<OutboxMessageDoc[]>();
  const { page, nextCursor } = pageOf(rows, query.limit);
  return {
    docs: page,
    nextCursor,
    unreadCount: await OutboxMessage.countDocuments({ ...mine, readAt: null }),
  };
}

/** Marks the applicant's own message as read; reading twice keeps the first time. */
export async function markMessageRead(actor: ApplicantActor, id: string): Promise<OutboxMessageDoc> {
  const owned = { _id: new Types.ObjectId(id), applicantAccountId: actor.id };
  await OutboxMessage.updateOne({ ...owned, readAt: null }, { $set: { readAt: new Date() } });
  const doc = await OutboxMessage.findOne(owned).lean<OutboxMessageDoc>();
  if (!doc) throw NotFound("message");
  return doc;
}
