/**
 * The wire contract of /api/requests: the server's `routes/documents.ts` attaches handlers to these, the
 * clients call them.
 */
import {
  DocumentParams,
  type DocumentTextDto,
  DocumentViewQuery,
  FileUploadParams,
  FileUploadQuery,
  LetterIssueInput,
  LetterModelDto,
  LetterParams,
  LetterPreviewQuery,
} from "../../schemas/documents.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/requests endpoints. */
export const documentsApi = {
  previewLetter: endpoint({
    method: "get",
    path: "/requests/:id/letters/:kind/preview",
    query: LetterPreviewQuery,
    params: LetterParams,
    response: LetterModelDto,
  }),
  issueLetter: endpoint({
    method: "post",
    path: "/requests/:id/letters/:kind",
    body: LetterIssueInput,
    params: LetterParams,
  }),
  uploadFile: endpoint({
    method: "post",
    path: "/requests/:id/files",
    query: FileUploadQuery,
    params: FileUploadParams,
  }),
  document: endpoint({
    method: "get",
    path: "/requests/:id/documents/:docId",
    query: DocumentViewQuery,
    params: DocumentParams,
    response: typedAs<DocumentTextDto | undefined>(),
  }),
};
