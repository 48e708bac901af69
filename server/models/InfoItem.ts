/**
 * An item of the proactive-disclosure catalogue (主动公开目录): the Art. 12 metadata (索引号, 名称,
 * 内容概述, 生成日期), its category and document kind for table 二, the publication workflow status,
 * search tokens (jieba, computed by `services/catalogue/tokens.ts`) and Art. 26 compliance.
 */
import { categoryKeys, docKinds, itemStatuses, validities } from "@govinfo/shared/catalogue/categories";
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const attachmentSchema = new Schema(
  {
    fileId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
  },
  { timestamps: false },
);

const infoItemSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true, index: true },
    /** 索引号 `<agency code>-<year>-<6-digit seq>` (or the one an import brought along). */
    indexNo: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    /** 文号, e.g. 海东生环发〔2019〕12号; empty when the item has none. */
    docNumber: { type: String, default: "" },
    category: { type: String, enum: categoryKeys, required: true, index: true },
    docKind: { type: String, enum: docKinds, default: "other", index: true },
    topics: { type: [String], default: [], index: true },
    /** 内容概述 (Art. 12). */
    summary: { type: String, default: "" },
    /** Markdown or plain text. */
    body: { type: String, default: "" },
    /** Where the full text lives when it is not copied here (imports of existing catalogues). */
    link: { type: String, default: "" },
    /** Plain-text start of the body, precomputed for lists and snippets. */
    excerpt: { type: String, default: "" },
    attachments: { type: [attachmentSchema], default: [] },
    /** 生成日期 'YYYY-MM-DD'. */
    formedDate: { type: String, required: true },
    /** 发布日期 'YYYY-MM-DD'; null while a draft. */
    publishedDate: { type: String, default: null },
    /** Year of `publishedDate`, for equality lookups. */
    publishedYear: { type: Number, default: null, index: true },
    /** 废止日期 'YYYY-MM-DD' (also the day an amended item stopped being the text in force). */
    repealedDate: { type: String, default: null },
    validity: { type: String, enum: validities, default: "inForce" },
    status: { type: String, enum: itemStatuses, default: "draft", index: true },
    withdrawnReason: { type: String, default: "" },
    /** Search tokens of title, 文号 and body (jieba cutForSearch, normalised, deduplicated). */
    tokens: { type: [String], default: [], index: true },
    /** Tokens of title and 文号 only, for the title boost. */
    titleTokens: { type: [String], default: [], index: true },
    /** Working days by which publication missed the Art. 26 limit; 0 on time, null unpublished. */
    lateByWorkingDays: { type: Number, default: null, index: true },
  },
  { timestamps: true },
);
infoItemSchema.index({ status: 1, agencyId: 1 });
// Readers re-read the items changed since their last sync.
infoItemSchema.index({ updatedAt: 1 });

/** An attachment subdocument. */
export type InfoItemAttachment = InferSchemaType<typeof attachmentSchema> & { _id: Types.ObjectId };

/** An info item document. */
export type InfoItemDoc = Omit<InferSchemaType<typeof infoItemSchema>, "attachments"> & {
  _id: Types.ObjectId;
  attachments: InfoItemAttachment[];
  createdAt: Date;
  updatedAt: Date;
};

/** The InfoItem model. */
export const InfoItem = model("InfoItem", infoItemSchema);
