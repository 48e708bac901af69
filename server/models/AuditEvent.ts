/**
 * The audit trail: who did what to which record, when and from where. Append-only: no code path
 * updates or deletes these documents.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const auditEventSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actorKind: { type: String, enum: ["staff", "applicant", "system", "anonymous"], required: true },
    actorId: { type: Schema.Types.ObjectId, default: null },
    actorName: { type: String, default: "" },
    agencyId: { type: Schema.Types.ObjectId, default: null },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, default: "" },
    details: { type: Schema.Types.Mixed, default: {} },
    ip: { type: String, default: "" },
    requestId: { type: String, default: "" },
  },
  { versionKey: false },
);
auditEventSchema.index({ agencyId: 1, at: -1 });
auditEventSchema.index({ targetType: 1, targetId: 1, at: -1 });

/** An audit event document. */
export type AuditEventDoc = InferSchemaType<typeof auditEventSchema> & { _id: Types.ObjectId };

/** The AuditEvent model. */
export const AuditEvent = model("AuditEvent", auditEventSchema);
