/**
 * The redaction set of one PDF of an application (区分处理): the boxes staff drew, each with its
 * legal ground, and the redacted document last produced from them. The original PDF stays in GridFS
 * as the record and is never delivered; the set can change until the reply letter is issued. A DOCX
 * original is converted to PDF once; the set records that PDF (what the boxes are drawn on) and how
 * it was made.
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

/** Provenance of the PDF a DOCX original was converted to (the file the boxes apply to). */
const conversionSchema = new Schema(
  {
    /** The converted PDF in GridFS (metadata kind `converted`; never delivered). */
    fileId: { type: Schema.Types.ObjectId, required: true },
    /** Content type of the original, e.g. the DOCX type. */
    fromContentType: { type: String, required: true },
    converter: { type: String, required: true },
    convertedAt: { type: Date, required: true },
    durationMs: { type: Number, required: true },
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
    /** Set when the original is a DOCX: the PDF it was converted to; null for a PDF original. */
    conversion: { type: conversionSchema, default: null },
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
