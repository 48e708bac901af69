/**
 * What a 部分公开 reply must say about redacted files: one sentence per legal ground the applied boxes
 * rest on (generated, so no ground is forgotten), and the check that staff editing the letter kept
 * every ground's citation — they may reword a sentence, not drop a ground.
 */
import {
  type RedactionBox,
  type RedactionGround,
  redactionGroundInfo,
} from "@govinfo/shared/schemas/redaction";
import type { Types } from "mongoose";
import { ValidationFailed } from "../../errors.ts";
import { RedactionSet, type RedactionSetDoc } from "../../models/RedactionSet.ts";

type StoredBox = RedactionSetDoc["boxes"][number];

/** Stored boxes in their wire shape. */
export function boxesOf(set: { boxes?: StoredBox[] } | null): RedactionBox[] {
  return (set?.boxes ?? []).map((box) => ({
    page: box.page,
    x: box.x,
    y: box.y,
    width: box.width,
    height: box.height,
    ground: box.ground as RedactionGround,
    ...(box.note ? { note: box.note } : {}),
  }));
}

/** The boxes of every applied redaction of an application (what its delivered files withhold). */
async function appliedBoxes(requestId: Types.ObjectId): Promise<RedactionBox[]> {
  const sets = await RedactionSet.find({ requestId, appliedDocumentId: { $ne: null } }).lean<
    RedactionSetDoc[]
  >();
  return sets.flatMap((set) => boxesOf({ boxes: set.appliedBoxes }));
}

/** The withheld-part sentences of an application's reply; empty when nothing was redacted. */
export async function withheldParts(requestId: Types.ObjectId): Promise<string[]> {
  return withheldPartsOf(await appliedBoxes(requestId));
}

function groundsOf(boxes: readonly RedactionBox[]): RedactionGround[] {
  const used = new Set(boxes.map((box) => box.ground));
  return (Object.keys(redactionGroundInfo) as RedactionGround[]).filter((ground) => used.has(ground));
}

/** One sentence per ground used by the boxes, in the order of the regulations, with the notes. */
export function withheldPartsOf(boxes: readonly RedactionBox[]): string[] {
  return groundsOf(boxes).map((ground, index) => {
    const info = redactionGroundInfo[ground];
    const mine = boxes.filter((box) => box.ground === ground);
    const notes = [...new Set(mine.flatMap((box) => (box.note ? [box.note] : [])))];
    const what = notes.length > 0 ? `（${notes.join("、")}）` : "";
    const verdict = ground === "notGovInfo" ? "不予提供" : "不予公开";
    return `${index + 1}.遮盖的${mine.length}处内容${what}${info.reason}，根据${info.article}的规定，${verdict}。`;
  });
}

/**
 * Refuses an edited reply that no longer cites a ground the redacted files rest on.
 * @param paragraphs the letter's paragraphs as staff will issue them.
 */
export async function assertGroundsKept(
  requestId: Types.ObjectId,
  paragraphs: readonly string[],
): Promise<void> {
  const text = paragraphs.join("\n");
  const missing = groundsOf(await appliedBoxes(requestId)).filter(
    (ground) => !text.includes(redactionGroundInfo[ground].article),
  );
  if (missing.length === 0) return;
  const names = missing.map(
    (ground) => `${redactionGroundInfo[ground].name}（${redactionGroundInfo[ground].article}）`,
  );
  const message = `答复告知书应当列明区分处理中每一项不予公开的理由，可以修改表述但不能删去，缺少：${names.join("、")}`;
  throw ValidationFailed([{ path: "paragraphs", message }], message);
}

/**
 * A decision on an application whose delivered files include a redacted one is 部分公开 (table 三
 * （二）: "区分处理的，只计这一情形"); any other outcome is refused with the reason.
 */
export function redactedOutcomeProblem(
  documents: readonly { kind: string; forApplicant?: boolean | null }[],
  outcome: string | null | undefined,
): string | null {
  if (!outcome || outcome === "partial") return null;
  const redacted = documents.some((doc) => doc.kind === "redacted" && doc.forApplicant);
  return redacted ? "已提供区分处理后的文件，办理结果应当为“部分公开”" : null;
}
