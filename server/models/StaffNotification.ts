/**
 * An in-app reminder for staff (站内提醒) about one application: its answer deadline is near or has
 * passed. Addressed to the agency's staff (and to the assignee when there is one); read state is per
 * user. Unique on (request, kind, date), so a job that runs again the same day adds nothing.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

/** Kinds of staff notifications. */
export const staffNotificationKinds = ["dueSoon", "overdue", "urge"] as const;

/** A kind of staff notification. */
export type StaffNotificationKind = (typeof staffNotificationKinds)[number];

const staffNotificationSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    /** The assignee of the application when the reminder was made, if any. */
    userId: { type: Schema.Types.ObjectId, ref: "User", default: null },
    requestId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", required: true },
    serialNo: { type: String, default: "" },
    kind: { type: String, enum: staffNotificationKinds, required: true },
    /** The day the reminder is for ('YYYY-MM-DD', Asia/Shanghai). */
    date: { type: String, required: true },
    /** The answer due date the reminder is about. */
    dueDate: { type: String, required: true },
    text: { type: String, required: true },
    /** Staff users who have read it. */
    readBy: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);
staffNotificationSchema.index({ requestId: 1, kind: 1, date: 1 }, { unique: true });
staffNotificationSchema.index({ agencyId: 1, date: -1 });

/** A staff notification document. */
export type StaffNotificationDoc = InferSchemaType<typeof staffNotificationSchema> & { _id: Types.ObjectId };

/** The StaffNotification model. */
export const StaffNotification = model("StaffNotification", staffNotificationSchema);
