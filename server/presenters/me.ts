/**
 * The current user as the clients see themselves.
 */

import { maskPhone } from "@govinfo/shared/identity";
import type { ApplicantMe, StaffMe, StaffRole } from "@govinfo/shared/schemas/auth";
import { Agency } from "../models/Agency.ts";
import type { ApplicantActor, StaffActor } from "../policies/actor.ts";
import { supervisesRoot } from "../policies/deployment.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";

/** A staff member with their roles per agency (supervision expanded). */
export async function presentStaffMe(actor: StaffActor): Promise<StaffMe> {
  const agencies = await Agency.find({ _id: { $in: [...actor.roles.keys()] } }, { code: 1, name: 1 }).lean();
  const byId = new Map(agencies.map((agency) => [String(agency._id), agency]));
  const roles: StaffMe["roles"] = [];
  for (const [agencyId, held] of actor.roles) {
    const agency = byId.get(agencyId);
    if (!agency) continue;
    for (const role of held)
      roles.push({ agencyId, agencyCode: agency.code, agencyName: agency.name, role: role as StaffRole });
  }
  return {
    kind: "staff",
    id: String(actor.id),
    username: actor.user.username,
    displayName: actor.user.displayName,
    roles,
    csrfToken: actor.csrfToken,
    canEditDeploymentSettings: await supervisesRoot(actor),
  };
}

/** An applicant account, phone masked. */
export function presentApplicantMe(actor: ApplicantActor, cipher: PersonalDataCipher): ApplicantMe {
  const phone = actor.applicant.phoneSealed ? cipher.decrypt(actor.applicant.phoneSealed) : "";
  return {
    kind: "applicant",
    id: String(actor.id),
    displayName: actor.applicant.displayName,
    phoneMasked: phone ? maskPhone(phone) : null,
  };
}
