/**
 * Queries of the 台账 (ledger) import and export; the files themselves are the request and answer bodies.
 */
import { z } from "zod";
import { ObjectIdString } from "./common.ts";

/** Query of the import. */
export const LedgerImportQuery = z.object({ agencyId: ObjectIdString });
/** Query of the export. */
export const LedgerExportQuery = z
  .object({
    agencyId: ObjectIdString,
    year: z.coerce
      .number({ error: "年份应为数字" })
      .int("年份应为整数")
      .min(2000, "年份不能早于 2000 年")
      .max(2100, "年份不能晚于 2100 年")
      .optional(),
    format: z.enum(["xlsx", "csv"], { error: "格式应为 xlsx 或 csv" }).default("xlsx"),
    /** Personal data in clear: an administrator's explicit choice, with a reason (audited). */
    full: z.enum(["true", "false"], { error: "是否导出完整个人信息应为 true 或 false" }).optional(),
    reason: z.string().trim().max(200, "导出理由不能超过 200 字").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.full === "true" && (value.reason ?? "").length < 2)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "导出完整个人信息须填写导出理由" });
  });

/** The answer of a ledger import: what was created and what was already stored. */
export const LedgerImportResultDto = z.strictObject({
  /** Applications created. */
  imported: z.number(),
  /** Applications already stored with identical content. */
  skipped: z.number(),
  reviewCases: z.strictObject({ imported: z.number(), skipped: z.number() }),
});

/** The answer of a ledger import. */
export type LedgerImportResultDto = z.infer<typeof LedgerImportResultDto>;
