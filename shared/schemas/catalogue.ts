/**
 * Schemas of the proactive-disclosure catalogue API: staff commands on items, public list/search
 * queries and the DTOs the clients read. Messages are Chinese because clients show them as they are.
 */
import { z } from "zod";
import {
  type CategoryKey,
  categoryKeys,
  docKinds,
  itemStatuses,
  validities,
} from "../catalogue/categories.ts";
import { DateString, HttpUrl, ObjectIdString, Text } from "./common.ts";

const Category = z
  .string({ error: "请选择类别" })
  .refine((v): v is CategoryKey => (categoryKeys as readonly string[]).includes(v), {
    message: "类别不存在",
  });
const Kind = z.enum(docKinds, { error: "文件类型应为 规章、行政规范性文件 或 其他" });
const Topics = z
  .array(z.string().trim().min(1, "专题名称不能为空").max(30, "专题名称不能超过 30 个字"), {
    error: "专题应为文字列表",
  })
  .max(10, "专题不能超过 10 个");
const OptionalText = (max: number, label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`);

/** Creates a catalogue item (a draft). */
export const InfoItemCreateInput = z.object({
  agencyId: ObjectIdString,
  title: Text(200, "标题"),
  docNumber: OptionalText(60, "文号").default(""),
  category: Category,
  docKind: Kind.default("other"),
  topics: Topics.default([]),
  summary: OptionalText(500, "内容概述").default(""),
  body: OptionalText(200_000, "正文").default(""),
  link: HttpUrl("链接").default(""),
  formedDate: DateString,
});
/** Creates a catalogue item (a draft). */
export type InfoItemCreateInput = z.infer<typeof InfoItemCreateInput>;

/** Edits a catalogue item; absent fields stay as they are. */
export const InfoItemUpdateInput = z
  .object({
    title: Text(200, "标题"),
    docNumber: OptionalText(60, "文号"),
    category: Category,
    docKind: Kind,
    topics: Topics,
    summary: OptionalText(500, "内容概述"),
    body: OptionalText(200_000, "正文"),
    link: HttpUrl("链接"),
    formedDate: DateString,
    publishedDate: DateString,
    repealedDate: DateString,
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: "没有要修改的内容" });
/** Edits a catalogue item. */
export type InfoItemUpdateInput = z.infer<typeof InfoItemUpdateInput>;

/** Publishes an item (today when no date is given). */
export const InfoItemPublishInput = z.object({ publishedDate: DateString.optional() });
/** Publishes an item. */
export type InfoItemPublishInput = z.infer<typeof InfoItemPublishInput>;

/** Withdraws a published item from the public catalogue. */
export const InfoItemWithdrawInput = z.object({ reason: Text(500, "撤回理由") });
/** Withdraws a published item. */
export type InfoItemWithdrawInput = z.infer<typeof InfoItemWithdrawInput>;

/** Repeals (已废止) or marks as amended (已修订) a published item. */
export const InfoItemRepealInput = z.object({
  repealedDate: DateString,
  validity: z.enum(["repealed", "amended"], { error: "有效性应为 已废止 或 已修订" }).default("repealed"),
});
/** Repeals an item. */
export type InfoItemRepealInput = z.infer<typeof InfoItemRepealInput>;

/** Item id in a path. */
export const InfoItemParams = z.object({ id: ObjectIdString });

/** Attachment in a path. */
export const AttachmentParams = z.object({ id: ObjectIdString, attachmentId: ObjectIdString });

/** Upload query: the file name (the body is the file itself). */
export const AttachmentUploadQuery = z.object({ name: Text(120, "文件名") });

const Year = z.coerce
  .number({ error: "年份应为数字" })
  .int("年份应为整数")
  .min(1949, "年份不能早于 1949")
  .max(2100, "年份不能晚于 2100");

/** Public list filter with cursor pagination, newest first. */
export const CatalogueListQuery = z.object({
  agency: ObjectIdString.optional(),
  category: Category.optional(),
  topic: z.string().trim().min(1, "专题不能为空").max(30, "专题名称不能超过 30 个字").optional(),
  year: Year.optional(),
  limit: z.coerce
    .number({ error: "每页条数应为数字" })
    .int()
    .min(1, "每页条数至少为 1")
    .max(100, "每页条数不能超过 100")
    .default(20),
  cursor: z.string().max(200, "分页标记无效").optional(),
});
/** Public list filter. */
export type CatalogueListQuery = z.infer<typeof CatalogueListQuery>;

// Any string is a valid query; overlong input is cut, never refused, and arrays keep their first value.
const QueryText = z.preprocess(
  (value) => (Array.isArray(value) ? value[0] : value),
  z
    .string()
    .default("")
    .transform((value) => value.slice(0, 200)),
);

/** Full-text search. */
export const CatalogueSearchQuery = z.object({
  q: QueryText,
  agency: ObjectIdString.optional(),
  limit: z.coerce
    .number({ error: "每页条数应为数字" })
    .int()
    .min(1, "每页条数至少为 1")
    .max(50, "每页条数不能超过 50")
    .default(20),
});
/** Full-text search query. */
export type CatalogueSearchQuery = z.infer<typeof CatalogueSearchQuery>;

/** Suggestions while typing an application. */
export const CatalogueSuggestQuery = z.object({ q: QueryText, agency: ObjectIdString.optional() });

/** Staff lists scoped to one agency. */
export const AgencyScopeQuery = z.object({ agencyId: ObjectIdString });

/** Staff list of an agency's items in any status. */
export const StaffItemsQuery = z.object({
  agencyId: ObjectIdString,
  status: z.enum(["draft", "published", "withdrawn"], { error: "状态不正确" }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200, "分页标记无效").optional(),
});

/** Table 二 figures of an agency and year. */
export const Table2Query = z.object({
  agencyId: ObjectIdString,
  year: Year,
  format: z.coerce
    .number({ error: "报表格式应为 2019 或 2021" })
    .refine((v): v is 2019 | 2021 => v === 2019 || v === 2021, { message: "报表格式应为 2019 或 2021" })
    .optional(),
});

/** Import query (the body is the CSV or XLSX file). */
export const CatalogueImportQuery = z.object({ agencyId: ObjectIdString });

/** An attachment as clients see it. */
export const AttachmentDTO = z.strictObject({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
});

/** An attachment as clients see it. */
export type AttachmentDTO = z.infer<typeof AttachmentDTO>;

/** A catalogue entry in lists. */
export const InfoItemSummaryDTO = z.strictObject({
  id: z.string(),
  agencyId: z.string(),
  indexNo: z.string(),
  title: z.string(),
  docNumber: z.string(),
  category: z.enum(categoryKeys),
  categoryLabel: z.string(),
  docKind: z.enum(docKinds),
  topics: z.array(z.string()),
  summary: z.string(),
  formedDate: z.string(),
  publishedDate: z.string().nullable(),
  validity: z.enum(validities),
  validityLabel: z.string(),
});

/** A catalogue entry in lists. */
export type InfoItemSummaryDTO = z.infer<typeof InfoItemSummaryDTO>;

/** A catalogue item in full. */
export const InfoItemDTO = InfoItemSummaryDTO.safeExtend({
  /** The 发布机构 (public item page only). */
  agencyName: z.string().optional(),
  body: z.string(),
  link: z.string(),
  repealedDate: z.string().nullable(),
  attachments: z.array(AttachmentDTO),
  updatedAt: z.string(),
});

/** A catalogue item in full. */
export type InfoItemDTO = z.infer<typeof InfoItemDTO>;

/** A catalogue item as staff see it (status and Art. 26 compliance). */
export const InfoItemStaffDTO = InfoItemDTO.safeExtend({
  status: z.enum(itemStatuses),
  /** Working days beyond the Art. 26 limit; 0 when on time, null when unpublished. */
  lateByWorkingDays: z.number().nullable(),
  withdrawnReason: z.string(),
});

/** A catalogue item as staff see it. */
export type InfoItemStaffDTO = z.infer<typeof InfoItemStaffDTO>;

/** One search hit. */
export const SearchHitDTO = InfoItemSummaryDTO.safeExtend({
  score: z.number(),
  /** HTML-escaped title with `<em>` around matched words. */
  titleHtml: z.string(),
  /** HTML-escaped excerpt with `<em>` around matched words. */
  snippetHtml: z.string(),
});

/** One search hit. */
export type SearchHitDTO = z.infer<typeof SearchHitDTO>;

/** A search answer. */
export const SearchResultDTO = z.strictObject({
  query: z.string(),
  words: z.array(z.string()),
  total: z.number(),
  items: z.array(SearchHitDTO),
});

/** A search answer. */
export type SearchResultDTO = z.infer<typeof SearchResultDTO>;

/** A published item suggested while a citizen writes an application. */
export const SuggestionDTO = z.strictObject({
  id: z.string(),
  title: z.string(),
  titleHtml: z.string(),
  docNumber: z.string(),
  indexNo: z.string(),
  publishedDate: z.string().nullable(),
});

/** A published item suggested while a citizen writes an application. */
export type SuggestionDTO = z.infer<typeof SuggestionDTO>;

/** A page of items and the cursor of the next one. */
export const itemPage = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

/** An agency citizens may apply to (names are public). */
export const AgencyOptionDTO = z.strictObject({ id: z.string(), code: z.string(), name: z.string() });

/** An agency citizens may apply to. */
export type AgencyOptionDTO = z.infer<typeof AgencyOptionDTO>;

/** A catalogue category with its Art. 20 item. */
export const CategoryDTO = z.strictObject({
  key: z.enum(categoryKeys),
  label: z.string(),
  art20: z.number(),
  art20Heading: z.string(),
});
