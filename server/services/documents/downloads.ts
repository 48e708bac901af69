/**
 * Reading an application's stored documents: the file (staff downloads audited) and the text of a
 * letter this platform issued, for reading on a phone. An applicant sees only the documents issued
 * to them; any other id answers 404 exactly like a wrong one.
 */

import type { Readable } from "node:stream";
import type { DocumentTextDto } from "@govinfo/shared/schemas/documents";
import type { Context } from "koa";
import { NotFound, ValidationFailed } from "../../errors.ts";
import type { DisclosureRequestDoc } from "../../models/DisclosureRequest.ts";
import type { Actor } from "../../policies/actor.ts";
import { audit } from "../audit.ts";
import { docxParagraphs } from "./docxText.ts";
import { openFile, readFile, type StoredFile } from "./files.ts";
import { DOCX_CONTENT_TYPE } from "./letterIssuer.ts";

/** One entry of an application's document list. */
export type RequestDocument = DisclosureRequestDoc["documents"][number];

/** Opens a document of a request the actor may view; a staff download is audited. */
export async function openRequestDocument(
  ctx: Context,
  actor: Actor,
  request: DisclosureRequestDoc,
  docId: string,
): Promise<{ entry: RequestDocument; info: StoredFile; stream: Readable }> {
  const entry = request.documents.find((doc) => String(doc._id) === docId);
  // An applicant must not learn that an internal document exists: same 404 as a wrong id.
  if (!entry || (actor.kind === "applicant" && !entry.forApplicant)) throw NotFound("document");
  const { info, stream } = await openFile(entry.fileId);
  if (actor.kind === "staff") {
    await audit(ctx, {
      action: "request.document.download",
      targetType: "request",
      targetId: request._id,
      agencyId: request.agencyId,
      details: { documentId: docId, filename: entry.filename },
    });
  }
  return { entry, info, stream };
}

/** The paragraphs of a letter this platform issued (other files can only be downloaded). */
export async function documentText(entry: RequestDocument): Promise<DocumentTextDto> {
  if (entry.contentType !== DOCX_CONTENT_TYPE)
    throw ValidationFailed([
      { path: "view", message: "只有本平台出具的文书可以在线阅读，其他文件请下载查看" },
    ]);
  return { title: entry.title, paragraphs: docxParagraphs(await readFile(entry.fileId)) };
}
