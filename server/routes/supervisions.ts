/**
 * 督办单: supervisors issue them to the agencies they supervise; the agencies see them on their 工作台
 * and on the application, and reply with the 办理情况.
 */
import { supervisionsApi } from "@govinfo/shared/api/routes/supervisions";
import { issueSupervision, listSupervisions, replySupervision } from "../services/supervisionDesk.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/supervisions router. */
export function createSupervisionsRouter() {
  return buildRouter("", [
    route({
      ...supervisionsApi.list,
      summary: "督办单列表（本机关收到的或本人所监督机关的），含待反馈、逾期、已反馈件数",
      access: access.staff(),
      handler: (ctx, { query }) => listSupervisions(staffOf(ctx), query),
    }),
    route({
      ...supervisionsApi.issue,
      summary: "对所监督的机关或其某件申请发出督办单（督办事由、办理期限）",
      access: access.staff("superviseAgencies"),
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        return issueSupervision(staffOf(ctx), body, ctx);
      },
    }),
    route({
      ...supervisionsApi.reply,
      summary: "被督办机关反馈办理情况",
      access: access.staff("answerSupervision"),
      handler: (ctx, { params, body }) => replySupervision(staffOf(ctx), params.id, body.reply, ctx),
    }),
  ]);
}
