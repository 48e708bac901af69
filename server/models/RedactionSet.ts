/**
 * The redaction set of one PDF of an application (区分处理): the boxes staff drew, each with its
 * legal ground, and the redacted document last produced from them. The original PDF stays in GridFS
 * as the record and is never delivered; the set can change until the reply letter is issued.
 */
import { type InferSchemaType, model, Schema } from "mongoose";

const boxSchema = new Schema(
  {
    page: { type: Number, required: true },
    x: { type: Number, required: true },
    y: { type: Number, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    ground: { type: String, required: true },
    note: { type: String, default: "" },
  },
  { _id: false },
);

const redactionSetSchema = new Schema(
  {
    requestId: { type: Schema.Types.ObjectId, required: true },
    agencyId: { type: Schema.Types.ObjectId, required: true },
    /** The original document entry (in the request's `documents`). */
    sourceDocumentId: { type: Schema.Types.ObjectId, required: true },
    boxes: { type: [boxSchema], default: [] },
    /** Incremented on every save, so an application records which version it applied. */
    version: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: "" },
    /** The redacted document produced last (null until applied). */
    appliedDocumentId: { type: Schema.Types.ObjectId, default: null },
    appliedVersion: { type: Number, default: null },
    /** The boxes of the applied version: what the delivered file withholds, hence what the reply lists. */
    appliedBoxes: { type: [boxSchema], default: [] },
    appliedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
redactionSetSchema.index({ requestId: 1, sourceDocumentId: 1 }, { unique: true });

/** A redaction set document. */
export type RedactionSetDoc = InferSchemaType<typeof redactionSetSchema> & {
  _id: import("mongoose").Types.ObjectId;
};

/** The RedactionSet model. */
export const RedactionSet = model("RedactionSet", redactionSetSchema);
