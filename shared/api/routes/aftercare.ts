/**
 * The wire contract of /api/aftercare: the server's `routes/aftercare.ts` attaches handlers to these, the
 * clients call them.
 */
import {
  AftercareDto,
  AftercareParams,
  AftercareQuery,
  RatingDto,
  RatingInput,
  ReviewApplicationDto,
} from "../../schemas/aftercare.ts";
import { endpoint } from "../contract.ts";

/** The /api/aftercare endpoints. */
export const aftercareApi = {
  aftercare: endpoint({
    method: "get",
    path: "/aftercare/:id",
    query: AftercareQuery,
    params: AftercareParams,
    response: AftercareDto,
  }),
  rate: endpoint({
    method: "post",
    path: "/aftercare/:id/rating",
    body: RatingInput,
    params: AftercareParams,
    response: RatingDto.nullable(),
  }),
  reviewApplication: endpoint({
    method: "get",
    path: "/aftercare/:id/review-application",
    params: AftercareParams,
    response: ReviewApplicationDto,
  }),
  reviewApplicationDocx: endpoint({
    method: "get",
    path: "/aftercare/:id/review-application/docx",
    params: AftercareParams,
  }),
};
