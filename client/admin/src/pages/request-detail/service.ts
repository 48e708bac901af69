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
  addNote: (id: string, text: string) => api.post<RequestDetailDto>(`/requests/${id}/notes`, { text }),
  previewLetter: (id: string, kind: LetterKind, outcome?: string) =>
    api.get<LetterModelDto>(`/requests/${id}/letters/${kind}/preview`, { outcome }),
  issueLetter: (id: string, kind: LetterKind, edits: { title?: string; paragraphs?: string[] }) =>
    api.post<unknown>(`/requests/${id}/letters/${kind}`, edits),
  /** Uploads a file to deliver to the applicant (titled by its name without the extension). */
  uploadDelivered: (id: string, file: File) => {
    const title = (file.name.replace(/\.[^.]+$/, "") || file.name).slice(0, 100);
    const query = new URLSearchParams({ kind: "delivered", title, forApplicant: "true" });
    return uploadRaw<unknown>(`/requests/${id}/files?${query.toString()}`, file);
  },
  documentUrl: (id: string, docId: string) => downloadUrl(`/requests/${id}/documents/${docId}`),
};
