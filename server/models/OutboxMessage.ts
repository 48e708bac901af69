/**
 * A notification to an applicant about one step of their application (the outbox), written in the
 * same transaction as the transition it reports and delivered afterwards by `deliverOutbox`: in-app
 * (delivered by being stored), SMS and WeChat subscribe message, each channel with its own status,
 * attempts, next attempt and last error. Unique on (request, event index): one message per step.
 */
import {
  type ChannelStatus,
  channelStatuses,
  type MessageChannel,
  type MessageStep,
  messageSteps,
} from "@govinfo/shared/schemas/message";
import { model, Schema, type Types } from "mongoose";

const channelSchema = new Schema(
  {
    status: { type: String, enum: channelStatuses, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    lastError: { type: String, default: "" },
    deliveredAt: { type: Date, default: null },
    /** Why the channel does not apply (no phone, no openid, not configured). */
    skippedReason: { type: String, default: "" },
  },
  { _id: false },
);

const outboxMessageSchema = new Schema(
  {
    requestId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", required: true },
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    /** Who the message is for: the applicant, or a staff member (催办, 超期预警; never listed to applicants). */
    recipient: { type: String, enum: ["applicant", "staff"], default: "applicant" },
    staffUserId: { type: Schema.Types.ObjectId, ref: "User", default: null },
    /** The applicant's account (null for applications registered on paper without one). */
    applicantAccountId: { type: Schema.Types.ObjectId, ref: "Applicant", default: null },
    serialNo: { type: String, required: true },
    /** Index in the request's events of the event this message reports. */
    eventIndex: { type: Number, required: true },
    eventType: { type: String, required: true },
    step: { type: String, enum: messageSteps, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    smsText: { type: String, default: "" },
    /** The phone, still encrypted with the data key; decrypted only when sending. */
    phoneSealed: { type: String, default: "" },
    openid: { type: String, default: null },
    /** The subscribe-message template the applicant agreed to. */
    templateId: { type: String, default: null },
    /** The date shown in the WeChat message ('YYYY-MM-DD'). */
    date: { type: String, required: true },
    channels: {
      inApp: { type: channelSchema, required: true },
      sms: { type: channelSchema, required: true },
      wechat: { type: channelSchema, required: true },
    },
    /** `pending` while any channel still has to be delivered. */
    status: { type: String, enum: ["pending", "done"], required: true },
    /** The earliest next attempt over the pending channels (null when done). */
    nextAttemptAt: { type: Date, default: null },
    /** A dispatcher holds the message until then, so two dispatchers never send it twice at once. */
    lockedUntil: { type: Date, default: null },
    readAt: { type: Date, default: null },
  },
  { timestamps: true },
);
outboxMessageSchema.index({ requestId: 1, eventIndex: 1 }, { unique: true });
outboxMessageSchema.index({ status: 1, nextAttemptAt: 1 });
outboxMessageSchema.index({ applicantAccountId: 1, _id: -1 });

/** Delivery state of one channel of a message. */
export interface ChannelState {
  status: ChannelStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string;
  deliveredAt: Date | null;
  skippedReason: string;
}

/** An outbox message document (as lean reads return it). */
export interface OutboxMessageDoc {
  _id: Types.ObjectId;
  requestId: Types.ObjectId;
  agencyId: Types.ObjectId;
  applicantAccountId: Types.ObjectId | null;
  recipient?: "applicant" | "staff";
  staffUserId?: Types.ObjectId | null;
  serialNo: string;
  eventIndex: number;
  eventType: string;
  step: MessageStep;
  title: string;
  body: string;
  smsText: string;
  phoneSealed: string;
  openid: string | null;
  templateId: string | null;
  date: string;
  channels: Record<MessageChannel, ChannelState>;
  status: "pending" | "done";
  nextAttemptAt: Date | null;
  lockedUntil: Date | null;
  readAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The OutboxMessage model. */
export const OutboxMessage = model("OutboxMessage", outboxMessageSchema);
