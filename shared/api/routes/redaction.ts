/**
 * The wire contract of /api/requests: the server's `routes/redaction.ts` attaches handlers to these, the
 * clients call them.
 */
import { z } from "zod";
import {
  RedactionHitDto,
  RedactionPageParams,
  RedactionParams,
  RedactionSearchInput,
  RedactionSetInput,
} from "../../schemas/redaction.ts";
import { endpoint } from "../contract.ts";

/** The /api/requests endpoints. */
export const redactionApi = {
  load: endpoint({
    method: "get",
    path: "/requests/:id/documents/:docId/redaction",
    params: RedactionParams,
  }),
  page: endpoint({
    method: "get",
    path: "/requests/:id/documents/:docId/redaction/pages/:page",
    params: RedactionPageParams,
  }),
  search: endpoint({
    method: "post",
    path: "/requests/:id/documents/:docId/redaction/search",
    body: RedactionSearchInput,
    params: RedactionParams,
    response: z.array(RedactionHitDto),
  }),
  save: endpoint({
    method: "put",
    path: "/requests/:id/documents/:docId/redaction",
    body: RedactionSetInput,
    params: RedactionParams,
  }),
  apply: endpoint({
    method: "post",
    path: "/requests/:id/documents/:docId/redaction/apply",
    params: RedactionParams,
  }),
};
