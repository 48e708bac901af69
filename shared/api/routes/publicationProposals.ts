/**
 * The wire contract of /api/publication-proposals: the server's `routes/publicationProposals.ts` attaches handlers to these, the
 * clients call them.
 */
import {
  FeedbackParams,
  ProposalBoardDto,
  ProposalBoardQuery,
  ProposalCreateInput,
  ProposalDto,
  ProposalPublishInput,
} from "../../schemas/feedback.ts";
import { endpoint } from "../contract.ts";

/** The /api/publication-proposals endpoints. */
export const publicationProposalsApi = {
  board: endpoint({
    method: "get",
    path: "/publication-proposals",
    query: ProposalBoardQuery,
    response: ProposalBoardDto,
  }),
  create: endpoint({
    method: "post",
    path: "/publication-proposals",
    body: ProposalCreateInput,
    response: ProposalDto,
  }),
  publish: endpoint({
    method: "post",
    path: "/publication-proposals/:id/publish",
    body: ProposalPublishInput,
    params: FeedbackParams,
    response: ProposalDto,
  }),
};
