/**
 * The annual-report API of one agency and year.
 */
import { reportsApi } from "@govinfo/shared/api/routes/reports";
import type { ReportDto } from "@govinfo/shared/schemas/report";
import { api } from "../../api.ts";

export type { ProvenanceDto, ReportDto } from "@govinfo/shared/schemas/report";

const at = (agencyId: string, year: number) => ({ params: { agencyId, year } });

/** Report calls. */
export const reportService = {
  load: (agencyId: string, year: number) =>
    api.call(reportsApi.load, at(agencyId, year)) as Promise<ReportDto>,
  draft: (agencyId: string, year: number) => api.call(reportsApi.draft, { ...at(agencyId, year), body: {} }),
  saveInputs: (agencyId: string, year: number, two: Record<string, Record<string, number | null>>) =>
    api.call(reportsApi.saveInputs, { ...at(agencyId, year), body: { two } }),
  saveSections: (
    agencyId: string,
    year: number,
    sections: { overview?: { key: string; text: string }[]; problems?: string[]; other?: string[] },
  ) => api.call(reportsApi.saveSections, { ...at(agencyId, year), body: sections }),
  provenance: (agencyId: string, year: number, cell: string) =>
    api.call(reportsApi.provenance, { ...at(agencyId, year), query: { cell } }),
  publish: (agencyId: string, year: number) => api.call(reportsApi.publish, at(agencyId, year)),
  revise: (agencyId: string, year: number, reason: string) =>
    api.call(reportsApi.revise, { ...at(agencyId, year), body: { reason } }),
  exportUrl: (agencyId: string, year: number, format: "html" | "docx" | "xlsx" | "json") =>
    api.url(reportsApi.exportFile, { params: { agencyId, year, format } }),
  summary: (agencyId: string, year: number) => api.call(reportsApi.summary, { query: { agencyId, year } }),
};
