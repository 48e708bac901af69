/**
 * 区分处理 commands on an application's PDF: load the set, search, save the boxes, apply them.
 * Each save and each application is an audit event. The original stays in GridFS for the record and
 * is withdrawn from the applicant as soon as a set exists; the redacted file is what is delivered.
 * Sets are frozen once the reply letter is issued. A DOCX original is converted to PDF once (the
 * first time the tool opens it); that PDF is what is searched, drawn on and redacted, while the DOCX
 * stays in GridFS as the record and is never delivered either.
 */
import type {
  RedactionBox,
  RedactionHitDto,
  RedactionSearchInput,
  RedactionSetDto,
} from "@govinfo/shared/schemas/redaction";
import type { Context } from "koa";
import { isDuplicateKey } from "../../db/duplicateKey.ts";
import { BadRequest, Conflict, NotFound } from "../../errors.ts";
import type { DisclosureRequestDoc } from "../../models/DisclosureRequest.ts";
import { DisclosureRequest } from "../../models/DisclosureRequest.ts";
import { RedactionSet, type RedactionSetDoc } from "../../models/RedactionSet.ts";
import { audit } from "../audit.ts";
import { CONVERTER_NAME, type DocxConverter } from "./docxToPdf.ts";
import { deleteFile, putFile, readFile } from "./files.ts";
import { type DocumentEntry, presentDocument, storeDocument } from "./letterIssuer.ts";
import { applyRedactions, pageSizes, renderPagePng, searchPdf } from "./redaction.ts";
import { boxesOf } from "./withheldParts.ts";

/** A redaction set as the tool and the reviewer see it. */
/** The redaction set of one document as the tool loads it (the wire shape is shared with the admin page). */
export type RedactionSetView = RedactionSetDto;

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** The PDF a redaction works on: the original itself, or the PDF a DOCX original was converted to. */
interface WorkingPdf {
  data: Buffer;
  converted: boolean;
}

/** The source document of a redaction: a PDF or DOCX entry of this very application. */
function sourceOf(request: DisclosureRequestDoc, documentId: string): DocumentEntry {
  const entry = request.documents.find((doc) => String(doc._id) === documentId) as DocumentEntry | undefined;
  // A document of another application is refused as if it did not exist: its id says nothing here.
  if (!entry) throw NotFound("document", "该文件不属于本申请，不能对其进行区分处理");
  if (entry.kind === "redacted") throw BadRequest("该文件已是区分处理后的文件，请对原始文件进行区分处理");
  return entry;
}

function replyIssued(request: DisclosureRequestDoc): boolean {
  return request.documents.some((doc) => doc.kind === "reply");
}

function assertEditable(request: DisclosureRequestDoc): void {
  if (replyIssued(request)) {
    throw Conflict("reply_issued", "答复告知书已出具，区分处理不能再修改");
  }
}

async function findSet(
  request: DisclosureRequestDoc,
  source: DocumentEntry,
): Promise<RedactionSetDoc | null> {
  return RedactionSet.findOne({
    requestId: request._id,
    sourceDocumentId: source._id,
  }).lean<RedactionSetDoc>();
}

/**
 * The PDF the boxes of `source` are drawn on. A PDF is its own; a DOCX is converted on first use
 * and the PDF kept (in GridFS, with its provenance on the set) so every later step sees the same
 * pages. Two first uses at once both convert; the first to record its PDF wins, the other's file
 * is deleted.
 */
async function workingPdf(
  ctx: Context,
  request: DisclosureRequestDoc,
  source: DocumentEntry,
  converter: DocxConverter,
): Promise<WorkingPdf> {
  if (source.contentType !== DOCX_TYPE) return { data: await readFile(source.fileId), converted: false };
  const existing = (await findSet(request, source))?.conversion;
  if (existing) return { data: await readFile(existing.fileId), converted: true };
  const { pdf, ms } = await converter.convert(await readFile(source.fileId));
  // Refuse a PDF MuPDF cannot open before anything is written.
  pageSizes(pdf);
  const stored = await putFile({
    data: pdf,
    filename: source.filename.replace(/(\.docx)?$/i, ".pdf"),
    contentType: "application/pdf",
    requestId: request._id,
    agencyId: request.agencyId,
    kind: "converted",
  });
  const conversion = {
    fileId: stored.fileId,
    fromContentType: source.contentType,
    converter: CONVERTER_NAME,
    convertedAt: new Date(),
    durationMs: Math.round(ms),
  };
  const key = { requestId: request._id, sourceDocumentId: source._id };
  try {
    await RedactionSet.updateOne(
      key,
      { $setOnInsert: { agencyId: request.agencyId, boxes: [], version: 0, updatedAt: new Date() } },
      { upsert: true },
    );
  } catch (error) {
    // A concurrent first use inserted the set between our find and our upsert.
    if (!isDuplicateKey(error)) throw error;
  }
  const recorded = await RedactionSet.updateOne({ ...key, conversion: null }, { $set: { conversion } });
  if (recorded.modifiedCount === 0) {
    await deleteFile(stored.fileId);
    return workingPdf(ctx, request, source, converter);
  }
  await audit(ctx, {
    action: "request.redaction.convert",
    targetType: "request",
    targetId: request._id,
    agencyId: request.agencyId,
    details: {
      documentId: String(source._id),
      convertedFileId: String(stored.fileId),
      converter: CONVERTER_NAME,
      durationMs: conversion.durationMs,
    },
  });
  return { data: pdf, converted: true };
}

