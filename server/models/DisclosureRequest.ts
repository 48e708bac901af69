/**
 * A 依申请公开 application: intake data, the applicant snapshot (personal fields sealed), the
 * append-only event ledger, and fields derived from it. `state` is written only by
 * `services/requestTransitioner.ts`, with a compare-and-set on the state and the version.
 */
import { channels } from "@govinfo/shared/lifecycle/channels";
import { states } from "@govinfo/shared/lifecycle/machine";
import { deliveryMethods, idTypes, infoForms } from "@govinfo/shared/schemas/request";
import { assignmentStatuses } from "@govinfo/shared/schemas/requestDto";
import { applicantTypeKeys, outcomeKeys } from "@govinfo/shared/stats/keys";
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const applicantSnapshotSchema = new Schema(
  {
    type: { type: String, enum: applicantTypeKeys, required: true },
    name: { type: String, required: true },
    idType: { type: String, enum: idTypes, default: "idCard" },
    idNumberSealed: { type: String, default: "" },
    idNumberMasked: { type: String, default: "" },
    phoneSealed: { type: String, default: "" },
    phoneMasked: { type: String, default: "" },
    addressSealed: { type: String, default: "" },
    email: { type: String, default: "" },
    /** For organisations: the person handling the application (联系人). */
    contactPerson: { type: String, default: "" },
  },
  { _id: false },
);

const eventSchema = new Schema(
  {
    type: { type: String, required: true },
    /** The legal date the event takes effect ('YYYY-MM-DD', Asia/Shanghai). */
    date: { type: String, required: true },
    /** When it was recorded. */
    at: { type: Date, required: true },
    actorKind: { type: String, enum: ["staff", "applicant", "system"], required: true },
    actorId: { type: Schema.Types.ObjectId, default: null },
    actorName: { type: String, default: "" },
    /** The event's payload as validated by the shared schema (without type and date). */
    payload: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false },
);

const documentSchema = new Schema(
  {
    kind: { type: String, required: true },
    title: { type: String, required: true },
    fileId: { type: Schema.Types.ObjectId, required: true },
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    /** Index in `events` of the event the document belongs to (-1: none). */
    eventIndex: { type: Number, default: -1 },
    /** Visible to the applicant (issued letters and delivered files). */
    forApplicant: { type: Boolean, default: true },
    issuedAt: { type: Date, required: true },
  },
  { _id: true },
);

const noteSchema = new Schema(
  {
    at: { type: Date, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    text: { type: String, required: true },
  },
  { _id: false },
);

const disclosureRequestSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    /** Serial within the agency and year: 1, 2, … (gap-free). */
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    /** The number printed on letters, e.g. 海东生环依申〔2025〕12号. */
    serialNo: { type: String, required: true },
    channel: { type: String, enum: channels, required: true },
    state: { type: String, enum: states, required: true },
    /** Bumped on every transition; the compare-and-set key together with `state`. */
    version: { type: Number, default: 0 },
    /** The statistics outcome (table 三 row), set by exactly one closing transition. */
    outcome: { type: String, enum: [...outcomeKeys, null], default: null },
    /** 收到申请之日, and the day the outcome was set (办结日期); derived from events. */
    receiptDate: { type: String, default: null },
    closedDate: { type: String, default: null },
    /** Answer due date from the clock, stored for queue filters; recomputed on every transition. */
    dueDate: { type: String, default: null },
    applicantAccountId: { type: Schema.Types.ObjectId, ref: "Applicant", default: null },
    /** 查询码: lets the applicant follow the application without an account (`services/lookup.ts`). */
    queryCode: { type: String, default: null },
    applicant: { type: applicantSnapshotSchema, required: true },
    /** 申请内容: name, 文号 or description of the information requested. */
    description: { type: String, required: true },
    documentNumber: { type: String, default: "" },
    infoForm: { type: String, enum: infoForms, default: "electronic" },
    delivery: { type: String, enum: deliveryMethods, default: "online" },
    events: { type: [eventSchema], default: [] },
    documents: { type: [documentSchema], default: [] },
    notes: { type: [noteSchema], default: [] },
    assigneeId: { type: Schema.Types.ObjectId, ref: "User", default: null },
    /** 签收/退回 of the assignment (null: never assigned); `returned*` say who handed it back and why. */
    assignmentStatus: { type: String, enum: [...assignmentStatuses, null], default: null },
    assignmentReturn: {
      type: new Schema(
        {
          reason: { type: String, required: true },
          byName: { type: String, required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    /** Free remarks carried over from a ledger import (备注). */
    remarks: { type: String, default: "" },
    /** 转办 links, both ways: the application this one was handed on from, and the one it was handed on to. */
    transferredFromId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", default: null },
    transferredToId: { type: Schema.Types.ObjectId, ref: "DisclosureRequest", default: null },
    /** Where the record came from: created here, or imported from a ledger. */
    source: { type: String, enum: ["platform", "ledger"], default: "platform" },
  },
  { timestamps: true },
);
disclosureRequestSchema.index({ agencyId: 1, year: 1, seq: 1 }, { unique: true });
disclosureRequestSchema.index({ agencyId: 1, serialNo: 1 }, { unique: true });
disclosureRequestSchema.index({ agencyId: 1, state: 1, dueDate: 1 });
disclosureRequestSchema.index({ applicantAccountId: 1, createdAt: -1 });
disclosureRequestSchema.index(
  { queryCode: 1 },
  { unique: true, partialFilterExpression: { queryCode: { $type: "string" } } },
);

/** A disclosure request document. */
export type DisclosureRequestDoc = InferSchemaType<typeof disclosureRequestSchema> & { _id: Types.ObjectId };

/** One stored lifecycle event, as lean reads return it. */
export interface StoredEvent {
  type: string;
  date: string;
  at: Date;
  actorKind: "staff" | "applicant" | "system";
  actorId: Types.ObjectId | null;
  actorName: string;
  payload: Record<string, unknown>;
}

/** The DisclosureRequest model. */
export const DisclosureRequest = model("DisclosureRequest", disclosureRequestSchema);
