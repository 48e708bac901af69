/**
 * The wire contract of /api/messages: the server's `routes/messages.ts` attaches handlers to these, the
 * clients call them.
 */

import {
  ApplicantMessageDto,
  type ApplicantMessagePage,
  MessageListQuery,
  MessageParams,
} from "../../schemas/message.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/messages endpoints. */
export const messagesApi = {
  list: endpoint({
    method: "get",
    path: "/messages",
    query: MessageListQuery,
    response: typedAs<ApplicantMessagePage>(),
  }),
  read: endpoint({
    method: "post",
    path: "/messages/:id/read",
    params: MessageParams,
    response: ApplicantMessageDto,
  }),
};
