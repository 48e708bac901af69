/**
 * A 督办单 issued by a supervisor to an agency (on one application, or on the agency's work), with its
 * deadline computed on the working-day calendar when issued, and the agency's reply (办理情况).
 */
import { supervisionStatuses } from "@govinfo/shared/schemas/supervision";
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const supervisionSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    requestId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", default: null },
    serialNo: { type: String, default: "" },
    issuerId: { type: Schema.Types.ObjectId, ref: "User", required: true },
    issuerName: { type: String, required: true },
    reason: { type: String, required: true },
    workingDays: { type: Number, required: true },
    /** 'YYYY-MM-DD' (Asia/Shanghai). */
    issuedDate: { type: String, required: true },
    deadline: { type: String, required: true },
    status: { type: String, enum: supervisionStatuses, default: "open" },
    reply: {
      type: new Schema(
        { text: String, authorId: Schema.Types.ObjectId, authorName: String, date: String },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true },
);
supervisionSchema.index({ agencyId: 1, status: 1, deadline: 1 });
supervisionSchema.index({ requestId: 1 });

/** A 督办单 document. */
export type SupervisionDoc = InferSchemaType<typeof supervisionSchema> & { _id: Types.ObjectId };

/** The Supervision model. */
export const Supervision = model("Supervision", supervisionSchema);
