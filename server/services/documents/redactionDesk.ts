/**
 * 区分处理 commands on an application's PDF: load the set, search, save the boxes, apply them.
 * Each save and each application is an audit event. The original stays in GridFS for the record and
 * is withdrawn from the applicant as soon as a set exists; the redacted file is what is delivered.
 * Sets are frozen once the reply letter is issued.
 */
import type { RedactionBox, RedactionHitDto, RedactionSearchInput } from "@govinfo/shared/schemas/redaction";
import type { Context } from "koa";
import { BadRequest, Conflict, NotFound } from "../../errors.ts";
import type { DisclosureRequestDoc } from "../../models/DisclosureRequest.ts";
import { DisclosureRequest } from "../../models/DisclosureRequest.ts";
import { RedactionSet, type RedactionSetDoc } from "../../models/RedactionSet.ts";
import { audit } from "../audit.ts";
import { readFile } from "./files.ts";
import { type DocumentEntry, presentDocument, storeDocument } from "./letterIssuer.ts";
import { applyRedactions, type PageSize, pageSizes, renderPagePng, searchPdf } from "./redaction.ts";
import { boxesOf } from "./withheldParts.ts";

/** A redaction set as the tool and the reviewer see it. */
export interface RedactionSetView {
  documentId: string;
  filename: string;
  pages: PageSize[];
  boxes: RedactionBox[];
  version: number;
  appliedDocumentId: string | null;
  appliedVersion: number | null;
  /** Whether the set can still change (false once the reply letter is issued). */
  editable: boolean;
}

/** The source document of a redaction: a PDF entry of this very application. */
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

/** The set of a document (empty when none was saved), with the page sizes of the PDF. */
export async function loadRedaction(
  request: DisclosureRequestDoc,
  documentId: string,
): Promise<RedactionSetView> {
  const source = sourceOf(request, documentId);
  const data = await readFile(source.fileId);
  const pages = pageSizes(data);
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
  };
}

/** One page of the original as a PNG, for drawing boxes and for the reviewer. */
export async function redactionPage(
  request: DisclosureRequestDoc,
  documentId: string,
  pageIndex: number,
): Promise<Buffer> {
  const source = sourceOf(request, documentId);
  return renderPagePng(await readFile(source.fileId), pageIndex, 1.5);
}

/** Every occurrence of a phrase or pattern in the original. */
export async function searchRedaction(
  request: DisclosureRequestDoc,
  documentId: string,
  query: RedactionSearchInput,
): Promise<RedactionHitDto[]> {
  const source = sourceOf(request, documentId);
  return searchPdf(await readFile(source.fileId), query);
}

/** Replaces the boxes of a document; the original is withdrawn from the applicant. */
export async function saveRedaction(args: {
  ctx: Context;
  request: DisclosureRequestDoc;
  documentId: string;
  boxes: RedactionBox[];
}): Promise<RedactionSetView> {
  const { ctx, request } = args;
  assertEditable(request);
  const source = sourceOf(request, args.documentId);
  const data = await readFile(source.fileId);
  const pages = pageSizes(data);
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
  return loadRedaction(request, args.documentId);
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
}) {
  const { ctx, request } = args;
  assertEditable(request);
  const source = sourceOf(request, args.documentId);
  const set = await findSet(request, source);
  const boxes = boxesOf(set);
  if (!set || boxes.length === 0)
    throw BadRequest("请先在文件上标出需要遮盖的内容并保存，再生成区分处理后的文件");
  const redacted = applyRedactions(await readFile(source.fileId), boxes);
  const filename = source.filename.replace(/(\.pdf)?$/i, "（区分处理）.pdf");
  const entry = await storeDocument({
    request,
    data: redacted,
    filename,
    contentType: "application/pdf",
    kind: "redacted",
    title: `${source.title}（区分处理）`,
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
    },
  });
  return presentDocument(entry);
}
