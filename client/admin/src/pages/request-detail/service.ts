/**
 * Calls of the request detail page.
 */
import type { InputOf } from "@govinfo/shared/api/contract";
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { documentsApi } from "@govinfo/shared/api/routes/documents";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import type { LetterKind } from "@govinfo/shared/schemas/documents";
import type { RequestEventBody } from "@govinfo/shared/schemas/requestDto";
import type { z } from "zod";
import { api, upload } from "../../api.ts";

/** Request detail calls. */
export const detailService = {
  load: (id: string) => api.call(requestsApi.detail, { params: { id } }),
  fire: (id: string, event: z.input<typeof RequestEventBody>["event"], expectedVersion: number) =>
    api.call(requestsApi.fire, { params: { id }, body: { event, expectedVersion } }),
  reveal: (id: string) => api.call(requestsApi.reveal, { params: { id } }),
  assign: (id: string, assigneeId: string | null) =>
    api.call(requestsApi.assign, { params: { id }, body: { assigneeId } }),
  acceptAssignment: (id: string) => api.call(requestsApi.acceptAssignment, { params: { id } }),
  returnAssignment: (id: string, reason: string) =>
    api.call(requestsApi.returnAssignment, { params: { id }, body: { reason } }),
  addNote: (id: string, text: string) => api.call(requestsApi.addNote, { params: { id }, body: { text } }),
  /** The letter as it will be issued; a draft reply reads the dialog's 文号, 说明 and 答复依据. */
  previewLetter: (
    id: string,
    kind: LetterKind,
    draft: InputOf<typeof documentsApi.previewLetter>["query"] = {},
  ) => api.call(documentsApi.previewLetter, { params: { id, kind }, query: draft }),
  issueLetter: (id: string, kind: LetterKind, edits: { title?: string; paragraphs?: string[] }) =>
    api.call(documentsApi.issueLetter, { params: { id, kind }, body: edits }),
  /** Uploads a file to deliver to the applicant (titled by its name without the extension). */
  uploadDelivered: (id: string, file: File) => {
    const title = (file.name.replace(/\.[^.]+$/, "") || file.name).slice(0, 100);
    return upload(
      documentsApi.uploadFile,
      { params: { id }, query: { kind: "delivered", title, forApplicant: "true" } },
      file,
    );
  },
  documentUrl: (id: string, docId: string) => api.url(documentsApi.document, { params: { id, docId } }),
  /** Published catalogue items of the agency, for a 36(一) 已主动公开 reply. */
  publishedItems: async (agencyId: string) =>
    (await api.call(catalogueApi.manageItems, { query: { agencyId, status: "published", limit: 100 } }))
      .items,
  /** Every agency (names are public), for naming the one responsible under 36(五). */
  agencies: () => api.call(catalogueApi.agencies),
};
