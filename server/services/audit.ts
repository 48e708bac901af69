/**
 * Writes the audit trail. Every staff read of unmasked personal data and every change goes through here.
 */
import type { Context } from "koa";
import type { Types } from "mongoose";
import { AuditEvent } from "../models/AuditEvent.ts";
import type { Actor } from "../policies/actor.ts";

/** One audited action. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | Types.ObjectId;
  agencyId?: Types.ObjectId | string | null;
  details?: Record<string, unknown>;
}

/**
 * Records an action by the caller of `ctx` (or by the system when `ctx` is null).
 * @param session a mongoose session, when the audit must commit with the change it describes.
 */
export async function audit(
  ctx: Context | null,
  entry: AuditEntry,
  session?: import("mongoose").ClientSession,
): Promise<void> {
  const actor: Actor | { kind: "system" } = ctx ? ctx.state.actor : { kind: "system" };
  const doc = {
    actorKind: actor.kind,
    actorId: actor.kind === "staff" || actor.kind === "applicant" ? actor.id : null,
    actorName: actor.kind === "staff" ? actor.user.username : "",
    agencyId: entry.agencyId ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: String(entry.targetId),
    details: entry.details ?? {},
    ip: ctx?.ip ?? "",
    requestId: ctx ? String(ctx.state.requestId ?? "") : "",
  };
  await AuditEvent.create([doc], session ? { session } : {});
}
