/**
 * `/api/review-cases`: 行政复议 and 行政诉讼 cases of an agency (table 四 of the annual report).
 * Handlers, reviewers and admins of the agency register, correct and close them; supervisors read.
 * Every change is audited (in services/reviewCases.ts).
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { reviewCasesApi } from "@govinfo/shared/api/routes/reviewCases";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { Context } from "koa";
import { Forbidden } from "../errors.ts";
import type { ReviewCaseDoc } from "../models/ReviewCase.ts";
import { agenciesWith, hasRole } from "../policies/actor.ts";
import { presentReviewCase } from "../presenters/reviewCase.ts";
import {
  closeReviewCase,
  createReviewCase,
  listReviewCases,
  loadReviewCase,
  updateReviewCase,
} from "../services/reviewCases.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** Roles that may read an agency's cases. */
export const reviewCaseReadRoles: readonly StaffRole[] = rolesFor("readReviewCases");
/** Roles that may register, correct and close an agency's cases. */
export const reviewCaseWriteRoles: readonly StaffRole[] = rolesFor("writeReviewCases");

/** The /api/review-cases router. */
export function createReviewCasesRouter() {
  return buildRouter("", [
    route({
      ...reviewCasesApi.list,
      summary: "复议诉讼案件列表",
      access: access.staff("readReviewCases"),
      handler: async (ctx, { query }) => {
        const actor = staffOf(ctx);
        const visible = agenciesWith(actor, reviewCaseReadRoles);
        if (query.agencyId && !visible.includes(query.agencyId)) throw Forbidden("您无权查看该机关的案件");
        const docs = await listReviewCases(query.agencyId ? [query.agencyId] : visible, query);
        return { items: docs.map(presentReviewCase) };
      },
    }),
    route({
      ...reviewCasesApi.one,
      summary: "复议诉讼案件详情",
      access: access.staff("readReviewCases"),
      handler: async (ctx, { params }) =>
        presentReviewCase(await loadCase(ctx, params.id, reviewCaseReadRoles)),
    }),
    route({
      ...reviewCasesApi.create,
      summary: "登记复议诉讼案件",
      access: access.staff("writeReviewCases"),
      handler: async (ctx, { body }) => {
        const actor = staffOf(ctx);
        if (!hasRole(actor, body.agencyId, reviewCaseWriteRoles)) throw Forbidden("您无权为该机关登记案件");
        const doc = await createReviewCase(body, ctx);
        ctx.status = 201;
        return presentReviewCase(doc);
      },
    }),
    route({
      ...reviewCasesApi.update,
      summary: "修改复议诉讼案件",
      access: access.staff("writeReviewCases"),
      handler: async (ctx, { params, body }) => {
        const before = await loadCase(ctx, params.id, reviewCaseWriteRoles);
        return presentReviewCase(await updateReviewCase(before, body, ctx));
      },
    }),
    route({
      ...reviewCasesApi.close,
      summary: "复议诉讼案件结案",
      access: access.staff("writeReviewCases"),
      handler: async (ctx, { params, body }) => {
        const before = await loadCase(ctx, params.id, reviewCaseWriteRoles);
        return presentReviewCase(await closeReviewCase(before, body, ctx));
      },
    }),
  ]);
}

/** A case the caller may see at its agency and act on with one of `roles` (404 elsewhere, 403 to read-only staff). */
function loadCase(ctx: Context, id: string, roles: readonly StaffRole[]): Promise<ReviewCaseDoc> {
  return loadReviewCase(staffOf(ctx), id, reviewCaseReadRoles, roles);
}
