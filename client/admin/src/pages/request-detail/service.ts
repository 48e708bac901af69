/**
 * Calls of the request detail page.
 */
import type { LetterKind, LetterModelDto } from "@govinfo/shared/schemas/documents";
import type {
  RequestDetailDto,
  RequestEventResultDto,
  RevealedApplicantDto,
} from "@govinfo/shared/schemas/requestDto";
import { api, downloadUrl, uploadRaw } from "../../api.ts";

/** Request detail calls. */
export const detailService = {
  load: (id: string) => api.get<RequestDetailDto>(`/requests/${id}`),
  fire: (id: string, event: Record<string, unknown>, expectedVersion: number) =>
    api.post<RequestEventResultDto>(`/requests/${id}/events`, { event, expectedVersion }),
  reveal: (id: string) => api.post<RevealedApplicantDto>(`/requests/${id}/reveal`),
  assign: (id: string, assigneeId: string | null) =>
    api.post<RequestDetailDto>(`/requests/${id}/assign`, { assigneeId }),
  acceptAssignment: (id: string) => api.post<RequestDetailDto>(`/requests/${id}/assignment/accept`),
  returnAssignment: (id: string, reason: string) =>
    api.post<RequestDetailDto>(`/requests/${id}/assignment/return`, { reason }),
  addNote: (id: string, text: string) => api.post<RequestDetailDto>(`/requests/${id}/notes`, { text }),
  /** The letter as it will be issued; a draft reply reads the dialog's 文号, 说明 and 答复依据. */
  previewLetter: (
    id: string,
    kind: LetterKind,
    draft: { outcome?: string; documentNumber?: string; note?: string; ground?: string } = {},
  ) => api.get<LetterModelDto>(`/requests/${id}/letters/${kind}/preview`, draft),
  issueLetter: (id: string, kind: LetterKind, edits: { title?: string; paragraphs?: string[] }) =>
    api.post<unknown>(`/requests/${id}/letters/${kind}`, edits),
  /** Uploads a file to deliver to the applicant (titled by its name without the extension). */
  uploadDelivered: (id: string, file: File) => {
    const title = (file.name.replace(/\.[^.]+$/, "") || file.name).slice(0, 100);
    const query = new URLSearchParams({ kind: "delivered", title, forApplicant: "true" });
    return uploadRaw<unknown>(`/requests/${id}/files?${query.toString()}`, file);
  },
  documentUrl: (id: string, docId: string) => downloadUrl(`/requests/${id}/documents/${docId}`),
  /** Published catalogue items of the agency, for a 36(一) 已主动公开 reply. */
  publishedItems: async (agencyId: string) =>
    (
      await api.get<{ items: { id: string; indexNo: string; title: string }[] }>("/catalogue/manage/items", {
        agencyId,
        status: "published",
        limit: 100,
      })
    ).items,
  /** Every agency (names are public), for naming the one responsible under 36(五). */
  agencies: () => api.get<{ id: string; code: string; name: string }[]>("/catalogue/agencies"),
};
