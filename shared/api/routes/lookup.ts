/**
 * The wire contract of /api/lookup: the server's `routes/lookup.ts` attaches handlers to these, the
 * clients call them.
 */
import { LookupInput, LookupLetterParams, LookupResultDto } from "../../schemas/lookup.ts";
import { RequestDetailDto } from "../../schemas/requestDto.ts";
import { endpoint } from "../contract.ts";

/** The /api/lookup endpoints. */
export const lookupApi = {
  lookup: endpoint({ method: "post", path: "/lookup", body: LookupInput, response: LookupResultDto }),
  letter: endpoint({
    method: "post",
    path: "/lookup/letters/:docId",
    body: LookupInput,
    params: LookupLetterParams,
  }),
  link: endpoint({ method: "post", path: "/lookup/link", body: LookupInput, response: RequestDetailDto }),
};
