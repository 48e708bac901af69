/**
 * The wire contract of /api/supervisions: the server's `routes/supervisions.ts` attaches handlers to these, the
 * clients call them.
 */
import {
  SupervisionCreateInput,
  SupervisionDto,
  type SupervisionListDto,
  SupervisionListQuery,
  SupervisionParams,
  SupervisionReplyInput,
} from "../../schemas/supervision.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/supervisions endpoints. */
export const supervisionsApi = {
  list: endpoint({
    method: "get",
    path: "/supervisions",
    query: SupervisionListQuery,
    response: typedAs<SupervisionListDto>(),
  }),
  issue: endpoint({
    method: "post",
    path: "/supervisions",
    body: SupervisionCreateInput,
    response: SupervisionDto,
  }),
  reply: endpoint({
    method: "post",
    path: "/supervisions/:id/reply",
    body: SupervisionReplyInput,
    params: SupervisionParams,
    response: SupervisionDto,
  }),
};
