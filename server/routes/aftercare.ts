/**
 * After an application is closed (under /api/aftercare/:id), for its applicant: the satisfaction rating
 * (once) and the remedy guide with the pre-filled 行政复议申请书 (print view and DOCX).
 */
import { aftercareApi } from "@govinfo/shared/api/routes/aftercare";
import { isClosed, type State } from "@govinfo/shared/lifecycle/machine";
import type { Context } from "koa";
import type { AppServices } from "../app.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { presentRating } from "../presenters/feedback.ts";
import { DOCX_CONTENT_TYPE } from "../services/documents/letterIssuer.ts";
import { publishedItemOfRequest } from "../services/publicationProposals.ts";
import { remedyGuide, renderReviewApplication, reviewApplication } from "../services/remedyGuide.ts";
import { loadVisibleRequest } from "../services/requestDesk.ts";
import { rateRequest, ratingOf } from "../services/satisfaction.ts";
import { access, applicantOf, buildRouter, route } from "./define.ts";
import { contentDisposition } from "./documents.ts";

/** The caller's own application (404 for anyone else's, so its existence does not leak). */
function ownRequest(ctx: Context, id: string): Promise<DisclosureRequestDoc> {
  return loadVisibleRequest(ctx.state.actor, id);
}

/** The /api/aftercare router. */
export function createAftercareRouter(services: AppServices) {
  return buildRouter("", [
    route({
      ...aftercareApi.aftercare,
      summary: "满意度评价情况、救济途径（行政复议、行政诉讼及期限）及纳入主动公开的信息",
      access: access.applicant,
      handler: async (ctx, { params, query }) => {
        const request = await ownRequest(ctx, params.id);
        const rating = await ratingOf(request._id);
        const closed = isClosed(request.state as State);
        return {
          closed,
          canRate: closed && rating === null,
          rating: presentRating(rating),
          remedy: await remedyGuide(request, query.reviewDecisionDate),
          publishedItem: await publishedItemOfRequest(request._id),
        };
      },
    }),
    route({
      ...aftercareApi.rate,
      summary: "对已办结的申请进行满意度评价（每件申请一次）",
      access: access.applicant,
      handler: async (ctx, { params, body }) => {
        const request = await ownRequest(ctx, params.id);
        const rating = await rateRequest(ctx, applicantOf(ctx), request, body);
        ctx.status = 201;
        return presentRating(rating);
      },
    }),
    route({
      ...aftercareApi.reviewApplication,
      summary: "行政复议申请书（预填，打印视图）",
      access: access.applicant,
      handler: async (ctx, { params }) =>
        reviewApplication(await ownRequest(ctx, params.id), services.cipher),
    }),
    route({
      ...aftercareApi.reviewApplicationDocx,
      summary: "下载预填的行政复议申请书（DOCX）",
      access: access.applicant,
      handler: async (ctx, { params }) => {
        const request = await ownRequest(ctx, params.id);
        const bytes = await renderReviewApplication(await reviewApplication(request, services.cipher));
        ctx.set({
          "Content-Type": DOCX_CONTENT_TYPE,
          "Content-Disposition": contentDisposition(`行政复议申请书-${request.serialNo}.docx`),
          "Cache-Control": "private, no-store",
        });
        ctx.body = bytes;
        return undefined;
      },
    }),
  ]);
}
