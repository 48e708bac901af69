/**
 * The audit log, read by administrators and supervisors of the agencies it concerns.
 */
import { auditApi } from "@govinfo/shared/api/routes/audit";
import { listAuditEvents } from "../services/auditLog.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/audit router. */
export function createAuditRouter() {
  return buildRouter("", [
    route({
      ...auditApi.list,
      summary: "审计日志（最新在前，游标分页）",
      access: access.staff("readAudit"),
      handler: (ctx, { query }) => listAuditEvents(staffOf(ctx), query),
    }),
  ]);
}
