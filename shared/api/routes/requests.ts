/**
 * The wire contract of /api/requests (依申请公开): the server's `routes/requests.ts` attaches handlers to
 * these, the clients call them.
 */
import { z } from "zod";
import { PageQuery } from "../../schemas/common.ts";
import { SimilarRequestDto } from "../../schemas/duplicates.ts";
import { MergeCandidateDto, MergedReplyInput } from "../../schemas/mergedReply.ts";
import { UrgeInput } from "../../schemas/notification.ts";
import { RequestRegisterInput, RequestSubmitInput } from "../../schemas/request.ts";
import {
  AssignBody,
  AssignmentReturnBody,
  ClockDto,
  CorrectionBody,
  NoteBody,
  RequestDetailDto,
  RequestEventBody,
  RequestEventResultDto,
  RequestIdParams,
  RequestPageDto,
  RequestQueueQuery,
  RevealedApplicantDto,
  WithdrawBody,
} from "../../schemas/requestDto.ts";
import { endpoint } from "../contract.ts";

/** The /api/requests endpoints. */
export const requestsApi = {
  submit: endpoint({
    method: "post",
    path: "/requests",
    body: RequestSubmitInput,
    response: RequestDetailDto,
  }),
  mine: endpoint({ method: "get", path: "/requests/mine", query: PageQuery, response: RequestPageDto }),
  queue: endpoint({ method: "get", path: "/requests", query: RequestQueueQuery, response: RequestPageDto }),
  register: endpoint({
    method: "post",
    path: "/requests/register",
    body: RequestRegisterInput,
    response: RequestDetailDto,
  }),
  detail: endpoint({
    method: "get",
    path: "/requests/:id",
    params: RequestIdParams,
    response: RequestDetailDto,
  }),
  clock: endpoint({
    method: "get",
    path: "/requests/:id/clock",
    params: RequestIdParams,
    response: ClockDto,
  }),
  fire: endpoint({
    method: "post",
    path: "/requests/:id/events",
    params: RequestIdParams,
    body: RequestEventBody,
    response: RequestEventResultDto,
  }),
  withdraw: endpoint({
    method: "post",
    path: "/requests/:id/withdraw",
    params: RequestIdParams,
    body: WithdrawBody,
    response: RequestEventResultDto,
  }),
  correction: endpoint({
    method: "post",
    path: "/requests/:id/correction",
    params: RequestIdParams,
    body: CorrectionBody,
    response: RequestEventResultDto,
  }),
  assign: endpoint({
    method: "post",
    path: "/requests/:id/assign",
    params: RequestIdParams,
    body: AssignBody,
    response: RequestDetailDto,
  }),
  acceptAssignment: endpoint({
    method: "post",
    path: "/requests/:id/assignment/accept",
    params: RequestIdParams,
    response: RequestDetailDto,
  }),
  returnAssignment: endpoint({
    method: "post",
    path: "/requests/:id/assignment/return",
    params: RequestIdParams,
    body: AssignmentReturnBody,
    response: RequestDetailDto,
  }),
  addNote: endpoint({
    method: "post",
    path: "/requests/:id/notes",
    params: RequestIdParams,
    body: NoteBody,
    response: RequestDetailDto,
  }),
  urge: endpoint({
    method: "post",
    path: "/requests/:id/urge",
    params: RequestIdParams,
    body: UrgeInput,
    response: z.strictObject({ notified: z.boolean(), messageQueued: z.boolean() }),
  }),
  similar: endpoint({
    method: "get",
    path: "/requests/:id/similar",
    params: RequestIdParams,
    response: z.array(SimilarRequestDto),
  }),
  mergeable: endpoint({
    method: "get",
    path: "/requests/:id/mergeable",
    params: RequestIdParams,
    response: z.array(MergeCandidateDto),
  }),
  mergedReply: endpoint({
    method: "post",
    path: "/requests/:id/merged-reply",
    params: RequestIdParams,
    body: MergedReplyInput,
    response: RequestEventResultDto,
  }),
  reveal: endpoint({
    method: "post",
    path: "/requests/:id/reveal",
    params: RequestIdParams,
    response: RevealedApplicantDto,
  }),
};
