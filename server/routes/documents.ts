/**
 * Letters and files of an application (under /api/requests):
 * - `GET  /requests/:id/letters/:kind/preview` — the editable text model for the issuing dialog;
 * - `POST /requests/:id/letters/:kind` `{title?, addressee?, paragraphs?}` — renders, stores and lists it;
 * - `POST /requests/:id/files?kind=delivered|material&title=…&forApplicant=true|false` — uploads one
 *   file as the raw body (`Content-Type: application/octet-stream` or the file's own type) with its name
 *   URL-encoded in the `X-Filename` header; multipart is not accepted, so no parser is needed;
 * - `GET  /requests/:id/documents/:docId` — downloads a document: staff of the agency, and the owning
 *   applicant for documents issued to them; everyone else gets 404.
 */
import type { Readable } from "node:stream";
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { documentsApi } from "@govinfo/shared/api/routes/documents";
import type { Context } from "koa";
import { BadRequest, Forbidden, UnsupportedMediaType } from "../errors.ts";
import { readRawBody } from "../middlewares/rawBody.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import type { Actor } from "../policies/actor.ts";
import { lifecycleRoles } from "../policies/requests.ts";
import { documentText, openRequestDocument, type RequestDocument } from "../services/documents/downloads.ts";
import { MAX_UPLOAD_BYTES, type StoredFile } from "../services/documents/files.ts";
import { attachUpload, issueLetter, previewLetter } from "../services/documents/letterIssuer.ts";
import { loadVisibleRequest } from "../services/requestDesk.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** Staff roles that may issue letters and upload files (supervisors only look). */
const ISSUING_ROLES = rolesFor("workCases");

/** The documents router (mounted under /api/requests). */
export function createDocumentsRouter() {
  return buildRouter("", [
    route({
      ...documentsApi.previewLetter,
      summary: "预览文书（可编辑的文本）",
      access: access.staff(),
      handler: async (ctx, { params, query }) => {
        const request = await loadVisible(ctx.state.actor, params.id);
        const { outcome, ...draft } = query;
        return previewLetter(request, params.kind, { ...(outcome ? { outcome } : {}), draft });
      },
    }),
    route({
      ...documentsApi.issueLetter,
      summary: "出具文书（生成 DOCX 并存档）",
      access: access.staff("workCases"),
      handler: async (ctx, { params, body }) => {
        const request = await loadForIssuing(ctx, params.id);
        ctx.status = 201;
        return issueLetter({ ctx, request, kind: params.kind, edits: body });
      },
    }),
    route({
      ...documentsApi.uploadFile,
      summary: "上传文件（原始请求体，文件名以 URL 编码放在 X-Filename 头中；不超过 20 MB）",
      access: access.staff("workCases"),
      handler: async (ctx, { params, query }) => {
        checkRawBody(ctx);
        const filename = uploadFilename(ctx);
        const request = await loadForIssuing(ctx, params.id);
        const data = await readRawBody(ctx, MAX_UPLOAD_BYTES, "文件未能完整接收，请重新上传");
        ctx.status = 201;
        return attachUpload({
          ctx,
          request,
          filename,
          data,
          kind: query.kind,
          ...(query.title ? { title: query.title } : {}),
          ...(query.forApplicant === undefined ? {} : { forApplicant: query.forApplicant }),
        });
      },
    }),
    route({
      ...documentsApi.document,
      summary: "下载文书或文件（view=text：文书正文，供手机在线阅读）",
      access: access.staffOrApplicant,
      handler: async (ctx, { params, query }) => {
        const actor = ctx.state.actor;
        const request = await loadVisible(actor, params.id);
        const { entry, info, stream } = await openRequestDocument(ctx, actor, request, params.docId);
        if (query.view === "text") {
          // The text is read whole; the download stream opened for the audit is not needed.
          stream.destroy();
          return documentText(entry);
        }
        return sendStoredDocument(ctx, entry, info, stream);
      },
    }),
  ]);
}

/** Streams a stored document of an application as a private download: never cached, never sniffed. */
export function sendStoredDocument(
  ctx: Context,
  entry: Pick<RequestDocument, "contentType" | "filename">,
  info: StoredFile,
  stream: Readable,
): undefined {
  ctx.set({
    "Content-Type": entry.contentType,
    "Content-Length": String(info.size),
    "Content-Disposition": contentDisposition(entry.filename),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
  });
  ctx.body = stream;
  return undefined;
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 / RFC 5987),
 * so browsers show the Chinese name and old clients still get a usable one.
 */
export function contentDisposition(filename: string): string {
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(filename)?.[0] ?? "";
  const fallback = /^[\x20-\x7e]+$/.test(filename) ? filename.replace(/["\\]/g, "_") : `document${extension}`;
  const encoded = encodeURIComponent(filename).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Loads an application the actor may view (404 otherwise). */
export function loadVisible(actor: Actor, id: string): Promise<DisclosureRequestDoc> {
  return loadVisibleRequest(actor, id);
}

/** Loads an application whose files the staff actor may issue and change. */
export async function loadForIssuing(ctx: Context, id: string): Promise<DisclosureRequestDoc> {
  const request = await loadVisible(ctx.state.actor, id);
  const roles = lifecycleRoles(staffOf(ctx), request);
  if (!roles.some((role) => (ISSUING_ROLES as readonly string[]).includes(role))) {
    throw Forbidden("您在该申请所属机关没有出具文书或上传文件的权限");
  }
  return request;
}

function uploadFilename(ctx: Context): string {
  const raw = ctx.get("X-Filename");
  if (raw === "") throw BadRequest("请在 X-Filename 请求头中提供文件名（URL 编码）");
  try {
    return decodeURIComponent(raw);
  } catch {
    throw BadRequest("X-Filename 请求头不是有效的 URL 编码");
  }
}

function checkRawBody(ctx: Context): void {
  // JSON and form bodies are read (or meant to be read) by other middleware; files come raw.
  if (ctx.is("application/json", "application/*+json", "multipart/*", "application/x-www-form-urlencoded")) {
    throw UnsupportedMediaType(
      "请以原始二进制请求体上传文件（Content-Type: application/octet-stream），文件名放在 X-Filename 请求头中",
    );
  }
  const encoding = ctx.get("Content-Encoding").toLowerCase();
  if (encoding !== "" && encoding !== "identity") throw UnsupportedMediaType("上传的文件不能压缩传输");
}
