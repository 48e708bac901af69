/**
 * The wire contract of /api/review-cases: the server's `routes/reviewCases.ts` attaches handlers to these, the
 * clients call them.
 */

import type { ReviewCaseDTO } from "../../schemas/reviewCase.ts";
import {
  ReviewCaseCloseInput,
  ReviewCaseCreateInput,
  ReviewCaseListQuery,
  ReviewCaseParams,
  ReviewCaseUpdateInput,
} from "../../schemas/reviewCase.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/review-cases endpoints. */
export const reviewCasesApi = {
  list: endpoint({
    method: "get",
    path: "/review-cases",
    query: ReviewCaseListQuery,
    response: typedAs<{ items: ReviewCaseDTO[] }>(),
  }),
  one: endpoint({
    method: "get",
    path: "/review-cases/:id",
    params: ReviewCaseParams,
    response: typedAs<ReviewCaseDTO>(),
  }),
  create: endpoint({
    method: "post",
    path: "/review-cases",
    body: ReviewCaseCreateInput,
    response: typedAs<ReviewCaseDTO>(),
  }),
  update: endpoint({
    method: "patch",
    path: "/review-cases/:id",
    body: ReviewCaseUpdateInput,
    params: ReviewCaseParams,
    response: typedAs<ReviewCaseDTO>(),
  }),
  close: endpoint({
    method: "post",
    path: "/review-cases/:id/close",
    body: ReviewCaseCloseInput,
    params: ReviewCaseParams,
    response: typedAs<ReviewCaseDTO>(),
  }),
};