/** The set of a document (empty when none was saved), with the page sizes of the PDF. */
export async function loadRedaction(
  ctx: Context,
  request: DisclosureRequestDoc,
  documentId: string,
  converter: DocxConverter,
): Promise<RedactionSetView> {
  const source = sourceOf(request, documentId);
  const working = await workingPdf(ctx, request, source, converter);
  const pages = pageSizes(working.data);
  const set = await findSet(request, source);
  return {
    documentId,
    filename: source.filename,
    pages,
    boxes: boxesOf(set),
    version: set?.version ?? 0,
    appliedDocumentId: set?.appliedDocumentId ? String(set.appliedDocumentId) : null,
    appliedVersion: set?.appliedVersion ?? null,
    editable: !replyIssued(request),
    convertedFrom: working.converted ? "docx" : null,
  };
}

/** One page of the original as a PNG, for drawing boxes and for the reviewer. */
export async function redactionPage(
  ctx: Context,
  request: DisclosureRequestDoc,
  documentId: string,
  pageIndex: number,
  converter: DocxConverter,
): Promise<Buffer> {
  const source = sourceOf(request, documentId);
  return renderPagePng((await workingPdf(ctx, request, source, converter)).data, pageIndex, 1.5);
}

/** Every occurrence of a phrase or pattern in the original. */
export async function searchRedaction(
  ctx: Context,
  request: DisclosureRequestDoc,
  documentId: string,
  query: RedactionSearchInput,
  converter: DocxConverter,
): Promise<RedactionHitDto[]> {
  const source = sourceOf(request, documentId);
  return searchPdf((await workingPdf(ctx, request, source, converter)).data, query);
}

/** Replaces the boxes of a document; the original is withdrawn from the applicant. */
export async function saveRedaction(args: {
  ctx: Context;
  request: DisclosureRequestDoc;
  documentId: string;
  boxes: RedactionBox[];
  converter: DocxConverter;
}): Promise<RedactionSetView> {
  const { ctx, request } = args;
  assertEditable(request);
  const source = sourceOf(request, args.documentId);
  const pages = pageSizes((await workingPdf(ctx, request, source, args.converter)).data);
  const outside = args.boxes.find((box) => box.page >= pages.length);
  if (outside) {
    throw BadRequest(`遮盖框的页码（第 ${outside.page + 1} 页）超出范围，该文件共 ${pages.length} 页`);
  }
  const actor = ctx.state.actor;
  await RedactionSet.updateOne(
    { requestId: request._id, sourceDocumentId: source._id },
    {
      $set: {
        agencyId: request.agencyId,
        boxes: args.boxes.map((box) => ({ ...box, note: box.note ?? "" })),
        updatedAt: new Date(),
        updatedBy: actor.kind === "staff" ? actor.user.username : "",
      },
      $inc: { version: 1 },
    },
    { upsert: true },
  );
  if (source.forApplicant) {
    await DisclosureRequest.updateOne(
      { _id: request._id, "documents._id": source._id },
      { $set: { "documents.$.forApplicant": false } },
    );
  }
  await audit(ctx, {
    action: "request.redaction.save",
    targetType: "request",
    targetId: request._id,
    agencyId: request.agencyId,
    details: { documentId: args.documentId, boxes: args.boxes.length, grounds: groundCounts(args.boxes) },
  });
  return loadRedaction(ctx, request, args.documentId, args.converter);
}

function groundCounts(boxes: readonly RedactionBox[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const box of boxes) counts[box.ground] = (counts[box.ground] ?? 0) + 1;
  return counts;
}

/**
 * Applies the saved boxes: stores the redacted PDF as the delivered file (withdrawing one produced
 * from an earlier version of the set) and returns it.
 */
export async function applyRedaction(args: {
  ctx: Context;
  request: DisclosureRequestDoc;
  documentId: string;
  converter: DocxConverter;
}) {
  const { ctx, request } = args;
  assertEditable(request);
  const source = sourceOf(request, args.documentId);
  const set = await findSet(request, source);
  const boxes = boxesOf(set);
  if (!set || boxes.length === 0)
    throw BadRequest("请先在文件上标出需要遮盖的内容并保存，再生成区分处理后的文件");
  const working = await workingPdf(ctx, request, source, args.converter);
  const redacted = applyRedactions(working.data, boxes);
  const filename = source.filename.replace(/(\.pdf|\.docx)?$/i, "（区分处理）.pdf");
  // The title is what the reply lists as its 附件, so the letter says the file began as a Word file.
  const title = working.converted
    ? `${source.title}（区分处理，由 Word 文件转换为 PDF）`
    : `${source.title}（区分处理）`;
  const entry = await storeDocument({
    request,
    data: redacted,
    filename,
    contentType: "application/pdf",
    kind: "redacted",
    title,
    eventIndex: request.events.length - 1,
    forApplicant: true,
  });
  await RedactionSet.updateOne(
    { _id: set._id },
    {
      $set: {
        appliedDocumentId: entry._id,
        appliedVersion: set.version,
        appliedBoxes: set.boxes,
        appliedAt: new Date(),
      },
    },
  );
  if (set.appliedDocumentId) {
    await DisclosureRequest.updateOne(
      { _id: request._id, "documents._id": set.appliedDocumentId },
      { $set: { "documents.$.forApplicant": false } },
    );
  }
  await audit(ctx, {
    action: "request.redaction.apply",
    targetType: "request",
    targetId: request._id,
    agencyId: request.agencyId,
    details: {
      documentId: args.documentId,
      redactedDocumentId: String(entry._id),
      version: set.version,
      boxes: boxes.length,
      grounds: groundCounts(boxes),
      ...(set.conversion ? { convertedFileId: String(set.conversion.fileId) } : {}),
    },
  });
  return presentDocument(entry);
}
