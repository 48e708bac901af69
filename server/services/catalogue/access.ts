/**
 * Who may manage an agency's catalogue: its admin, handlers and reviewers; supervisors may read the
 * staff views (Art. 26 list, table 二 figures) of the agencies they supervise.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import { Forbidden, NotFound } from "../../errors.ts";
import { hasRole, type StaffActor } from "../../policies/actor.ts";

/** Roles that may create, edit, publish, withdraw and repeal items. */
export const catalogueEditors: readonly StaffRole[] = rolesFor("editCatalogue");

/** Roles that may read the staff views of a catalogue. */
export const catalogueReaders: readonly StaffRole[] = rolesFor("readCatalogue");

/** Throws 403 unless the actor may edit the agency's catalogue. */
export function assertCanEdit(actor: StaffActor, agencyId: string): void {
  if (!hasRole(actor, agencyId, catalogueEditors)) throw Forbidden("您不能管理该机关的主动公开目录");
}

/** Throws 403 unless the actor may read the agency's staff catalogue views. */
export function assertCanRead(actor: StaffActor, agencyId: string): void {
  if (!hasRole(actor, agencyId, catalogueReaders)) throw Forbidden("您不能查看该机关的主动公开目录管理信息");
}

/**
 * Throws, for an existing item, what a missing one would get (404) unless the actor works for its
 * agency or supervises it: an unpublished draft is not another agency's business, not even its
 * existence. Colleagues without a catalogue role still get the 403 of the checks above.
 */
export function assertCanSeeItem(actor: StaffActor, agencyId: string): void {
  if (!actor.roles.has(agencyId)) throw NotFound("infoItem", "目录信息不存在");
}
