/**
 * The wire contract of /api/reports: the server's `routes/reports.ts` attaches handlers to these, the
 * clients call them.
 */
import {
  type ProvenanceDto,
  type PublicAgencyReportsDto,
  PublicReportListQuery,
  PublicReportParams,
  type ReportBoardRow,
  ReportCellQuery,
  ReportDraftInput,
  type ReportDto,
  ReportExportParams,
  ReportImportInput,
  ReportInputsInput,
  ReportParams,
  ReportReadQuery,
  ReportReviseInput,
  ReportSectionsInput,
  type ReportSummaryDto,
  ReportSummaryQuery,
} from "../../schemas/report.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/reports endpoints. */
export const reportsApi = {
  dashboard: endpoint({ method: "get", path: "/reports/dashboard", response: typedAs<ReportBoardRow[]>() }),
  summary: endpoint({
    method: "get",
    path: "/reports/summary",
    query: ReportSummaryQuery,
    response: typedAs<ReportSummaryDto>(),
  }),
  publicList: endpoint({
    method: "get",
    path: "/reports/public",
    query: PublicReportListQuery,
    response: typedAs<PublicAgencyReportsDto[]>(),
  }),
  publicOne: endpoint({
    method: "get",
    path: "/reports/public/:agencyCode/:year",
    params: PublicReportParams,
  }),
  draft: endpoint({
    method: "post",
    path: "/reports/agencies/:agencyId/:year/draft",
    body: ReportDraftInput,
    params: ReportParams,
    response: typedAs<ReportDto>(),
  }),
  load: endpoint({
    method: "get",
    path: "/reports/agencies/:agencyId/:year",
    query: ReportReadQuery,
    params: ReportParams,
    response: typedAs<ReportDto | null>(),
  }),
  saveInputs: endpoint({
    method: "put",
    path: "/reports/agencies/:agencyId/:year/inputs",
    body: ReportInputsInput,
    params: ReportParams,
    response: typedAs<ReportDto>(),
  }),
  saveSections: endpoint({
    method: "put",
    path: "/reports/agencies/:agencyId/:year/sections",
    body: ReportSectionsInput,
    params: ReportParams,
    response: typedAs<ReportDto>(),
  }),
  provenance: endpoint({
    method: "get",
    path: "/reports/agencies/:agencyId/:year/provenance",
    query: ReportCellQuery,
    params: ReportParams,
    response: typedAs<ProvenanceDto>(),
  }),
  exportFile: endpoint({
    method: "get",
    path: "/reports/agencies/:agencyId/:year/export/:format",
    params: ReportExportParams,
  }),
  publish: endpoint({
    method: "post",
    path: "/reports/agencies/:agencyId/:year/publish",
    params: ReportParams,
    response: typedAs<ReportDto>(),
  }),
  revise: endpoint({
    method: "post",
    path: "/reports/agencies/:agencyId/:year/revise",
    body: ReportReviseInput,
    params: ReportParams,
    response: typedAs<ReportDto>(),
  }),
  importText: endpoint({
    method: "post",
    path: "/reports/agencies/:agencyId/:year/import",
    body: ReportImportInput,
    params: ReportParams,
  }),
};
