/**
 * The queue and registration calls.
 */
import type { RequestRegisterInput } from "@govinfo/shared/schemas/request";
import type { RequestDetailDto, RequestPageDto } from "@govinfo/shared/schemas/requestDto";
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
  list: (agencyId: string, filters: QueueFilters, cursor?: string) =>
    api.get<RequestPageDto>("/requests", { agencyId, limit: 50, cursor, ...filters }),
  register: (input: RequestRegisterInput) => api.post<RequestDetailDto>("/requests/register", input),
};
