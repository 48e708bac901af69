/**
 * Who may grant which role where. No one grants a power they do not hold: a grant is judged at the
 * agency it applies to, never by what the caller holds elsewhere. Administrators and supervisors of
 * an agency (supervision covers the subtree) grant the roles up to `admin` there; `supervisor` is
 * granted (or taken away) only by a supervisor of an ancestor of that agency, so nobody can make
 * themselves or a colleague a supervisor of their own agency. The supervisors of a root agency are
 * granted by the CLI.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import { hasRole, type StaffActor } from "./actor.ts";

/** Roles that manage the users of an agency. */
export const USER_MANAGERS: readonly StaffRole[] = rolesFor("manageUsers");

/** The refusal of a grant at an agency the caller does not manage. */
export const OUTSIDE_SCOPE = "不能授予您管理范围以外机关的角色";

/** An agency as the grant rule needs it. */
export interface GrantTarget {
  id: string;
  parentId: string | null;
}

/**
 * Why `actor` may not grant (or remove) `role` at `agency`, or null when they may.
 * @param actor the caller.
 * @param agency the agency the grant applies to.
 * @param role the role granted or removed.
 */
export function grantRefusal(actor: StaffActor, agency: GrantTarget, role: StaffRole): string | null {
  if (!hasRole(actor, agency.id, USER_MANAGERS)) return OUTSIDE_SCOPE;
  if (role !== "supervisor") return null;
  if (agency.parentId && hasRole(actor, agency.parentId, rolesFor("grantSupervisor"))) return null;
  return "监督人员角色只能由上级机关的监督人员授予或撤销";
}
