/**
 * Citizen feedback (under /api/feedback): a 先查再申 choice counted by the mini-program, each agency's
 * ratings and 回访 tasks on its dashboard, the supervisor summary, and the administrator's 回访 result.
 */
import { feedbackApi } from "@govinfo/shared/api/routes/feedback";
import { recordDeflection } from "../services/deflections.ts";
import { feedbackOf, readableAgencies, recordFollowUp } from "../services/satisfaction.ts";
import { access, applicantOf, buildRouter, route, staffOf } from "./define.ts";

/** The /api/feedback router. */
export function createFeedbackRouter() {
  return buildRouter("", [
    route({
      ...feedbackApi.deflect,
      summary: "先查再申：申请人选择已公开的信息、不再提出申请（计入节省的申请）",
      access: access.applicant,
      handler: (ctx, { body }) => recordDeflection(applicantOf(ctx), body),
    }),
    route({
      ...feedbackApi.dashboard,
      summary: "本机关满意度评价、回访任务与先查再申节省的申请",
      access: access.staff(),
      handler: async (ctx, { query }) => {
        const [one] = await feedbackOf(readableAgencies(staffOf(ctx), query.agencyId), true);
        return one ?? null;
      },
    }),
    route({
      ...feedbackApi.summary,
      summary: "监督概览：各机关满意度、回访与先查再申节省的申请",
      access: access.staff(),
      handler: async (ctx) => feedbackOf(readableAgencies(staffOf(ctx), undefined), false),
    }),
    route({
      ...feedbackApi.followUp,
      summary: "登记回访结果（机关管理员）",
      access: access.staff("recordFollowUp"),
      handler: (ctx, { params, body }) => recordFollowUp(ctx, staffOf(ctx), params.id, body.result),
    }),
  ]);
}
