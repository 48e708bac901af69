/**
 * Letters (文书) and uploaded files of an application: the letter kinds with their exact titles, the
 * editable text model staff see in the issuing dialog, and the inputs of the documents endpoints.
 */
import { z } from "zod";
import { outcomeKeys } from "../stats/keys.ts";
import { ObjectIdString } from "./common.ts";
import { decisionGrounds } from "./requestEvent.ts";

/** Letter kinds, in the order a case produces them. */
export const letterKinds = ["receipt", "correction", "extension", "consultation", "fee", "reply"] as const;

/** A letter kind. */
export type LetterKind = (typeof letterKinds)[number];

/** Exact letter names (the title printed on the letter unless staff change it). */
export const letterKindLabels: Readonly<Record<LetterKind, string>> = {
  receipt: "政府信息公开申请登记回执",
  correction: "政府信息公开申请补正告知书",
  extension: "政府信息公开申请延期答复告知书",
  consultation: "政府信息公开征求第三方意见函",
  fee: "政府信息公开信息处理费收费通知书",
  reply: "政府信息公开申请答复告知书",
};

/** Kind of an uploaded file: the information delivered to the applicant, or material kept on file. */
export const uploadKinds = ["delivered", "material"] as const;

/** An upload kind. */
export type UploadKind = (typeof uploadKinds)[number];

/** Chinese names of the upload kinds. */
export const uploadKindLabels: Readonly<Record<UploadKind, string>> = {
  delivered: "提供的政府信息",
  material: "办理材料",
};

/** The letterhead printed on every letter (版头 and 版记). */
export const LetterheadDto = z.strictObject({
  /** 发文机关标志: the agency's letterhead title, or its name. */
  organ: z.string(),
  address: z.string(),
  phone: z.string(),
  postcode: z.string(),
});

/** The editable text model of a letter, as the issuing dialog shows it. */
export const LetterModelDto = z.strictObject({
  kind: z.enum(letterKinds),
  title: z.string(),
  /** 文号: the application's serial number (or the reply's own 文号 when recorded). */
  documentNumber: z.string(),
  /** 主送: the addressee line, e.g. "张三：". */
  addressee: z.string(),
  paragraphs: z.array(z.string()),
  /** 落款: the issuing organ. */
  issuer: z.string(),
  /** 成文日期 'YYYY-MM-DD'. */
  date: z.string(),
  letterhead: LetterheadDto,
  /** Whether the applicant sees the issued letter (a consultation letter goes to the third party). */
  forApplicant: z.boolean(),
  /** Index in the request's events of the event the letter belongs to. */
  eventIndex: z.number().int(),
  /** 登记回执 only: the 查询码 (grouped) and what its QR code opens (the H5 lookup page, or the code). */
  queryCode: z.strictObject({ code: z.string(), link: z.string() }).optional(),
});

/** The editable text model of a letter. */
export type LetterModelDto = z.infer<typeof LetterModelDto>;

const EditedText = (label: string, max: number) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, `${label}不能为空`)
    .max(max, `${label}不能超过 ${max} 个字`);

/** Path parameters of the letter endpoints. */
export const LetterParams = z.object({
  id: ObjectIdString,
  kind: z.enum(letterKinds, { error: "未知的文书种类" }),
});

/**
 * Query of the preview: a reply letter may be drafted for an outcome before the decision is recorded,
 * with what the clerk has typed in the decision dialog so far (文号, 说明, 答复依据), so the preview
 * is exactly the letter that will be issued.
 */
export const LetterPreviewQuery = z.object({
  outcome: z.enum(outcomeKeys, { error: "未知的办理结果" }).optional(),
  documentNumber: z
    .string({ error: "答复文号必须是文字" })
    .trim()
    .max(100, "答复文号不能超过 100 个字")
    .optional(),
  note: z.string({ error: "说明必须是文字" }).trim().max(2000, "说明不能超过 2000 个字").optional(),
  ground: z.enum(decisionGrounds, { error: "未知的答复依据" }).optional(),
});

/** Issuing a letter: staff may change the title, the addressee and the paragraphs of the preview. */
export const LetterIssueInput = z.object({
  title: EditedText("标题", 100).optional(),
  addressee: EditedText("主送", 200).optional(),
  paragraphs: z
    .array(EditedText("正文段落", 5000), { error: "正文应为段落列表" })
    .min(1, "正文至少需要一个段落")
    .max(60, "正文不能超过 60 个段落")
    .optional(),
});

/** Issuing a letter. */
export type LetterIssueInput = z.infer<typeof LetterIssueInput>;

/**
 * Query of an upload (the file itself is the raw body, its name in the `X-Filename` header).
 * `forApplicant` defaults to true for delivered information and false for material kept on file.
 */
export const FileUploadQuery = z.object({
  kind: z.enum(uploadKinds, { error: "文件种类应为 delivered 或 material" }).default("delivered"),
  title: EditedText("文件标题", 100).optional(),
  forApplicant: z
    .enum(["true", "false"], { error: "forApplicant 应为 true 或 false" })
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
});

/** Query of an upload. */
export type FileUploadQuery = z.infer<typeof FileUploadQuery>;

/** Path parameters of an upload. */
export const FileUploadParams = z.object({ id: ObjectIdString });

/** Path parameters of a download. */
export const DocumentParams = z.object({ id: ObjectIdString, docId: ObjectIdString });

/** Query of a document download: `view=text` answers a letter's paragraphs to read on a phone. */
export const DocumentViewQuery = z.object({
  view: z.enum(["text"], { error: "查看方式只能是 text（在线阅读）" }).optional(),
});

/** A letter as text, for reading on the phone beside the DOCX download. */
export interface DocumentTextDto {
  title: string;
  paragraphs: string[];
}
