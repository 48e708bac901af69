/**
 * The wire contract of /api/feedback: the server's `routes/feedback.ts` attaches handlers to these, the
 * clients call them.
 */
import { z } from "zod";
import {
  AgencyFeedbackDto,
  DeflectionInput,
  FeedbackParams,
  FeedbackQuery,
  FollowUpDto,
  FollowUpInput,
} from "../../schemas/feedback.ts";
import { endpoint } from "../contract.ts";

/** The /api/feedback endpoints. */
export const feedbackApi = {
  deflect: endpoint({ method: "post", path: "/feedback/deflections", body: DeflectionInput }),
  dashboard: endpoint({
    method: "get",
    path: "/feedback/dashboard",
    query: FeedbackQuery,
    response: AgencyFeedbackDto.nullable(),
  }),
  summary: endpoint({ method: "get", path: "/feedback/summary", response: z.array(AgencyFeedbackDto) }),
  followUp: endpoint({
    method: "post",
    path: "/feedback/follow-ups/:id",
    body: FollowUpInput,
    params: FeedbackParams,
    response: FollowUpDto,
  }),
};
