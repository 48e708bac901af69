/**
 * 区分处理 (《条例》第三十七条): the grounds a withheld part of a document may rest on, and the boxes
 * staff draw over a PDF. Each box names exactly one ground, so the reply letter and the statistics
 * can be generated from the boxes rather than typed again.
 */
import { z } from "zod";
import type { OutcomeKey } from "../stats/keys.ts";
import { ObjectIdString } from "./common.ts";

/** Grounds for withholding a part of a document, in the order of the regulations. */
export const redactionGrounds = [
  "art14.stateSecret",
  "art14.lawProhibited",
  "art14.securityStability",
  "art15.thirdPartyRefused",
  "art15.thirdPartyNotConsulted",
  "art16.internalAffairs",
  "art16.processInfo",
  "art16.enforcementFile",
  "notGovInfo",
] as const;

/** A ground for withholding a part of a document. */
export type RedactionGround = (typeof redactionGrounds)[number];

/** What the letter, the label on the box and the statistics need to know about one ground. */
export interface RedactionGroundInfo {
  /** Short name in the redaction tool. */
  name: string;
  /** The article cited, e.g. "《条例》第十五条". */
  article: string;
  /** The reason as the reply letter states it (completes "该部分内容…"). */
  reason: string;
  /** Text printed on the box in the delivered file. */
  label: string;
  /** The table 三 row the ground would fall under were the whole document withheld (null: not 不予公开). */
  withheldOutcome: OutcomeKey | null;
}

/** Per-ground names, citations and letter wording (《中华人民共和国政府信息公开条例》). */
export const redactionGroundInfo: Readonly<Record<RedactionGround, RedactionGroundInfo>> = {
  "art14.stateSecret": {
    name: "国家秘密",
    article: "《条例》第十四条",
    reason: "属于国家秘密",
    label: "依《条例》第十四条不予公开",
    withheldOutcome: "withheld.stateSecret",
  },
  "art14.lawProhibited": {
    name: "法律、行政法规禁止公开",
    article: "《条例》第十四条",
    reason: "属于法律、行政法规禁止公开的政府信息",
    label: "依《条例》第十四条不予公开",
    withheldOutcome: "withheld.lawProhibited",
  },
  "art14.securityStability": {
    name: "危及“三安全一稳定”",
    article: "《条例》第十四条",
    reason: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    label: "依《条例》第十四条不予公开",
    withheldOutcome: "withheld.securityStability",
  },
  "art15.thirdPartyRefused": {
    name: "第三方合法权益（第三方不同意公开）",
    article: "《条例》第十五条",
    reason: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，且第三方不同意公开",
    label: "依《条例》第十五条不予公开",
    withheldOutcome: "withheld.thirdParty",
  },
  "art15.thirdPartyNotConsulted": {
    name: "第三方合法权益（未征得第三方同意）",
    article: "《条例》第十五条",
    reason: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，未征得第三方同意",
    label: "依《条例》第十五条不予公开",
    withheldOutcome: "withheld.thirdParty",
  },
  "art16.internalAffairs": {
    name: "内部事务信息",
    article: "《条例》第十六条第一款",
    reason: "属于行政机关的人事管理、后勤管理、内部工作流程等方面的内部事务信息",
    label: "依《条例》第十六条不予公开",
    withheldOutcome: "withheld.internalAffairs",
  },
  "art16.processInfo": {
    name: "过程性信息",
    article: "《条例》第十六条第二款",
    reason: "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    label: "依《条例》第十六条不予公开",
    withheldOutcome: "withheld.processInfo",
  },
  "art16.enforcementFile": {
    name: "行政执法案卷信息",
    article: "《条例》第十六条第二款",
    reason: "属于行政执法案卷信息",
    label: "依《条例》第十六条不予公开",
    withheldOutcome: "withheld.enforcementFile",
  },
  notGovInfo: {
    name: "非政府信息",
    article: "《条例》第二条",
    reason: "不属于行政机关在履行行政管理职能过程中制作或者获取的政府信息",
    label: "非政府信息，不予提供",
    withheldOutcome: null,
  },
};

/** Largest page count and box count one redaction set may hold. */
export const MAX_REDACTION_BOXES = 2000;

/**
 * One box, in PDF points on the page as displayed (origin at the top-left corner, y downwards —
 * the space MuPDF and pdf.js viewports at scale 1 use).
 */
