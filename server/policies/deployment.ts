/**
 * Deployment-wide settings (the working-day calendar, which moves every agency's statutory
 * deadlines) belong to the supervisors of a root agency: the government at the top of the tree. A
 * supervisor further down supervises only their subtree and may not move the deadlines of others.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { Types } from "mongoose";
import { Forbidden } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import type { StaffActor } from "./actor.ts";

/**
 * Whether `actor` holds `supervisor` granted at a root agency (one without a parent).
 * @param actor the caller.
 */
export async function supervisesRoot(actor: StaffActor): Promise<boolean> {
  const supervised = actor.user.roles
    .filter((grant) => rolesFor("editCalendar").includes(grant.role))
    .map((grant) => new Types.ObjectId(String(grant.agencyId)));
  if (supervised.length === 0) return false;
  return (await Agency.exists({ _id: { $in: supervised }, parentId: null })) !== null;
}

/**
 * Throws 403 unless `actor` may change deployment-wide settings.
 * @param actor the caller.
 */
export async function assertDeploymentSupervisor(actor: StaffActor): Promise<void> {
  if (!(await supervisesRoot(actor))) throw Forbidden("只有最上级机关的监督人员可以修改全平台的工作日日历");
}
