/**
 * Builders for agencies and staff users with overrides, written through mongoose (the real driver).
 */
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { Types } from "mongoose";
import { Agency, type AgencyDoc } from "../../server/models/Agency.ts";
import { User } from "../../server/models/User.ts";
import { hashPassword } from "../../server/services/staffLogin.ts";

let sequence = 0;

/** Creates an agency; `parent` puts it below another one. */
export async function buildAgency(
  overrides: Partial<{
    code: string;
    name: string;
    parent: AgencyDoc;
    level: "department" | "government";
  }> = {},
): Promise<AgencyDoc> {
  sequence++;
  const parent = overrides.parent;
  const agency = await Agency.create({
    code: overrides.code ?? `A${sequence}`,
    name: overrides.name ?? `测试机关${sequence}`,
    parentId: parent?._id ?? null,
    ancestors: parent ? [...parent.ancestors, parent._id] : [],
    level: overrides.level ?? "department",
  });
  return agency.toObject() as AgencyDoc;
}

/** Creates a staff user with roles, and returns the password to log in with. */
export async function buildStaff(
  grants: { agency: { _id: Types.ObjectId }; role: StaffRole }[],
  overrides: Partial<{ username: string; password: string; displayName: string }> = {},
): Promise<{ id: Types.ObjectId; username: string; password: string }> {
  sequence++;
  const username = overrides.username ?? `staff${sequence}`;
  const password = overrides.password ?? `Pass-${sequence}-word`;
  const user = await User.create({
    username,
    displayName: overrides.displayName ?? `工作人员${sequence}`,
    passwordHash: await hashPassword(password),
    mustChangePassword: false,
    roles: grants.map((grant) => ({ agencyId: grant.agency._id, role: grant.role })),
  });
  return { id: user._id, username, password };
}
