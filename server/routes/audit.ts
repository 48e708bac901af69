/**
 * The audit log, read by administrators and supervisors of the agencies it concerns.
 */
import { AuditQuery } from "@govinfo/shared/schemas/audit";
import { listAuditEvents } from "../services/auditLog.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/audit router. */
export function createAuditRouter() {
  return buildRouter("/audit", [
    route({
      method: "get",
      path: "/",
      summary: "审计日志（最新在前，游标分页）",
      access: access.staff("readAudit"),
      query: AuditQuery,
      handler: (ctx, { query }) => listAuditEvents(staffOf(ctx), query),
    }),
  ]);
}
