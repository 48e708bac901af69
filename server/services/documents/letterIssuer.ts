/**
 * Issues letters and keeps uploaded files: builds the letter's text model from the stored application
 * (with the clock as of the letter's event), applies the staff's edits, renders DOCX, stores the bytes
 * in GridFS and appends a `documents[]` entry with `$push` — never touching `state`, which belongs to
 * the transitioner — and writes the audit event.
 */

import { historyOf, signOffStage } from "@govinfo/shared/lifecycle/machine";
import type { LetterIssueInput, LetterKind, UploadKind } from "@govinfo/shared/schemas/documents";
import type { RequestDocumentDto } from "@govinfo/shared/schemas/requestDto";
import { isOutcomeKey, type OutcomeKey } from "@govinfo/shared/stats/keys";
import type { Context } from "koa";
import { Types } from "mongoose";
import type { z } from "zod";
import { Conflict, NotFound } from "../../errors.ts";
import { Agency, type AgencyDoc } from "../../models/Agency.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../../models/DisclosureRequest.ts";
import { audit } from "../audit.ts";
import { dateInChina } from "../calendar.ts";
import { clockOf } from "../requestClock.ts";
import { reviewBodyOf } from "../reviewBody.ts";
import { docxParagraphs } from "./docxText.ts";
import { checkUpload, deleteFile, putFile, readFile } from "./files.ts";
import type { LetterExtra, LetterModel, LetterRequest, MergedLetterPart } from "./letterModel.ts";
import { buildLetter, letterEventIndex, renderDocx } from "./letters.ts";
import { promisesAttachment } from "./replyLetter.ts";
import { assertGroundsKept, withheldParts } from "./withheldParts.ts";

