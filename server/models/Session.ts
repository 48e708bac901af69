/**
 * A login session of a staff user (cookie) or an applicant (bearer token). Only a hash of the token is
 * stored, so a database leak does not leak sessions.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const sessionSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    kind: { type: String, enum: ["staff", "applicant"], required: true },
    userId: { type: Schema.Types.ObjectId, default: null },
    applicantId: { type: Schema.Types.ObjectId, default: null },
    csrfToken: { type: String, default: "" },
    expiresAt: { type: Date, required: true },
    ip: { type: String, default: "" },
  },
  { timestamps: true },
);
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** A session document. */
export type SessionDoc = InferSchemaType<typeof sessionSchema> & { _id: Types.ObjectId };

/** The Session model. */
export const Session = model("Session", sessionSchema);
