/**
 * 区分处理 of an application's PDF, or of a DOCX converted to PDF first (under /api/requests):
 * - `GET  /requests/:id/documents/:docId/redaction` — page sizes and the saved boxes (staff who may view);
 * - `GET  /requests/:id/documents/:docId/redaction/pages/:page` — page `page` (1-based) of the original as PNG;
 * - `POST /requests/:id/documents/:docId/redaction/search` `{phrase}|{pattern}` — every occurrence;
 * - `PUT  /requests/:id/documents/:docId/redaction` `{boxes}` — replaces the boxes (each with its ground);
 * - `POST /requests/:id/documents/:docId/redaction/apply` — produces the redacted PDF for delivery.
 */
import { redactionApi } from "@govinfo/shared/api/routes/redaction";
import type { AppServices } from "../app.ts";
import {
  applyRedaction,
  loadRedaction,
  redactionPage,
  saveRedaction,
  searchRedaction,
} from "../services/documents/redactionDesk.ts";
import { access, buildRouter, route } from "./define.ts";
import { loadForIssuing, loadVisible } from "./documents.ts";

/** The redaction router (mounted under /api/requests); DOCX originals go through `docxConverter`. */
export function createRedactionRouter({ docxConverter }: Pick<AppServices, "docxConverter">) {
  return buildRouter("", [
    route({
      ...redactionApi.load,
      summary: "查看区分处理（页面尺寸与遮盖框）",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        const request = await loadVisible(ctx.state.actor, params.id);
        return loadRedaction(ctx, request, params.docId, docxConverter);
      },
    }),
    route({
      ...redactionApi.page,
      summary: "区分处理：原始文件某一页的图像（PNG）",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        const request = await loadVisible(ctx.state.actor, params.id);
        const png = await redactionPage(ctx, request, params.docId, params.page - 1, docxConverter);
        ctx.set({ "Content-Type": "image/png", "Cache-Control": "private, no-store" });
        ctx.body = png;
        return undefined;
      },
    }),
    route({
      ...redactionApi.search,
      summary: "区分处理：查找文字或身份证号码、电话号码",
      access: access.staff("workCases"),
      handler: async (ctx, { params, body }) => {
        const request = await loadForIssuing(ctx, params.id);
        return searchRedaction(ctx, request, params.docId, body, docxConverter);
      },
    }),
    route({
      ...redactionApi.save,
      summary: "保存区分处理的遮盖框（每个遮盖框须注明不予公开的理由）",
      access: access.staff("workCases"),
      handler: async (ctx, { params, body }) => {
        const request = await loadForIssuing(ctx, params.id);
        return saveRedaction({
          ctx,
          request,
          documentId: params.docId,
          boxes: body.boxes,
          converter: docxConverter,
        });
      },
    }),
    route({
      ...redactionApi.apply,
      summary: "生成区分处理后的文件（删除遮盖内容，原件存档不提供）",
      access: access.staff("workCases"),
      handler: async (ctx, { params }) => {
        const request = await loadForIssuing(ctx, params.id);
        ctx.status = 201;
        return applyRedaction({ ctx, request, documentId: params.docId, converter: docxConverter });
      },
    }),
  ]);
}
