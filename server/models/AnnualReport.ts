/**
 * An annual report (政府信息公开工作年度报告) of one agency for one statistics year: manual inputs (table
 * 二 figures from other systems, table 四 count basis), the stored paragraphs of sections 一/五/六, the
 * computed snapshot (tables with per-cell provenance), the check results, and the status. Published
 * revisions are frozen copies of the whole report; the public page reads only those. An `imported`
 * report is an audited historical one (its tables seed next year's carried-over check).
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

/** Report statuses: a draft (editable), published (frozen), or imported from an existing text. */
export const annualReportStatuses = ["draft", "published", "imported"] as const;

const paragraphSchema = new Schema(
  {
    key: { type: String, required: true },
    heading: { type: String },
    text: { type: String, default: "" },
    edited: { type: Boolean, default: false },
  },
  { _id: false },
);

const checkSchema = new Schema(
  {
    rule: { type: String, required: true },
    ok: { type: Boolean, required: true },
    severity: { type: String, enum: ["hard", "soft"], required: true },
    message: { type: String, required: true },
  },
  { _id: false },
);

const revisionSchema = new Schema(
  {
    revision: { type: Number, required: true },
    publishedAt: { type: Date, required: true },
    reason: { type: String, default: "" },
    /** The whole report model as published (ReportModel), frozen. */
    snapshot: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

const annualReportSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    year: { type: Number, required: true },
    formatVersion: { type: String, enum: ["2019", "2021"], required: true },
    status: { type: String, enum: annualReportStatuses, default: "draft" },
    /** `subtree`: the figures of the agency and every agency below it (a government's consolidated report). */
    scope: { type: String, enum: ["agency", "subtree"], default: "agency" },
    manualInputs: {
      /** Table 二 row → column → number | null (blank ≠ 0). */
      two: { type: Schema.Types.Mixed, default: {} },
      table4Basis: { type: String, enum: ["filedInYear", "includeCarriedOver"], default: "filedInYear" },
      /** Why this year's 二 differs from last year's 四 (stated in the published report), '' = none. */
      carriedOverReason: { type: String, default: "" },
    },
    sections: {
      overview: { type: [paragraphSchema], default: [] },
      problems: { type: [paragraphSchema], default: [] },
      other: { type: [paragraphSchema], default: [] },
    },
    /** Computed tables and provenance: { tables, provenance, closedWithoutOutcome, facts }. */
    snapshot: { type: Schema.Types.Mixed, default: null },
    checks: { type: [checkSchema], default: [] },
    generatedAt: { type: Date, default: null },
    /** Reason of the correction in progress (set by "revise", used by the next publish). */
    pendingRevisionReason: { type: String, default: "" },
    revisions: { type: [revisionSchema], default: [] },
    /** For imported reports: the text that was audited. */
    importedText: { type: String, default: "" },
  },
  { timestamps: true, minimize: false },
);
annualReportSchema.index({ agencyId: 1, year: 1 }, { unique: true });
annualReportSchema.index({ status: 1, year: -1 });

/** An annual report document. */
export type AnnualReportDoc = InferSchemaType<typeof annualReportSchema> & { _id: Types.ObjectId };

/** The AnnualReport model. */
export const AnnualReport = model("AnnualReport", annualReportSchema);
