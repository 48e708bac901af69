/**
 * The queue and registration calls.
 */
import type { InputOf } from "@govinfo/shared/api/contract";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import type { RequestRegisterInput } from "@govinfo/shared/schemas/request";
import { api } from "../../api.ts";

/** Queue filters as the page keeps them (strings from the URL). */
export interface QueueFilters {
  state?: string;
  q?: string;
  dueWithin?: string;
  overdue?: string;
  assignee?: string;
  /** 签收状态: pending, accepted or returned (退回 ones wait for the registrar). */
  assignment?: string;
  sort?: string;
  year?: string;
  /** open (default), closed or all; ignored when a state is chosen. */
  scope?: string;
}

/** Request queue calls. */
export const requestsService = {
  // The filters come from the URL as text; the server's query schema checks them.
  list: (agencyId: string, filters: QueueFilters, cursor?: string) =>
    api.call(requestsApi.queue, {
      query: { agencyId, limit: 50, cursor, ...filters } as InputOf<typeof requestsApi.queue>["query"],
    }),
  register: (input: RequestRegisterInput) => api.call(requestsApi.register, { body: input }),
};
