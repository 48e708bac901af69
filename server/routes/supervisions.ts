/**
 * 督办单: supervisors issue them to the agencies they supervise; the agencies see them on their 工作台
 * and on the application, and reply with the 办理情况.
 */
import {
  SupervisionCreateInput,
  SupervisionListQuery,
  SupervisionParams,
  SupervisionReplyInput,
} from "@govinfo/shared/schemas/supervision";
import { issueSupervision, listSupervisions, replySupervision } from "../services/supervisionDesk.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/supervisions router. */
export function createSupervisionsRouter() {
  return buildRouter("/supervisions", [
    route({
      method: "get",
      path: "/",
      summary: "督办单列表（本机关收到的或本人所监督机关的），含待反馈、逾期、已反馈件数",
      access: access.staff(),
      query: SupervisionListQuery,
      handler: (ctx, { query }) => listSupervisions(staffOf(ctx), query),
    }),
    route({
      method: "post",
      path: "/",
      summary: "对所监督的机关或其某件申请发出督办单（督办事由、办理期限）",
      access: access.staff("superviseAgencies"),
      body: SupervisionCreateInput,
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        return issueSupervision(staffOf(ctx), body, ctx);
      },
    }),
    route({
      method: "post",
      path: "/:id/reply",
      summary: "被督办机关反馈办理情况",
      access: access.staff("answerSupervision"),
      params: SupervisionParams,
      body: SupervisionReplyInput,
      handler: (ctx, { params, body }) => replySupervision(staffOf(ctx), params.id, body.reply, ctx),
    }),
  ]);
}
