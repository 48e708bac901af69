/**
 * The annual-report API of one agency and year.
 */
import type { CheckResult, ReportModel } from "@govinfo/shared/stats/report";
import { api, downloadUrl } from "../../api.ts";

/** A report as GET /reports/agencies/:id/:year answers it (the model without provenance). */
export type ReportDto = Omit<ReportModel, "provenance"> & {
  agencyId: string;
  scope: "agency" | "subtree";
  generatedAt: string | null;
  pendingRevisionReason: string | null;
  publishable: boolean;
  checks: CheckResult[];
};

/** The applications or cases behind one figure. */
export interface ProvenanceDto {
  cell: string;
  value: number | null;
  items: {
    kind: "request" | "case";
    number: string;
    receiptDate?: string | null;
    filedDate?: string;
    closedDate: string | null;
    outcome?: string | null;
    result?: string | null;
  }[];
}

const base = (agencyId: string, year: number) => `/reports/agencies/${agencyId}/${year}`;

/** Report calls. */
export const reportService = {
  load: (agencyId: string, year: number) => api.get<ReportDto>(base(agencyId, year)),
  draft: (agencyId: string, year: number) => api.post<ReportDto>(`${base(agencyId, year)}/draft`, {}),
  saveInputs: (agencyId: string, year: number, two: Record<string, Record<string, number | null>>) =>
    api.put<ReportDto>(`${base(agencyId, year)}/inputs`, { two }),
  saveSections: (
    agencyId: string,
    year: number,
    sections: { overview?: { key: string; text: string }[]; problems?: string[]; other?: string[] },
  ) => api.put<ReportDto>(`${base(agencyId, year)}/sections`, sections),
  provenance: (agencyId: string, year: number, cell: string) =>
    api.get<ProvenanceDto>(`${base(agencyId, year)}/provenance`, { cell }),
  publish: (agencyId: string, year: number) => api.post<ReportDto>(`${base(agencyId, year)}/publish`),
  revise: (agencyId: string, year: number, reason: string) =>
    api.post<ReportDto>(`${base(agencyId, year)}/revise`, { reason }),
  exportUrl: (agencyId: string, year: number, format: "html" | "docx" | "xlsx" | "json") =>
    downloadUrl(`${base(agencyId, year)}/export/${format}`),
  summary: (agencyId: string, year: number) =>
    api.get<{
      year: number;
      agencies: {
        agencyId: string;
        name: string;
        status: string;
        published: boolean;
        deadline: string;
        failingChecks: CheckResult[];
      }[];
    }>("/reports/summary", { agencyId, year }),
};
