/**
 * The catalogue management calls.
 */
import type { InfoItemCreateInput, InfoItemStaffDTO } from "@govinfo/shared/schemas/catalogue";
import { api, uploadRaw } from "../../api.ts";

/** Catalogue calls. */
export const catalogueService = {
  list: (agencyId: string, status?: string) =>
    api.get<{ items: InfoItemStaffDTO[]; nextCursor: string | null }>("/catalogue/manage/items", {
      agencyId,
      status,
      limit: 100,
    }),
  load: (id: string) => api.get<InfoItemStaffDTO>(`/catalogue/manage/items/${id}`),
  create: (input: InfoItemCreateInput) => api.post<InfoItemStaffDTO>("/catalogue/items", input),
  update: (id: string, patch: Partial<InfoItemCreateInput>) =>
    api.patch<InfoItemStaffDTO>(`/catalogue/items/${id}`, patch),
  publish: (id: string) => api.post<InfoItemStaffDTO>(`/catalogue/items/${id}/publish`, {}),
  withdraw: (id: string, reason: string) =>
    api.post<InfoItemStaffDTO>(`/catalogue/items/${id}/withdraw`, { reason }),
  repeal: (id: string, repealedDate: string) =>
    api.post<InfoItemStaffDTO>(`/catalogue/items/${id}/repeal`, { repealedDate, validity: "repealed" }),
  upload: (id: string, file: File) =>
    uploadRaw<InfoItemStaffDTO>(
      `/catalogue/items/${id}/attachments?name=${encodeURIComponent(file.name)}`,
      file,
    ),
  importFile: (agencyId: string, file: File) =>
    uploadRaw<{ imported?: number; errors?: { row: number; message: string }[] }>(
      `/catalogue/import?agencyId=${agencyId}`,
      file,
    ),
};
