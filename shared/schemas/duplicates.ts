/**
 * 重复申请 (Art. 36(六)): the same applicant's earlier applications to the same agency, scored by how
 * alike their content is, so staff can judge a repeat before choosing 不予处理-重复申请 (which also
 * needs the four-point checklist, see `duplicateChecklistPoints`).
 */
import { z } from "zod";
import { normalizeText } from "../catalogue/text.ts";

/** Similarity (0–100) of two application texts: Dice coefficient over character bigrams. */
export function textSimilarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  if (left.size === 0 || right.size === 0) return normalizeText(a) === normalizeText(b) ? 100 : 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return Math.round((200 * shared) / (left.size + right.size));
}

/** From this score up, the admin page marks an earlier application as probably the same information. */
export const LIKELY_DUPLICATE_SCORE = 60;

function bigrams(text: string): Set<string> {
  // Punctuation and spacing do not make two requests different.
  const chars = [...normalizeText(text).replace(/[\s\p{P}\p{S}]/gu, "")];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/** One earlier application of the same applicant to the same agency. */
export const SimilarRequestDto = z.strictObject({
  id: z.string(),
  serialNo: z.string(),
  receiptDate: z.string().nullable(),
  stateLabel: z.string(),
  /** Answered (a reply was issued): only a repeat of an answered application is 重复申请. */
  answered: z.boolean(),
  outcomeLabel: z.string().nullable(),
  description: z.string(),
  /** 0–100. */
  similarity: z.number().int(),
  likelyDuplicate: z.boolean(),
});

/** One earlier application of the same applicant. */
export type SimilarRequestDto = z.infer<typeof SimilarRequestDto>;
