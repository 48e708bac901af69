/**
 * An application saved by 先查再申: while typing an application the citizen found the information
 * already published and chose it instead. Unique per (account, item), so choosing the same item twice
 * counts once.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const deflectionSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    itemId: { type: Schema.Types.ObjectId, ref: "InfoItem", required: true },
    applicantAccountId: { type: Schema.Types.ObjectId, ref: "Applicant", required: true },
    /** The day of the choice ('YYYY-MM-DD', Asia/Shanghai). */
    date: { type: String, required: true },
  },
  { timestamps: true },
);
deflectionSchema.index({ applicantAccountId: 1, itemId: 1 }, { unique: true });
deflectionSchema.index({ agencyId: 1, date: -1 });

/** A deflection document. */
export type DeflectionDoc = InferSchemaType<typeof deflectionSchema> & { _id: Types.ObjectId };

/** The Deflection model. */
export const Deflection = model("Deflection", deflectionSchema);
