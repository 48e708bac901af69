import { rolesFor } from "@govinfo/shared/access/capabilities";
import { ledgerApi } from "@govinfo/shared/api/routes/ledger";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { Context } from "koa";
import type { AppServices } from "../app.ts";
import { BadRequest, Forbidden, UnsupportedMediaType } from "../errors.ts";
import { readRawBody } from "../middlewares/rawBody.ts";
import { hasRole } from "../policies/actor.ts";
import { mayRevealPersonalData } from "../policies/requestAbilities.ts";
import { exportLedger } from "../services/ledger/exporter.ts";
import { importLedger } from "../services/ledger/importer.ts";
import type { LedgerFormat } from "../services/ledger/types.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** Largest ledger file accepted. */
export const LEDGER_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
/** Roles that may import an agency's ledger (it creates records in bulk). */
export const ledgerImportRoles: readonly StaffRole[] = rolesFor("importLedger");
/** Roles that may export it (unmasked personal data only for those the reveal rule allows). */
export const ledgerExportRoles: readonly StaffRole[] = rolesFor("exportLedger");

const acceptedTypes = [
  "application/octet-stream",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "text/csv",
  "application/csv",
];

/** The /api/ledger router. */
export function createLedgerRouter(services: AppServices) {
  return buildRouter("", [
    route({
      ...ledgerApi.importFile,
      summary: "导入台账（XLSX 或 CSV，全部导入或全部不导入）",
      access: access.staff("importLedger"),
      handler: async (ctx, { query }) => {
        if (!hasRole(staffOf(ctx), query.agencyId, ledgerImportRoles)) {
          throw Forbidden("只有本机关的管理员可以导入台账");
        }
        const { filename, format } = uploadName(ctx);
        const bytes = await readRawBody(ctx, LEDGER_UPLOAD_LIMIT_BYTES, "文件未能完整接收");
        if (bytes.length === 0) throw BadRequest("上传的文件是空的");
        return importLedger({
          agencyId: query.agencyId,
          bytes,
          format,
          filename,
          cipher: services.cipher,
          ctx,
        });
      },
    }),
    route({
      ...ledgerApi.exportFile,
      summary: "导出台账（XLSX 含复议诉讼表；CSV 仅申请表）；个人信息默认遮蔽，full=true 须管理员并填写理由",
      access: access.staff("exportLedger"),
      handler: async (ctx, { query }) => {
        if (!hasRole(staffOf(ctx), query.agencyId, ledgerExportRoles))
          throw Forbidden("您无权导出该机关的台账");
        const full = query.full === "true";
        // In clear only by an administrator's explicit choice, and only where the reveal rule allows it.
        const mayExportInClear =
          hasRole(staffOf(ctx), query.agencyId, rolesFor("exportLedgerInClear")) &&
          mayRevealPersonalData(staffOf(ctx), query.agencyId);
        if (full && !mayExportInClear) throw Forbidden("只有机关管理员可以导出含完整个人信息的台账");
        const file = await exportLedger({
          agencyId: query.agencyId,
          format: query.format,
          cipher: services.cipher,
          ctx,
          masked: !full,
          ...(full ? { reason: query.reason ?? "" } : {}),
          ...(query.year ? { year: query.year } : {}),
        });
        ctx.set("Content-Type", file.contentType);
        ctx.set("Content-Disposition", contentDisposition(file.filename, query.format));
        ctx.set("Cache-Control", "no-store");
        ctx.body = file.bytes;
      },
    }),
  ]);
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(filename: string, format: LedgerFormat): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="ledger.${format}"; filename*=UTF-8''${encoded}`;
}

function uploadName(ctx: Context): { filename: string; format: LedgerFormat } {
  const type = (ctx.get("Content-Type").split(";")[0] ?? "").trim().toLowerCase();
  if (!acceptedTypes.includes(type)) {
    throw UnsupportedMediaType("请以 application/octet-stream 上传台账文件，并在 X-Filename 头中给出文件名");
  }
  const header = ctx.get("X-Filename");
  if (header === "")
    throw BadRequest("缺少 X-Filename 请求头（URL 编码的文件名，如 %E5%8F%B0%E8%B4%A6.xlsx）");
  let filename: string;
  try {
    filename = decodeURIComponent(header);
  } catch {
    throw BadRequest("X-Filename 请求头不是有效的 URL 编码");
  }
  const extension = /\.([a-z]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (extension !== "xlsx" && extension !== "csv") {
    throw UnsupportedMediaType("只支持 .xlsx 或 .csv 格式的台账文件（旧版 .xls 请先另存为 .xlsx）");
  }
  return { filename, format: extension };
}
