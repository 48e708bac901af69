/**
 * 查询码 lookups (under /api/lookup): anyone with the code and the applicant's name or the phone's last
 * four digits follows an application and downloads the letters issued to the applicant; a logged-in
 * applicant links it to their account. Rate-limited per address (10 a minute) and per code (30 an hour,
 * so a guesser spreading over many addresses still cannot try many names against one code).
 */
import { lookupApi } from "@govinfo/shared/api/routes/lookup";
import { normalizeQueryCode } from "@govinfo/shared/schemas/lookup";
import type { Context } from "koa";
import type { AppServices } from "../app.ts";
import { rateLimit } from "../middlewares/rateLimit.ts";
import { presentRequestDetail } from "../presenters/request.ts";
import { openFile } from "../services/documents/files.ts";
import { findByLookup, linkByLookup, lookupMiss, presentLookup } from "../services/lookup.ts";
import { access, applicantOf, buildRouter, route } from "./define.ts";
import { sendStoredDocument } from "./documents.ts";

/** Limits shared by every lookup route (one budget per address, one per code). */
const lookupLimits = [
  rateLimit({ name: "lookup-address", max: 10, windowMs: 60_000 }),
  rateLimit({ name: "lookup-code", max: 30, windowMs: 60 * 60_000, key: codeOf }),
];

function codeOf(ctx: Context): string {
  const body = ctx.request.body as { code?: unknown } | undefined;
  return typeof body?.code === "string" ? normalizeQueryCode(body.code).slice(0, 40) : "";
}

/** The /api/lookup router. */
export function createLookupRouter(services: AppServices) {
  return buildRouter("", [
    route({
      ...lookupApi.lookup,
      summary: "凭查询码和申请人姓名（或手机号码后4位）查询申请办理进度（无需登录）",
      access: access.public,
      before: lookupLimits,
      handler: async (ctx, { body }) => {
        ctx.set("Cache-Control", "no-store");
        return presentLookup(await findByLookup(body, services.cipher));
      },
    }),
    route({
      ...lookupApi.letter,
      summary: "凭查询码下载出具给申请人的文书（无需登录）",
      access: access.public,
      before: lookupLimits,
      handler: async (ctx, { params, body }) => {
        const request = await findByLookup(body, services.cipher);
        const entry = request.documents.find((doc) => String(doc._id) === params.docId && doc.forApplicant);
        if (!entry) throw lookupMiss();
        const { info, stream } = await openFile(entry.fileId);
        return sendStoredDocument(ctx, entry, info, stream);
      },
    }),
    route({
      ...lookupApi.link,
      summary: "将查询到的申请关联到本人账户（须与申请登记的联系电话一致）",
      access: access.applicant,
      before: lookupLimits,
      handler: async (ctx, { body }) => {
        const actor = applicantOf(ctx);
        const linked = await linkByLookup(actor, body, services.cipher, ctx);
        return presentRequestDetail(linked, actor);
      },
    }),
  ]);
}
