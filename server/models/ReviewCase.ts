/**
 * A review case about the agency's disclosure work: 行政复议, or 行政诉讼 filed directly or after
 * reconsideration. Feeds table 四 of the annual report (block = `kind`, column = `result`, null =
 * 尚未审结). The case number is unique within the agency.
 */
import { reviewCaseKinds, reviewCaseResults } from "@govinfo/shared/schemas/reviewCase";
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const reviewCaseSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    /** 案件编号 (the reconsideration body's or court's number). */
    caseNo: { type: String, required: true, trim: true },
    kind: { type: String, enum: reviewCaseKinds, required: true },
    /** The application the case is about, when it is one of this agency's records. */
    requestId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", default: null },
    /** Its 申请编号, kept so lists and the ledger need no join. */
    requestSerialNo: { type: String, default: "" },
    /** 立案日期 and 结案日期 ('YYYY-MM-DD'). */
    filedDate: { type: String, required: true },
    closedDate: { type: String, default: null },
    /** Null while pending (尚未审结); set together with `closedDate`. */
    result: { type: String, enum: [...reviewCaseResults, null], default: null },
    notes: { type: String, default: "" },
    source: { type: String, enum: ["platform", "ledger"], default: "platform" },
  },
  { timestamps: true },
);
reviewCaseSchema.index({ agencyId: 1, caseNo: 1 }, { unique: true });
reviewCaseSchema.index({ agencyId: 1, filedDate: -1 });

/** A review case document. */
export type ReviewCaseDoc = InferSchemaType<typeof reviewCaseSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};

/** The ReviewCase model. */
export const ReviewCase = model("ReviewCase", reviewCaseSchema);