export const RedactionBox = z.strictObject({
  page: z
    .number({ error: "页码必须是数字" })
    .int("页码必须是整数")
    .min(0, "页码不能小于 1")
    .max(9999, "页码超出范围"),
  x: z
    .number({ error: "遮盖框位置必须是数字" })
    .min(-1, "遮盖框位置超出页面")
    .max(20000, "遮盖框位置超出页面"),
  y: z
    .number({ error: "遮盖框位置必须是数字" })
    .min(-1, "遮盖框位置超出页面")
    .max(20000, "遮盖框位置超出页面"),
  width: z
    .number({ error: "遮盖框宽度必须是数字" })
    .gt(0.5, "遮盖框宽度过小")
    .max(20000, "遮盖框宽度超出页面"),
  height: z
    .number({ error: "遮盖框高度必须是数字" })
    .gt(0.5, "遮盖框高度过小")
    .max(20000, "遮盖框高度超出页面"),
  ground: z.enum(redactionGrounds, { error: "每个遮盖框都必须选择不予公开的理由（法律依据）" }),
  note: z.string({ error: "备注必须是文字" }).trim().max(500, "备注不能超过 500 个字").optional(),
});

/** One box. */
export type RedactionBox = z.infer<typeof RedactionBox>;

/** Saving a redaction set: the whole list of boxes replaces the previous one. */
export const RedactionSetInput = z.strictObject({
  boxes: z
    .array(RedactionBox, { error: "遮盖框应为列表" })
    .max(MAX_REDACTION_BOXES, `遮盖框不能超过 ${MAX_REDACTION_BOXES} 个`),
});

/** Saving a redaction set. */
export type RedactionSetInput = z.infer<typeof RedactionSetInput>;

/** Patterns staff can search for besides a literal phrase. */
export const redactionPatterns = ["idNumber", "phone"] as const;

/** A search pattern. */
export type RedactionPattern = (typeof redactionPatterns)[number];

/** Chinese names of the search patterns. */
export const redactionPatternLabels: Readonly<Record<RedactionPattern, string>> = {
  idNumber: "居民身份证号码",
  phone: "电话号码",
};

/** Searching a PDF: a literal phrase (a name, a company) or one of the patterns. */
export const RedactionSearchInput = z
  .strictObject({
    phrase: z.string({ error: "查找内容必须是文字" }).trim().max(100, "查找内容不能超过 100 个字").optional(),
    pattern: z.enum(redactionPatterns, { error: "未知的查找类型" }).optional(),
  })
  .refine((input) => Boolean(input.phrase) !== Boolean(input.pattern), {
    message: "请输入要查找的文字，或选择一种查找类型（二者选一）",
  });

/** Searching a PDF. */
export type RedactionSearchInput = z.infer<typeof RedactionSearchInput>;

/** One rectangle found by a search (same space as a box, without a ground yet). */
export const RedactionHitDto = z.object({
  page: z.number().int(),
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
  text: z.string(),
});

/** One rectangle found by a search. */
export type RedactionHitDto = z.infer<typeof RedactionHitDto>;

/** Path parameters of the redaction endpoints. */
export const RedactionParams = z.object({ id: ObjectIdString, docId: ObjectIdString });

/** Path parameters of a rendered page (1-based page number, as people count pages). */
export const RedactionPageParams = z.object({
  id: ObjectIdString,
  docId: ObjectIdString,
  page: z.coerce
    .number({ error: "页码必须是数字" })
    .int("页码必须是整数")
    .min(1, "页码不能小于 1")
    .max(10000, "页码超出范围"),
});

/** The redaction set of one document as the tool loads it: page sizes, boxes and where it stands. */
export const RedactionSetDto = z.strictObject({
  documentId: z.string(),
  filename: z.string(),
  pages: z.array(z.strictObject({ width: z.number(), height: z.number() })),
  boxes: z.array(RedactionBox),
  version: z.number(),
  appliedDocumentId: z.string().nullable(),
  appliedVersion: z.number().nullable(),
  /** Whether the set can still change (false once the reply letter is issued). */
  editable: z.boolean(),
  /** "docx" when the original is a Word file converted to PDF for redaction; null for a PDF. */
  convertedFrom: z.literal("docx").nullable(),
});

/** The redaction set of one document. */
export type RedactionSetDto = z.infer<typeof RedactionSetDto>;
