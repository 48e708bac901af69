/**
 * Loads for the dashboard: every queue row of the agency (paged) and this year's report draft.
 */
import { reportsApi } from "@govinfo/shared/api/routes/reports";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import { supervisionsApi } from "@govinfo/shared/api/routes/supervisions";
import type { ReportBoardRow, ReportDto } from "@govinfo/shared/schemas/report";
import type { RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import type { SupervisionListDto } from "@govinfo/shared/schemas/supervision";
import { api } from "../../api.ts";

/** All queue rows of an agency (up to `max`). */
export async function loadAllRequests(agencyId: string, max = 1000): Promise<RequestListItemDto[]> {
  const rows: RequestListItemDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(requestsApi.queue, {
      query: { agencyId, limit: 100, cursor, sort: "-receiptDate", scope: "all" },
    });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < max);
  return rows;
}

/** The stored report of a year, or null when none was generated yet. */
export function loadReportOrNull(agencyId: string, year: number): Promise<ReportDto | null> {
  return api.call(reportsApi.load, { params: { agencyId, year }, query: { missing: "null" } });
}

/** Every open application of an agency (the queue's default scope), for the supervisor overview. */
export async function loadOpenRequests(agencyId: string, max = 1000): Promise<RequestListItemDto[]> {
  const rows: RequestListItemDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(requestsApi.queue, {
      query: { agencyId, limit: 100, cursor, scope: "open" },
    });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < max);
  return rows;
}

/** Last year's reports of every agency the user reads reports of. */
export function loadReportBoard(): Promise<ReportBoardRow[]> {
  return api.call(reportsApi.dashboard);
}

/** The 督办单 counts of an agency (待反馈, of them 逾期, 已反馈). */
export async function loadSupervisionCounts(agencyId: string): Promise<SupervisionListDto["counts"]> {
  return (await api.call(supervisionsApi.list, { query: { agencyId, limit: 1 } })).counts;
}

/** The 督办单 an agency has received, open and overdue first. */
export async function loadSupervisions(agencyId: string): Promise<SupervisionListDto> {
  return api.call(supervisionsApi.list, { query: { agencyId, limit: 20 } });
}
