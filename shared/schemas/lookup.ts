/**
 * 查询码 lookups: anyone holding an application's 查询码 and the applicant's name (or the last four
 * digits of the phone on file) may follow it without logging in. The answer is a whitelist that holds
 * nothing personal beyond what the caller typed: no ID number, phone or address, not even masked.
 */
import { z } from "zod";
import { eventTypes, states } from "../lifecycle/machine.ts";

/**
 * The 查询码 alphabet: digits and capitals without 0/O, 1/I/L, which are misread on paper and over the
 * phone. 12 characters of 31 symbols ≈ 59 bits, far beyond what a rate-limited guesser can reach.
 */
export const QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const QUERY_CODE_LENGTH = 12;

/** Normalizes a typed code: capitals, no spaces or dashes (printed as XXXX-XXXX-XXXX). */
export function normalizeQueryCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, "");
}

/** A code grouped in fours for print and display. */
export function formatQueryCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/** What a lookup (and a link) sends: the code plus the name or the phone's last four digits. */
export const LookupInput = z
  .strictObject({
    code: z
      .string({ error: "请填写查询码" })
      .trim()
      .min(1, { error: "请填写查询码" })
      .max(40, { error: "查询码格式不正确" })
      .transform(normalizeQueryCode),
    name: z.string({ error: "申请人姓名应为文字" }).trim().max(100, { error: "申请人姓名过长" }).optional(),
    phoneLast4: z
      .string({ error: "手机号码后4位应为数字" })
      .trim()
      .regex(/^\d{4}$/, { error: "手机号码后4位应为4位数字" })
      .optional(),
  })
  .refine((input) => Boolean(input.name) || Boolean(input.phoneLast4), {
    error: "请填写申请人姓名或手机号码后4位",
    path: ["name"],
  });

/** A lookup input. */
export type LookupInput = z.infer<typeof LookupInput>;

/** One step of the timeline as a lookup shows it (no actor names, no payloads). */
export const LookupTimelineEntryDto = z.strictObject({
  type: z.enum(eventTypes),
  label: z.string(),
  date: z.string(),
  summary: z.string(),
});

/** A letter issued to the applicant, downloadable with the same code and name. */
export const LookupLetterDto = z.strictObject({
  id: z.string(),
  title: z.string(),
  filename: z.string(),
  size: z.number(),
  issuedAt: z.string(),
});

/** The answer of a successful lookup. */
export const LookupResultDto = z.strictObject({
  queryCode: z.string(),
  serialNo: z.string(),
  agencyName: z.string(),
  description: z.string(),
  state: z.enum(states),
  stateLabel: z.string(),
  receiptDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  workingDaysLeft: z.number().nullable(),
  overdue: z.boolean(),
  paused: z.boolean(),
  closed: z.boolean(),
  timeline: z.array(LookupTimelineEntryDto),
  letters: z.array(LookupLetterDto),
  /** Whether the application is already followed from a platform account (never whose). */
  linked: z.boolean(),
  /**
   * 转办: the application this one was handed on from or to, with its own 查询码 (same applicant, so
   * whoever may follow one may follow the other; the receiving agency issues no 登记回执 on paper).
   */
  transfers: z
    .array(
      z.strictObject({
        direction: z.enum(["from", "to"]),
        serialNo: z.string(),
        agencyName: z.string(),
        stateLabel: z.string(),
        queryCode: z.string(),
      }),
    )
    .optional(),
});

/** The answer of a successful lookup. */
export type LookupResultDto = z.infer<typeof LookupResultDto>;

/** The letter to download through a lookup. */
export const LookupLetterParams = z.strictObject({
  docId: z.string().regex(/^[0-9a-f]{24}$/i, { error: "文书编号格式不正确" }),
});
