/**
 * The applicant's in-app messages (站内消息) about their applications: the list, newest first, and
 * marking one as read. Messages of other applicants answer 404.
 */
import {
  type ApplicantMessageDto,
  type ApplicantMessagePage,
  MessageListQuery,
  MessageParams,
} from "@govinfo/shared/schemas/message";
import { presentMessage } from "../presenters/message.ts";
import { listMessages, markMessageRead } from "../services/applicantMessages.ts";
import { access, applicantOf, buildRouter, route } from "./define.ts";

/** The /api/messages router. */
export function createMessagesRouter() {
  return buildRouter("/messages", [
    route({
      method: "get",
      path: "/",
      summary: "我的消息（申请办理进度通知，最新的在前）",
      access: access.applicant,
      query: MessageListQuery,
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
      method: "post",
      path: "/:id/read",
      summary: "将消息标记为已读",
      access: access.applicant,
      params: MessageParams,
      handler: async (ctx, { params }): Promise<ApplicantMessageDto> =>
        presentMessage(await markMessageRead(applicantOf(ctx), params.id)),
    }),
  ]);
}
