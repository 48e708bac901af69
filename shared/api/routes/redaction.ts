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
  RedactionSetDto,
  RedactionSetInput,
} from "../../schemas/redaction.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/requests endpoints. */
export const redactionApi = {
  load: endpoint({
    method: "get",
    path: "/requests/:id/documents/:docId/redaction",
    params: RedactionParams,
    response: RedactionSetDto,
  }),
  /** A page rendered as PNG. */
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
    response: RedactionSetDto,
  }),
  apply: endpoint({
    method: "post",
    path: "/requests/:id/documents/:docId/redaction/apply",
    params: RedactionParams,
    response: typedAs<unknown>(),
  }),
};
