/**
 * An applicant's satisfaction rating of a closed application (满意度评价): one per application (unique
 * index, so a second rating cannot slip in beside the first). A low rating carries the 回访 task of the
 * agency's administrator, with its deadline in working days and, once done, its result.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const followUpSchema = new Schema(
  {
    /** Last day of the 回访 ('YYYY-MM-DD', working days from the rating via the one calendar). */
    dueDate: { type: String, required: true },
    status: { type: String, enum: ["open", "done"], default: "open" },
    result: { type: String, default: "" },
    doneOn: { type: String, default: null },
    doneBy: { type: Schema.Types.ObjectId, ref: "User", default: null },
  },
  { _id: false },
);

const satisfactionRatingSchema = new Schema(
  {
    requestId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", required: true },
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    applicantAccountId: { type: Schema.Types.ObjectId, ref: "Applicant", required: true },
    serialNo: { type: String, required: true },
    score: { type: Number, min: 1, max: 5, required: true },
    comment: { type: String, default: "" },
    /** The day of the rating ('YYYY-MM-DD', Asia/Shanghai). */
    ratedOn: { type: String, required: true },
    followUp: { type: followUpSchema, default: null },
  },
  { timestamps: true },
);
satisfactionRatingSchema.index({ requestId: 1 }, { unique: true });
satisfactionRatingSchema.index({ agencyId: 1, ratedOn: -1 });

/** A satisfaction rating document. */
export type SatisfactionRatingDoc = InferSchemaType<typeof satisfactionRatingSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
};

/** The SatisfactionRating model. */
export const SatisfactionRating = model("SatisfactionRating", satisfactionRatingSchema);
