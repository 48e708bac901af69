/**
 * WeChat subscribe-message consents: each template an applicant accepts allows one message, so every
 * acceptance is stored as one `kind:templateId` entry on the account, and the outbox takes (removes)
 * one entry of the step's kind when it queues a message.
 */
import { type SubscribeKind, subscriptionEntry } from "@govinfo/shared/wechat/subscribe";
import type { ClientSession, Types } from "mongoose";
import { Applicant } from "../models/Applicant.ts";

/** More consents than this are not kept: an applicant never needs that many messages in advance. */
const MAX_ENTRIES = 30;

/**
 * Stores the templates the applicant accepted.
 * @param applicantId the logged-in applicant.
 * @param accepted one entry per accepted template.
 */
export async function recordSubscriptions(
  applicantId: Types.ObjectId,
  accepted: readonly { kind: SubscribeKind; templateId: string }[],
): Promise<number> {
  const entries = accepted.map(({ kind, templateId }) => subscriptionEntry(kind, templateId));
  const updated = await Applicant.findByIdAndUpdate(
    applicantId,
    { $push: { subscriptions: { $each: entries, $slice: -MAX_ENTRIES } } },
    { returnDocument: "after", projection: { subscriptions: 1 } },
  ).lean<{ subscriptions: string[] }>();
  return updated?.subscriptions.length ?? 0;
}

/**
 * Takes one consent of `kind` from the applicant, in the caller's transaction, and returns its
 * template id (null when there is none). Entries stored before kinds existed (a bare template id)
 * count for any kind.
 */
export async function takeSubscription(
  account: { _id: Types.ObjectId; subscriptions?: string[] } | null,
  kind: SubscribeKind,
  session: ClientSession,
): Promise<string | null> {
  const entries = account?.subscriptions ?? [];
  const index = entries.findIndex((entry) => entry.startsWith(`${kind}:`) || !entry.includes(":"));
  if (!account || index < 0) return null;
  const entry = entries[index] ?? "";
  const rest = entries.filter((_, i) => i !== index);
  await Applicant.updateOne({ _id: account._id }, { $set: { subscriptions: rest } }, { session });
  return entry.includes(":") ? entry.slice(entry.indexOf(":") + 1) : entry;
}
