/**
 * Reads the audit log for administrators and supervisors: only events of their agencies, newest
 * first, paged by a cursor of (time, id). Deployment-wide changes (the working-day calendar) belong
 * to no agency but move every agency's deadlines, so every supervisor finds them in the unfiltered log.
 */

import { rolesFor } from "@govinfo/shared/access/capabilities";
import { auditSentence } from "@govinfo/shared/audit/sentence";
import type { AuditEventDto, AuditQuery } from "@govinfo/shared/schemas/audit";
import type { Page } from "@govinfo/shared/schemas/common";
import { Types } from "mongoose";
import { Forbidden } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { AuditEvent, type AuditEventDoc } from "../models/AuditEvent.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { User } from "../models/User.ts";
import { agenciesWith, type StaffActor } from "../policies/actor.ts";

/** Targets of deployment-wide changes, audited without an agency. */
export const DEPLOYMENT_WIDE_TARGETS = ["calendarOverride"] as const;

/** Start of a calendar day in Asia/Shanghai (UTC+8, no daylight saving). */
const dayStart = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** One page of the audit log. */
export async function listAuditEvents(actor: StaffActor, query: AuditQuery): Promise<Page<AuditEventDto>> {
  const scope = agenciesWith(actor, rolesFor("readAudit"));
  if (query.agencyId && !scope.includes(query.agencyId)) throw Forbidden("您不能查看该机关的审计日志");
  const agencyIds = (query.agencyId ? [query.agencyId] : scope).map((id) => new Types.ObjectId(id));
  const ofAgencies = { agencyId: { $in: agencyIds } };
  const deploymentWide = { agencyId: null, targetType: { $in: DEPLOYMENT_WIDE_TARGETS } };
  const seesDeployment = !query.agencyId && agenciesWith(actor, rolesFor("superviseAgencies")).length > 0;
  const filter: Record<string, unknown> = seesDeployment ? { $or: [ofAgencies, deploymentWide] } : ofAgencies;
  if (query.action) filter.action = query.action;
  if (query.targetType) filter.targetType = query.targetType;
  const at: Record<string, Date> = {};
  if (query.from) at.$gte = dayStart(query.from);
  if (query.to) at.$lt = new Date(dayStart(query.to).getTime() + 86_400_000);
  if (Object.keys(at).length > 0) filter.at = at;
  if (query.cursor) {
    const [ms, id] = query.cursor.split("_") as [string, string];
    const time = new Date(Number(ms));
    filter.$and = [{ $or: [{ at: { $lt: time } }, { at: time, _id: { $lt: new Types.ObjectId(id) } }] }];
  }
  const docs = await AuditEvent.find(filter)
    .sort({ at: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<AuditEventDoc[]>();
  const page = docs.slice(0, query.limit);
  const names = new Map(
    (
      await Agency.find(
        { _id: { $in: [...new Set(page.flatMap((d) => (d.agencyId ? [String(d.agencyId)] : [])))] } },
        { name: 1 },
      ).lean()
    ).map((agency) => [String(agency._id), agency.name]),
  );
  const { users, serials } = await namesIn(page);
  const last = page.at(-1);
  return {
    items: page.map((doc) => ({
      id: String(doc._id),
      at: doc.at.toISOString(),
      actorKind: doc.actorKind,
      actorName: doc.actorName,
      agencyId: doc.agencyId ? String(doc.agencyId) : null,
      agencyName: doc.agencyId ? (names.get(String(doc.agencyId)) ?? "") : "全平台",
      action: doc.action,
      targetType: doc.targetType,
      targetId: doc.targetId,
      details: (doc.details ?? {}) as Record<string, unknown>,
      sentence: auditSentence({
        action: doc.action,
        actorKind: doc.actorKind,
        // The log stores the username (the account); the sentence names the person.
        actorName: (doc.actorKind === "staff" && users.get(String(doc.actorId))) || doc.actorName,
        targetType: doc.targetType,
        targetId: doc.targetId,
        details: (doc.details ?? {}) as Record<string, unknown>,
        userNames: users,
        ...(doc.targetType === "request" ? { serialNo: serials.get(doc.targetId) ?? "" } : {}),
      }),
      ip: doc.ip,
    })),
    nextCursor: docs.length > query.limit && last ? `${last.at.getTime()}_${String(last._id)}` : null,
  };
}

const objectId = /^[0-9a-f]{24}$/i;

// The names a page of sentences needs: users (targets and assignees) and application serial numbers
// (events such as uploads record only the request id), each in one query.
async function namesIn(
  page: readonly AuditEventDoc[],
): Promise<{ users: Map<string, string>; serials: Map<string, string> }> {
  const userIds = new Set<string>();
  const requestIds = new Set<string>();
  for (const doc of page) {
    const details = (doc.details ?? {}) as Record<string, unknown>;
    if (doc.actorKind === "staff" && doc.actorId) userIds.add(String(doc.actorId));
    if (doc.targetType === "user" && objectId.test(doc.targetId)) userIds.add(doc.targetId);
    for (const key of ["from", "to"])
      if (doc.action === "request.assign" && typeof details[key] === "string") userIds.add(details[key]);
    if (doc.targetType === "request" && !details.serialNo && objectId.test(doc.targetId))
      requestIds.add(doc.targetId);
  }
  const [users, requests] = await Promise.all([
    userIds.size ? User.find({ _id: { $in: [...userIds] } }, { displayName: 1 }).lean() : [],
    requestIds.size ? DisclosureRequest.find({ _id: { $in: [...requestIds] } }, { serialNo: 1 }).lean() : [],
  ]);
  return {
    users: new Map(users.map((u) => [String(u._id), u.displayName])),
    serials: new Map(requests.map((r) => [String(r._id), r.serialNo])),
  };
}
