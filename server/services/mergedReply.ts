/**
 * 合并答复: one 答复告知书 answers several applications of the same applicant to this agency. Every
 * application gets its own `decide` event (its own outcome, counted in table 三 under it), naming the
 * others (`mergedWith`) and carrying the letter's one 文号; all are recorded in one transaction, so
 * either every application is answered or none is. The letter, built from the events, lists each
 * application's 编号 and its answer (`documents/replyLetter.ts`).
 */
import type { MergedReplyInput } from "@govinfo/shared/schemas/mergedReply";
import type { RequestEventResultDto } from "@govinfo/shared/schemas/requestDto";
import type { Context } from "koa";
import { ValidationFailed } from "../errors.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import type { StaffActor } from "../policies/actor.ts";
import { presentRequestDetail } from "../presenters/request.ts";
import { eventActorOf, loadVisibleRequest } from "./requestDesk.ts";
import { fireEventsTogether } from "./requestTransitioner.ts";

/**
 * Records the decisions of a 合并答复 begun on one application's page.
 * @param actor the staff member (needs the reply role at the agency, checked per application).
 * @param leadId the application whose page the reply is issued from; it must be one of the replies.
 * @param input the date, the 文号 and each application's decision.
 * @param ctx the request (audit trail).
 */
export async function issueMergedReply(
  actor: StaffActor,
  leadId: string,
  input: MergedReplyInput,
  ctx: Context,
): Promise<RequestEventResultDto> {
  if (!input.replies.some((reply) => reply.requestId === leadId)) {
    const message = "合并答复应当包括本申请";
    throw ValidationFailed([{ path: "replies", message }], message);
  }
  // The page's application first: its letter is the one issued.
  const replies = [
    ...input.replies.filter((reply) => reply.requestId === leadId),
    ...input.replies.filter((reply) => reply.requestId !== leadId),
  ];
  const requests: DisclosureRequestDoc[] = [];
  for (const reply of replies) requests.push(await loadVisibleRequest(actor, reply.requestId));
  const items = replies.map((reply, i) => {
    const request = requests[i];
    if (!request) throw ValidationFailed([{ path: "replies", message: "请选择合并答复的申请" }]);
    const { mergedWith: _others, documentNumber: _own, ...decision } = reply.decision;
    return {
      requestId: request._id,
      serialNo: request.serialNo,
      actor: eventActorOf(actor, request),
      expectedVersion: reply.expectedVersion,
      input: {
        type: "decide",
        date: input.date,
        ...decision,
        ...(input.documentNumber ? { documentNumber: input.documentNumber } : {}),
        mergedWith: replies.filter((other) => other !== reply).map((other) => other.requestId),
      },
    };
  });
  const [lead] = await fireEventsTogether(items, ctx);
  if (!lead) throw ValidationFailed([{ path: "replies", message: "请选择合并答复的申请" }]);
  return { request: await presentRequestDetail(lead, actor), warnings: [] };
}
