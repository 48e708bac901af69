/**
 * The wire contract of /api/agencies: the server's `routes/agencies.ts` attaches handlers to these, the
 * clients call them.
 */
import type { AgencyNodeDto } from "../../schemas/agency.ts";
import { AgencyCreateInput, AgencyParams, AgencyUpdateInput } from "../../schemas/agency.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/agencies endpoints. */
export const agenciesApi = {
  tree: endpoint({ method: "get", path: "/agencies/tree", response: typedAs<AgencyNodeDto[]>() }),
  create: endpoint({
    method: "post",
    path: "/agencies",
    body: AgencyCreateInput,
    response: typedAs<AgencyNodeDto>(),
  }),
  update: endpoint({
    method: "patch",
    path: "/agencies/:id",
    body: AgencyUpdateInput,
    params: AgencyParams,
    response: typedAs<AgencyNodeDto>(),
  }),
};
