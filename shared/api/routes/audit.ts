/**
 * The wire contract of /api/audit: the server's `routes/audit.ts` attaches handlers to these, the
 * clients call them.
 */
import type { AuditEventDto } from "../../schemas/audit.ts";
import { AuditQuery } from "../../schemas/audit.ts";
import type { Page } from "../../schemas/common.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/audit endpoints. */
export const auditApi = {
  list: endpoint({
    method: "get",
    path: "/audit",
    query: AuditQuery,
    response: typedAs<Page<AuditEventDto>>(),
  }),
};
