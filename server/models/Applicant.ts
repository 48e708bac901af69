/**
 * An applicant account (申请人账户): a WeChat openid or a phone number for H5. The phone is stored
 * encrypted with a blind index for login lookups; nothing personal is stored in the clear.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const applicantSchema = new Schema(
  {
    openid: { type: String, default: null },
    phoneIndex: { type: String, default: null },
    phoneSealed: { type: String, default: "" },
    displayName: { type: String, default: "" },
    /** WeChat subscribe-message templates the applicant agreed to. */
    subscriptions: { type: [String], default: [] },
    largeText: { type: Boolean, default: false },
  },
  { timestamps: true },
);
applicantSchema.index(
  { openid: 1 },
  { unique: true, partialFilterExpression: { openid: { $type: "string" } } },
);
applicantSchema.index(
  { phoneIndex: 1 },
  { unique: true, partialFilterExpression: { phoneIndex: { $type: "string" } } },
);

/** An applicant account document. */
export type ApplicantDoc = InferSchemaType<typeof applicantSchema> & { _id: Types.ObjectId };

/** The Applicant model. */
export const Applicant = model("Applicant", applicantSchema);
