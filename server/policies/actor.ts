/**
 * Who is calling: nobody, an applicant, or a staff member with roles per agency. Supervisor grants
 * cover the agency's whole subtree; that expansion happens once, when the session is resolved.
 */
import { subtreeRoles } from "@govinfo/shared/access/capabilities";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { Types } from "mongoose";
import { Agency } from "../models/Agency.ts";
import type { ApplicantDoc } from "../models/Applicant.ts";
import type { UserDoc } from "../models/User.ts";

/** An anonymous caller. */
export interface AnonymousActor {
  kind: "anonymous";
}

/** A logged-in applicant (citizen or organisation). */
export interface ApplicantActor {
  kind: "applicant";
  id: Types.ObjectId;
  applicant: ApplicantDoc;
}

/** A logged-in staff member. */
export interface StaffActor {
  kind: "staff";
  id: Types.ObjectId;
  user: UserDoc;
  csrfToken: string;
  /** Agency id → the roles the user holds there (supervision expanded to the subtree). */
  roles: Map<string, Set<StaffRole>>;
}

/** The caller of a request. */
export type Actor = AnonymousActor | ApplicantActor | StaffActor;

/** The anonymous actor. */
export const anonymous: AnonymousActor = { kind: "anonymous" };

/**
 * Builds a staff actor, expanding supervisor grants to every agency below the granted one.
 * @param user the staff user.
 * @param csrfToken the session's CSRF token.
 */
export async function staffActor(user: UserDoc, csrfToken: string): Promise<StaffActor> {
  const roles = new Map<string, Set<StaffRole>>();
  const grant = (agencyId: string, role: StaffRole) => {
    let set = roles.get(agencyId);
    if (!set) {
      set = new Set();
      roles.set(agencyId, set);
    }
    set.add(role);
  };
  const supervised: Types.ObjectId[] = [];
  const spread = new Set<StaffRole>();
  for (const { agencyId, role } of user.roles) {
    grant(String(agencyId), role);
    if (!subtreeRoles.includes(role)) continue;
    supervised.push(agencyId);
    spread.add(role);
  }
  if (supervised.length > 0) {
    const below = await Agency.find({ ancestors: { $in: supervised } }, { _id: 1 }).lean();
    for (const agency of below) for (const role of spread) grant(String(agency._id), role);
  }
  return { kind: "staff", id: user._id, user, csrfToken, roles };
}

/**
 * The agencies where a staff actor holds any of `roles` (any role when omitted).
 * @param actor the staff actor.
 * @param wanted roles that qualify.
 */
export function agenciesWith(actor: StaffActor, wanted?: readonly StaffRole[]): string[] {
  const ids: string[] = [];
  for (const [agencyId, held] of actor.roles) {
    if (!wanted || wanted.some((role) => held.has(role))) ids.push(agencyId);
  }
  return ids;
}

/** Whether a staff actor holds one of `roles` at `agencyId`. */
export function hasRole(actor: StaffActor, agencyId: string, wanted: readonly StaffRole[]): boolean {
  const held = actor.roles.get(agencyId);
  return held !== undefined && wanted.some((role) => held.has(role));
}
