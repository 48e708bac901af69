/**
 * The applicant's in-app messages (站内消息) about their applications: the list, newest first, and
 * marking one as read. Messages of other applicants answer 404.
 */
import { messagesApi } from "@govinfo/shared/api/routes/messages";
import type { ApplicantMessageDto, ApplicantMessagePage } from "@govinfo/shared/schemas/message";
import { presentMessage } from "../presenters/message.ts";
import { listMessages, markMessageRead } from "../services/applicantMessages.ts";
import { access, applicantOf, buildRouter, route } from "./define.ts";

/** The /api/messages router. */
export function createMessagesRouter() {
  return buildRouter("", [
    route({
      ...messagesApi.list,
      summary: "我的消息（申请办理进度通知，最新的在前）",
      access: access.applicant,
      handler: async (ctx, { query }): Promise<ApplicantMessagePage> => {
        const page = await listMessages(applicantOf(ctx), query);
        return {
          items: page.docs.map(presentMessage),
          nextCursor: page.nextCursor,
          unreadCount: page.unreadCount,
        };
      },
    }),
    route({
      ...messagesApi.read,
      summary: "将消息标记为已读",
      access: access.applicant,
      handler: async (ctx, { params }): Promise<ApplicantMessageDto> =>
        presentMessage(await markMessageRead(applicantOf(ctx), params.id)),
    }),
  ]);
}
