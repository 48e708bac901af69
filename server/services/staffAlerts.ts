/**
 * Messages to staff (催办 and 超期预警) by SMS and WeChat, through the same outbox and dispatcher as the
 * applicant's: one message per reminder, addressed to the assigned staff member, never listed to an
 * applicant. The agency's quiet hours hold the text and WeChat channels until they end; the in-app
 * reminder (StaffNotification) is shown on the 工作台 at once.
 *
 * The outbox is unique on (request, event index); staff messages take negative indexes so they never
 * collide with the applicant's (which number the request's events): a day's reminder of one kind gets
 * one index (a re-run adds nothing), a 催办 gets one per moment.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { afterQuietHours } from "@govinfo/shared/calendar/reminders";
import type { MessageChannel } from "@govinfo/shared/schemas/message";
import type { Context } from "koa";
import type { Types } from "mongoose";
import mongoose from "mongoose";
import { isDuplicateKey } from "../db/duplicateKey.ts";
import { Conflict, Forbidden } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { type ChannelState, OutboxMessage } from "../models/OutboxMessage.ts";
import { StaffNotification } from "../models/StaffNotification.ts";
import { User, type UserDoc } from "../models/User.ts";
import { hasRole, type StaffActor } from "../policies/actor.ts";
import { audit } from "./audit.ts";
import { dateInChina } from "./calendar.ts";

/** Why a staff message exists. */
export type StaffAlertKind = "dueSoon" | "overdue" | "urge";

const kindNumber: Record<StaffAlertKind, number> = { dueSoon: 1, overdue: 2, urge: 3 };

/** The outbox index of a day's reminder: negative, one per (day, kind). */
export function reminderIndex(date: string, kind: StaffAlertKind): number {
  const day = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  return -(day * 4 + kindNumber[kind]);
}

/**
 * Enqueues the SMS/WeChat message of a reminder to the application's assignee (none: nothing to send).
 * @returns whether a message was added (false when the same one exists or nobody is assigned).
 */
export async function enqueueStaffMessage(args: {
  request: Pick<DisclosureRequestDoc, "_id" | "agencyId" | "serialNo" | "assigneeId">;
  kind: StaffAlertKind;
  eventIndex: number;
  title: string;
  body: string;
  date: string;
  now: Date;
  session?: mongoose.ClientSession;
}): Promise<boolean> {
  const { request, session } = args;
  if (!request.assigneeId) return false;
  const [user, agency] = await Promise.all([
    User.findById(request.assigneeId, { phoneSealed: 1, wechatOpenid: 1, disabled: 1 })
      .session(session ?? null)
      .lean<Pick<UserDoc, "phoneSealed" | "wechatOpenid" | "disabled">>(),
    Agency.findById(request.agencyId, { staffNotify: 1 })
      .session(session ?? null)
      .lean<Pick<AgencyDoc, "staffNotify">>(),
  ]);
  if (!user || user.disabled) return false;
  const notify = agency?.staffNotify;
  const sendAt = afterQuietHours(args.now, {
    start: notify?.quietStart ?? "",
    end: notify?.quietEnd ?? "",
  });
  const pending: Partial<ChannelState> = { status: "pending", attempts: 0, nextAttemptAt: sendAt };
  const skipped = (reason: string): Partial<ChannelState> => ({ status: "skipped", skippedReason: reason });
  const templateId = notify?.wechatTemplateId || null;
  const channels: Record<MessageChannel, Partial<ChannelState>> = {
    inApp: skipped("站内提醒见工作台"),
    sms: user.phoneSealed ? pending : skipped("工作人员未登记手机号码"),
    wechat: !user.wechatOpenid
      ? skipped("工作人员未绑定微信")
      : !templateId
        ? skipped("本机关未设置工作人员提醒的微信模板")
        : pending,
  };
  const isPending = channels.sms.status === "pending" || channels.wechat.status === "pending";
  try {
    await OutboxMessage.create(
      [
        {
          requestId: request._id,
          agencyId: request.agencyId,
          recipient: "staff",
          staffUserId: request.assigneeId,
          applicantAccountId: null,
          serialNo: request.serialNo,
          eventIndex: args.eventIndex,
          eventType: args.kind,
          step: "staffReminder",
          title: args.title,
          body: args.body,
          smsText: `【政府信息公开】${args.body}`,
          phoneSealed: user.phoneSealed ?? "",
          openid: user.wechatOpenid || null,
          templateId,
          date: args.date,
          channels,
          status: isPending ? "pending" : "done",
          nextAttemptAt: isPending ? sendAt : null,
        },
      ],
      session ? { session } : {},
    );
    return true;
  } catch (error) {
    // The same day's reminder was enqueued by an earlier run.
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * 催办: a reviewer, administrator or supervisor urges the assignee of an open application — an in-app
 * reminder at once, and a text/WeChat message outside the agency's quiet hours. Once a day per application.
 * @param text what the assignee is asked to do.
 */
export async function urgeAssignee(
  actor: StaffActor,
  request: DisclosureRequestDoc,
  text: string,
  ctx: Context,
  now: Date = new Date(),
): Promise<{ notified: boolean; messageQueued: boolean }> {
  const agencyId = String(request.agencyId);
  if (!hasRole(actor, agencyId, rolesFor("urgeAssignee"))) {
    throw Forbidden("只有审核人员、机关管理员或上级监督人员可以催办");
  }
  if (["decided", "delivered", "withdrawn", "closedWithoutProcessing"].includes(request.state)) {
    throw Conflict("request.closed", "该申请已办结，无需催办");
  }
  if (!request.assigneeId) throw Conflict("request.unassigned", "该申请尚未分配承办人，请先分配后再催办");
  const date = dateInChina(now);
  const due = request.dueDate ? `，答复期限为${request.dueDate}` : "";
  const body = `${request.serialNo}：${actor.user.displayName}催办——${text}${due}`;
  let queued = false;
  await mongoose.connection.transaction(async (session) => {
    const existing = await StaffNotification.exists({ requestId: request._id, kind: "urge", date }).session(
      session,
    );
    if (existing) throw Conflict("request.urged_today", "今天已催办过该申请，请勿重复催办");
    await StaffNotification.create(
      [
        {
          agencyId: request.agencyId,
          userId: request.assigneeId,
          requestId: request._id,
          serialNo: request.serialNo,
          kind: "urge",
          date,
          dueDate: request.dueDate ?? "—",
          text: body,
          readBy: [],
        },
      ],
      { session },
    );
    queued = await enqueueStaffMessage({
      request,
      kind: "urge",
      eventIndex: -now.getTime(),
      title: "催办",
      body,
      date,
      now,
      session,
    });
    await audit(
      ctx,
      {
        action: "request.urge",
        targetType: "request",
        targetId: request._id,
        agencyId: request.agencyId,
        details: { serialNo: request.serialNo, assigneeId: String(request.assigneeId as Types.ObjectId) },
      },
      session,
    );
  });
  return { notified: true, messageQueued: queued };
}
