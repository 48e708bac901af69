/**
 * Who may see and act on a disclosure request: the applicant who owns it, and staff of its agency
 * (supervisors of a parent agency included). Lifecycle roles come from the shared machine.
 */
import type { Role } from "@govinfo/shared/lifecycle/machine";
import type { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import type { Actor } from "./actor.ts";

/** The part of a request the policies read. */
export interface RequestScope {
  agencyId: Types.ObjectId;
  applicantAccountId?: Types.ObjectId | null;
}

/** The lifecycle roles the actor holds for this request (empty when it may not act). */
export function lifecycleRoles(actor: Actor, request: RequestScope): Role[] {
  if (actor.kind === "applicant") {
    return request.applicantAccountId && String(request.applicantAccountId) === String(actor.id)
      ? ["applicant"]
      : [];
  }
  if (actor.kind === "staff") return [...(actor.roles.get(String(request.agencyId)) ?? [])];
  return [];
}

/**
 * Throws 404 unless the actor may see the request. Not 403: a citizen must not learn that another
 * person's application exists.
 */
export function assertCanView(actor: Actor, request: RequestScope): void {
  if (lifecycleRoles(actor, request).length === 0) throw NotFound("request");
}

/** A mongo filter restricting requests to those the actor may see. */
export function visibleRequestsFilter(actor: Actor): Record<string, unknown> {
  if (actor.kind === "applicant") return { applicantAccountId: actor.id };
  if (actor.kind === "staff") return { agencyId: { $in: [...actor.roles.keys()] } };
  return { _id: null };
}