/** MIME type of issued letters. */
export const DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** A document as the API shows it (the requests API's whitelist). */
export type DocumentDto = z.infer<typeof RequestDocumentDto>;

/** One stored entry of `documents[]`. */
export interface DocumentEntry {
  _id: Types.ObjectId;
  kind: string;
  title: string;
  fileId: Types.ObjectId;
  filename: string;
  contentType: string;
  size: number;
  eventIndex: number;
  forApplicant: boolean;
  issuedAt: Date;
}

/**
 * The text model of a letter for the issuing dialog.
 * @param outcome the outcome of a reply drafted before the decision is recorded.
 */
export async function previewLetter(
  request: DisclosureRequestDoc,
  kind: LetterKind,
  options: { outcome?: OutcomeKey; today?: string; draft?: LetterExtra["draft"] } = {},
): Promise<LetterModel> {
  const agency = await Agency.findById(request.agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency");
  const letterRequest = asLetterRequest(request);
  const today = options.today ?? dateInChina();
  const eventIndex = letterEventIndex(kind, letterRequest);
  // Each letter speaks as of its own event: a receipt states the due date it had on the day of receipt.
  const events = eventIndex >= 0 ? request.events.slice(0, eventIndex + 1) : request.events;
  const clock = await clockOf({ events, channel: request.channel }, today);
  const body = await reviewBodyOf(agency);
  const reviewOrgan = {
    rule: body.rule,
    name: body.name,
    derivedName: body.derivedName,
    levelGovernmentName: body.levelGovernmentName,
    overridden: body.overrideName !== "",
  };
  const withheld = kind === "reply" ? await withheldParts(request._id) : [];
  const merged = kind === "reply" && !options.outcome ? await mergedParts(request) : undefined;
  const built = buildLetter(kind, letterRequest, { ...agency, reviewOrgan }, clock, {
    today,
    ...(merged ? { merged } : {}),
    ...(options.outcome ? { outcome: options.outcome } : {}),
    ...(withheld.length > 0 ? { withheldParts: withheld } : {}),
    ...(options.draft ? { draft: options.draft } : {}),
  });
  const signed = kind === "reply" && !options.outcome ? signedReplyText(request) : null;
  return signed ? { ...built, paragraphs: signed } : built;
}

/**
 * 合并答复: every application the reply answers, this one included, in 编号 order with its own
 * decision; undefined when the reply answers this one only, or while one of the others it names has
 * not been answered yet (the letter then only names them).
 */
async function mergedParts(request: DisclosureRequestDoc): Promise<MergedLetterPart[] | undefined> {
  if (!isOutcomeKey(request.outcome)) return undefined;
  const decide = request.events.findLast((event) => event.type === "decide");
  const named = (decide?.payload?.mergedRequests as { serialNo: string }[] | undefined) ?? [];
  if (named.length === 0) return undefined;
  const others = await DisclosureRequest.find({
    agencyId: request.agencyId,
    serialNo: { $in: named.map((m) => m.serialNo) },
  }).lean<DisclosureRequestDoc[]>();
  const all = [request, ...others].sort((a, b) => a.year - b.year || a.seq - b.seq);
  const parts: MergedLetterPart[] = [];
  for (const doc of all) {
    const event = doc.events.findLast((e) => e.type === "decide");
    if (!event || !isOutcomeKey(doc.outcome)) return undefined;
    parts.push({
      request: asLetterRequest(doc),
      receiptDate: doc.receiptDate ?? "",
      outcome: doc.outcome,
      event: { type: event.type, date: event.date, payload: event.payload },
      withheldParts: await withheldParts(doc._id),
    });
  }
  return parts;
}

/**
 * The reply text the sign-off chain approved (审核) or signed (签发) before the recorded `decide`, or
 * null when the reply was decided without a chain. The reply letter is issued with exactly this text.
 */
export function signedReplyText(request: Pick<DisclosureRequestDoc, "events">): string[] | null {
  const events = request.events as { type: string; payload?: Record<string, unknown> | null }[];
  const decideIndex = events.findLastIndex((e) => e.type === "decide");
  if (decideIndex < 0) return null;
  const { stage, draftIndex } = signOffStage(historyOf(events.slice(0, decideIndex)));
  if (stage !== "approved" && stage !== "signed") return null;
  const letter = events[draftIndex]?.payload?.letter;
  return Array.isArray(letter) ? letter.map(String) : null;
}

/**
 * Renders and stores a letter, with the staff's edits applied, and appends it to the application.
 * @param ctx the staff member's request (for the audit trail).
 */
export async function issueLetter(args: {
  ctx: Context | null;
  request: DisclosureRequestDoc;
  kind: LetterKind;
  edits: LetterIssueInput;
  today?: string;
}): Promise<DocumentDto> {
  const preview = await previewLetter(args.request, args.kind, { today: args.today });
  const signed = args.kind === "reply" ? signedReplyText(args.request) : null;
  if (signed && args.edits.paragraphs && args.edits.paragraphs.join("\n") !== signed.join("\n")) {
    throw Conflict(
      "letter.not_signed_text",
      "答复书正文应与审核（签发）通过的拟办稿一致；如需修改，应当重新拟办并报审核、签发",
    );
  }
  const model: LetterModel = {
    ...preview,
    ...(args.edits.title ? { title: args.edits.title } : {}),
    ...(args.edits.addressee ? { addressee: args.edits.addressee } : {}),
    ...(args.edits.paragraphs ? { paragraphs: args.edits.paragraphs } : {}),
    // The QR code opens the H5 lookup page on the origin the letter was issued from.
    ...(preview.queryCode && args.ctx
      ? {
          queryCode: {
            ...preview.queryCode,
            link: lookupLink(`${args.ctx.protocol}://${args.ctx.host}`, preview.queryCode.code),
          },
        }
      : {}),
  };
  if (args.kind === "reply") await assertGroundsKept(args.request._id, model.paragraphs);
  const bytes = await renderDocx(model);
  const entry = await storeDocument({
    request: args.request,
    data: bytes,
    filename: safeFilename(`${args.request.serialNo}-${model.title}.docx`),
    contentType: DOCX_CONTENT_TYPE,
    kind: args.kind,
    title: model.title,
    eventIndex: model.eventIndex,
    forApplicant: model.forApplicant,
  });
  await audit(args.ctx, {
    action: "request.letter",
    targetType: "request",
    targetId: args.request._id,
    agencyId: args.request.agencyId,
    details: {
      kind: args.kind,
      documentId: String(entry._id),
      serialNo: args.request.serialNo,
      edited: edited(preview, model),
    },
  });
  return presentDocument(entry);
}

/**
 * Checks and stores an uploaded file and appends it to the application.
 * @param data the whole file (already size-limited by the reader).
 */
export async function attachUpload(args: {
  ctx: Context | null;
  request: DisclosureRequestDoc;
  filename: string;
  data: Buffer;
  kind: UploadKind;
  title?: string;
  forApplicant?: boolean;
}): Promise<DocumentDto> {
  const { contentType } = await checkUpload(args.filename, args.data);
  const filename = safeFilename(args.filename);
  const entry = await storeDocument({
    request: args.request,
    data: args.data,
    filename,
    contentType,
    kind: args.kind,
    title: args.title ?? filename.replace(/\.[^.]+$/, ""),
    eventIndex: args.request.events.length - 1,
    forApplicant: args.forApplicant ?? args.kind === "delivered",
  });
  await audit(args.ctx, {
    action: "request.file",
    targetType: "request",
    targetId: args.request._id,
    agencyId: args.request.agencyId,
    details: { kind: args.kind, documentId: String(entry._id), filename, size: entry.size },
  });
  return presentDocument(entry);
}

/**
 * A reply whose issued text says "见附件" cannot be delivered until the information it promises is
 * uploaded for the applicant; 409 with the reason otherwise. The text is read from the issued letter
 * itself, so a clerk who edited the sentence away is not held up.
 */
export async function checkAttachmentsBeforeDelivery(request: DisclosureRequestDoc): Promise<void> {
  const documents = request.documents ?? [];
  if (documents.some(isDeliveredFile)) return;
  const reply = documents.findLast((doc) => doc.kind === "reply");
  if (!reply) return;
  if (!promisesAttachment(docxParagraphs(await readFile(reply.fileId)))) return;
  throw Conflict(
    "request.attachment_missing",
    "答复告知书写明“见附件”，但尚未上传送达申请人的政府信息（附件），请先在“文书与文件”中上传后再送达",
  );
}

/** The DTO of a stored document entry. */
export function presentDocument(entry: DocumentEntry): DocumentDto {
  return {
    id: String(entry._id),
    kind: entry.kind,
    title: entry.title,
    filename: entry.filename,
    contentType: entry.contentType,
    size: entry.size,
    eventIndex: entry.eventIndex,
    forApplicant: entry.forApplicant,
    issuedAt: entry.issuedAt.toISOString(),
  };
}

/** The H5 lookup page for a 查询码 (hash router), on `origin`. */
export function lookupLink(origin: string, code: string): string {
  return `${origin}/h5/#/pages/lookup/index?code=${encodeURIComponent(code)}`;
}

/** A stored application in the shape the letter builders read. */
export function asLetterRequest(request: DisclosureRequestDoc): LetterRequest {
  return {
    serialNo: request.serialNo,
    channel: request.channel,
    description: request.description,
    documentNumber: request.documentNumber ?? "",
    outcome: request.outcome ?? null,
    receiptDate: request.receiptDate ?? null,
    applicant: { name: request.applicant.name },
    queryCode: request.queryCode ?? null,
    attachments: (request.documents ?? []).filter(isDeliveredFile).map((doc) => doc.title),
    events: request.events.map((event) => ({
      type: event.type,
      date: event.date,
      payload: (event.payload ?? {}) as Record<string, unknown>,
    })),
  };
}

/** Stores a file in GridFS and records it in the request's documents (removing the file if that fails). */
export async function storeDocument(args: {
  request: DisclosureRequestDoc;
  data: Buffer;
  filename: string;
  contentType: string;
  kind: string;
  title: string;
  eventIndex: number;
  forApplicant: boolean;
}): Promise<DocumentEntry> {
  const stored = await putFile({
    data: args.data,
    filename: args.filename,
    contentType: args.contentType,
    requestId: args.request._id,
    agencyId: args.request.agencyId,
    kind: args.kind,
  });
  const entry: DocumentEntry = {
    _id: new Types.ObjectId(),
    kind: args.kind,
    title: args.title,
    fileId: stored.fileId,
    filename: args.filename,
    contentType: args.contentType,
    size: stored.size,
    eventIndex: args.eventIndex,
    forApplicant: args.forApplicant,
    issuedAt: new Date(),
  };
  try {
    const result = await DisclosureRequest.updateOne(
      { _id: args.request._id },
      { $push: { documents: entry } },
    );
    if (result.matchedCount === 0) throw NotFound("request");
  } catch (error) {
    // Without its record the file would be unreachable; remove it rather than leave an orphan.
    await deleteFile(stored.fileId);
    throw error;
  }
  return entry;
}

function edited(before: LetterModel, after: LetterModel): boolean {
  return (
    before.title !== after.title ||
    before.addressee !== after.addressee ||
    before.paragraphs.length !== after.paragraphs.length ||
    before.paragraphs.some((text, i) => text !== after.paragraphs[i])
  );
}

/** Strips characters Windows and most file systems refuse, keeping Chinese names intact. */
function safeFilename(name: string): string {
  const printable = [...name].map((c) => (c.charCodeAt(0) < 0x20 ? "_" : c)).join("");
  return printable.replace(/[\\/:*?"<>|]/g, "_").slice(0, 200);
}

/** A file handed to the applicant with the reply (its 附件): uploaded as is, or redacted (区分处理). */
function isDeliveredFile(doc: { kind: string; forApplicant?: boolean | null }): boolean {
  return (doc.kind === "delivered" || doc.kind === "redacted") && doc.forApplicant === true;
}
