/**
 * The 依申请公开 requests API. Citizens submit, list their own applications, read one (timeline and
 * clock), answer a 补正 notice and withdraw. Staff work a queue of their agencies' applications,
 * register paper applications, fire lifecycle events, assign, write notes and — audited every
 * time — reveal the applicant's personal data. Every lifecycle change goes through the transitioner.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import type { RequestEventResultDto } from "@govinfo/shared/schemas/requestDto";
import type { Context } from "koa";
import type { AppServices } from "../app.ts";
import { Forbidden } from "../errors.ts";
import { rateLimit } from "../middlewares/rateLimit.ts";
import type { StoredEvent } from "../models/DisclosureRequest.ts";
import type { StaffActor } from "../policies/actor.ts";
import { hasRole } from "../policies/actor.ts";
import {
  consultedParties,
  presentClock,
  presentRequestDetail,
  presentRequestList,
} from "../presenters/request.ts";
import { dateInChina } from "../services/calendar.ts";
import { earlierApplications, mergeCandidates } from "../services/duplicateFinder.ts";
import { issueMergedReply } from "../services/mergedReply.ts";
import { clockOf } from "../services/requestClock.ts";
import { registerByStaff, submitOnline } from "../services/requestCreator.ts";
import {
  addNote,
  answerAssignment,
  assignRequest,
  eventActorOf,
  loadVisibleRequest,
  revealApplicant,
} from "../services/requestDesk.ts";
import { listMine, listQueue } from "../services/requestQueue.ts";
import { fireEvent } from "../services/requestTransitioner.ts";
import { urgeAssignee } from "../services/staffAlerts.ts";
import { access, applicantOf, buildRouter, route, staffOf } from "./define.ts";

/** The /api/requests router. */
export function createRequestsRouter(services: AppServices) {
  return buildRouter("", [
    route({
      ...requestsApi.submit,
      summary: "在线提交政府信息公开申请",
      access: access.applicant,
      before: [
        rateLimit({
          name: "request-submit",
          max: 20,
          windowMs: 60 * 60_000,
          key: (ctx) => String(ctx.state.actor.kind === "applicant" ? ctx.state.actor.id : ctx.ip),
        }),
      ],
      handler: async (ctx, { body }) => {
        const actor = applicantOf(ctx);
        const created = await submitOnline(
          body,
          { kind: "applicant", id: actor.id, name: body.applicant.name, roles: ["applicant"] },
          services.cipher,
          ctx,
        );
        ctx.status = 201;
        return presentRequestDetail(created, actor);
      },
    }),
    route({
      ...requestsApi.mine,
      summary: "我的申请",
      access: access.applicant,
      handler: async (ctx, { query }) => {
        const page = await listMine(applicantOf(ctx), query);
        return { items: await presentRequestList(page.docs), nextCursor: page.nextCursor };
      },
    }),
    route({
      ...requestsApi.queue,
      summary: "申请办理队列（按状态、机关、承办人、签收状态、到期、超期、关键词、年度筛选）",
      access: access.staff(),
      handler: async (ctx, { query }) => {
        const page = await listQueue(staffOf(ctx), query);
        return { items: await presentRequestList(page.docs, undefined, true), nextCursor: page.nextCursor };
      },
    }),
    route({
      ...requestsApi.register,
      summary: "登记当面、邮寄、传真、电子邮件等渠道收到的申请",
      access: access.staff("registerRequests"),
      handler: async (ctx, { body }) => {
        const actor = staffOf(ctx);
        if (!hasRole(actor, body.agencyId, rolesFor("registerRequests")))
          throw Forbidden("您不是该机关的登记人员");
        const created = await registerByStaff(
          body,
          {
            kind: "staff",
            id: actor.id,
            name: actor.user.displayName,
            roles: [...rolesFor("registerRequests")],
          },
          services.cipher,
          ctx,
        );
        ctx.status = 201;
        return presentRequestDetail(created, actor);
      },
    }),
    route({
      ...requestsApi.detail,
      summary: "申请详情（办理过程、答复期限、可执行的操作）",
      access: access.staffOrApplicant,
      handler: async (ctx, { params }) =>
        presentRequestDetail(await loadVisibleRequest(ctx.state.actor, params.id), ctx.state.actor),
    }),
    route({
      ...requestsApi.clock,
      summary: "答复期限及逐日计算说明",
      access: access.staffOrApplicant,
      handler: async (ctx, { params }) => {
        const request = await loadVisibleRequest(ctx.state.actor, params.id);
        const events = request.events as StoredEvent[];
        const hidden = ctx.state.actor.kind === "staff" ? [] : consultedParties(events);
        return presentClock(await clockOf(request), hidden);
      },
    }),
    route({
      ...requestsApi.fire,
      summary: "办理申请：触发一个办理环节（确认收到、补正、征求意见、延期、收费、答复、送达等）",
      access: access.staff(),
      handler: async (ctx, { params, body }): Promise<RequestEventResultDto> => {
        const actor = staffOf(ctx);
        const request = await loadVisibleRequest(actor, params.id);
        const result = await fireEvent({
          requestId: request._id,
          input: body.event,
          actor: eventActorOf(actor, request),
          expectedVersion: body.expectedVersion,
          ctx,
        });
        return { request: await presentRequestDetail(result.request, actor), warnings: result.warnings };
      },
    }),
    route({
      ...requestsApi.withdraw,
      summary: "申请人撤回申请",
      access: access.applicant,
      handler: async (ctx, { params, body }) =>
        applicantEvent(ctx, params.id, body.expectedVersion, {
          type: "withdraw",
          ...(body.reason ? { reason: body.reason } : {}),
        }),
    }),
    route({
      ...requestsApi.correction,
      summary: "申请人提交补正（更正申请内容）",
      access: access.applicant,
      handler: async (ctx, { params, body }) =>
        applicantEvent(ctx, params.id, body.expectedVersion, {
          type: "receiveCorrection",
          description: body.description,
          ...(body.documentNumber !== undefined ? { documentNumber: body.documentNumber } : {}),
        }),
    }),
    route({
      ...requestsApi.assign,
      summary: "分配承办人（assigneeId 为 null 时取消分配）",
      access: access.staff("assignRequests"),
      handler: async (ctx, { params, body }) => {
        return staffActionOn(ctx, params.id, (actor, request) =>
          assignRequest(actor, request, body.assigneeId, ctx),
        );
      },
    }),
    route({
      ...requestsApi.acceptAssignment,
      summary: "承办人签收分配给本人的申请",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        return staffActionOn(ctx, params.id, (actor, request) =>
          answerAssignment(actor, request, { accept: true }, ctx),
        );
      },
    }),
    route({
      ...requestsApi.returnAssignment,
      summary: "承办人退回分配给本人的申请（须说明理由，由登记人员重新分配）",
      access: access.staff(),
      handler: async (ctx, { params, body }) => {
        return staffActionOn(ctx, params.id, (actor, request) =>
          answerAssignment(actor, request, { accept: false, reason: body.reason }, ctx),
        );
      },
    }),
    route({
      ...requestsApi.addNote,
      summary: "添加内部备注（申请人不可见）",
      access: access.staff(),
      handler: async (ctx, { params, body }) => {
        return staffActionOn(ctx, params.id, (actor, request) => addNote(actor, request, body.text, ctx));
      },
    }),
    route({
      ...requestsApi.urge,
      summary: "催办：提醒承办人（站内提醒，并在本机关免打扰时段外发送短信、微信）",
      access: access.staff("urgeAssignee"),
      handler: async (ctx, { params, body }) => {
        const actor = staffOf(ctx);
        return urgeAssignee(actor, await loadVisibleRequest(actor, params.id), body.text, ctx);
      },
    }),
    route({
      ...requestsApi.similar,
      summary: "同一申请人此前向本机关提出的申请及相似度（判断重复申请）",
      access: access.staff(),
      handler: async (ctx, { params }) =>
        earlierApplications(await loadVisibleRequest(staffOf(ctx), params.id)),
    }),
    route({
      ...requestsApi.mergeable,
      summary: "同一申请人向本机关提出、尚未答复的其他申请（可合并答复）",
      access: access.staff(),
      handler: async (ctx, { params }) => mergeCandidates(await loadVisibleRequest(staffOf(ctx), params.id)),
    }),
    route({
      ...requestsApi.mergedReply,
      summary: "合并答复：以一份答复告知书答复同一申请人的多件申请（各申请分别记录办理结果）",
      access: access.staff(),
      handler: (ctx, { params, body }) => issueMergedReply(staffOf(ctx), params.id, body, ctx),
    }),
    route({
      ...requestsApi.reveal,
      summary: "查看申请人完整证件号码、电话、地址（每次查看均记录审计日志）",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        const actor = staffOf(ctx);
        ctx.set("Cache-Control", "no-store");
        return revealApplicant(actor, await loadVisibleRequest(actor, params.id), services.cipher, ctx);
      },
    }),
  ]);
}

/** Fires an event for the owning applicant, dated today (the applicant acts now, online). */
/** Runs a staff action on an application the actor may see, then answers with the application as it now is. */
async function staffActionOn(
  ctx: Context,
  id: string,
  act: (actor: StaffActor, request: Awaited<ReturnType<typeof loadVisibleRequest>>) => Promise<unknown>,
) {
  const actor = staffOf(ctx);
  await act(actor, await loadVisibleRequest(actor, id));
  return presentRequestDetail(await loadVisibleRequest(actor, id), actor);
}

async function applicantEvent(
  ctx: Context,
  id: string,
  expectedVersion: number | undefined,
  event: Record<string, unknown>,
): Promise<RequestEventResultDto> {
  const actor = applicantOf(ctx);
  const request = await loadVisibleRequest(actor, id);
  const result = await fireEvent({
    requestId: request._id,
    input: { ...event, date: dateInChina() },
    actor: eventActorOf(actor, request),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
    ctx,
  });
  return { request: await presentRequestDetail(result.request, actor), warnings: result.warnings };
}
