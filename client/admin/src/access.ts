/**
 * What the signed-in staff member may open, from the roles the server returned in /auth/me.
 * Pure: the menus and pages read it; request buttons come from each request's `abilities` instead.
 * Every flag reads the shared capability table, the one the server's routes and policies read.
 */
import { type CapabilityName, grants } from "@govinfo/shared/access/capabilities";
import type { StaffMe, StaffRole } from "@govinfo/shared/schemas/auth";

/** An agency the user works for, with the roles held there. */
export interface AgencyAccess {
  agencyId: string;
  agencyName: string;
  agencyCode: string;
  roles: StaffRole[];
}

/** Access flags for one agency (the one chosen in the switcher). */
export interface Access {
  agencies: AgencyAccess[];
  current: AgencyAccess | null;
  canSeeRequests: boolean;
  canRegister: boolean;
  /** Works cases assigned to them (承办): sees 我的申请. */
  canHandle: boolean;
  /** Supervises agencies (监督): sees 监督概览. */
  canSupervise: boolean;
  /** Holds a casework role (登记、承办、审核、管理员) in some agency. */
  worksCases: boolean;
  canEditCatalogue: boolean;
  canReadReports: boolean;
  canWriteReports: boolean;
  canPublishReports: boolean;
  canReadSummary: boolean;
  canReadReviewCases: boolean;
  canWriteReviewCases: boolean;
  canImportLedger: boolean;
  canExportLedger: boolean;
  canEditCalendar: boolean;
  /** Users and roles (the server limits them to the agencies the user manages). */
  canManageUsers: boolean;
  canReadAudit: boolean;
  /** Ratings and 回访 tasks of the current agency. */
  canReadFeedback: boolean;
  canRecordFollowUp: boolean;
}

/** Access keys used by the route table. */
export type AccessKey = {
  [K in keyof Access]: Access[K] extends boolean ? K : never;
}[keyof Access];

/** Groups the flat role list of /auth/me by agency, in the server's order. */
export function agenciesOf(me: Pick<StaffMe, "roles">): AgencyAccess[] {
  const byId = new Map<string, AgencyAccess>();
  for (const grant of me.roles) {
    const entry = byId.get(grant.agencyId) ?? {
      agencyId: grant.agencyId,
      agencyName: grant.agencyName,
      agencyCode: grant.agencyCode,
      roles: [],
    };
    if (!entry.roles.includes(grant.role)) entry.roles.push(grant.role);
    byId.set(grant.agencyId, entry);
  }
  return [...byId.values()];
}

/**
 * Computes the access flags.
 * @param me the staff member as /auth/me answered.
 * @param agencyId the agency chosen in the switcher (the first one when absent or unknown).
 */
export function accessOf(
  me: Pick<StaffMe, "roles" | "canEditDeploymentSettings">,
  agencyId?: string | null,
): Access {
  const agencies = agenciesOf(me);
  const current = agencies.find((a) => a.agencyId === agencyId) ?? agencies[0] ?? null;
  const has = (capability: CapabilityName) => (current ? grants(current.roles, capability) : false);
  const anywhere = (capability: CapabilityName) => agencies.some((a) => grants(a.roles, capability));
  return {
    agencies,
    current,
    canSeeRequests: current !== null,
    canRegister: has("registerRequests"),
    canHandle: has("handleAssignedRequests"),
    canSupervise: anywhere("superviseAgencies"),
    worksCases: anywhere("workOnRequests"),
    canEditCatalogue: has("editCatalogue"),
    canReadReports: has("readReports"),
    canWriteReports: has("writeReports"),
    canPublishReports: has("publishReports"),
    canReadSummary: has("readReportSummary"),
    canReadReviewCases: has("readReviewCases"),
    canWriteReviewCases: has("writeReviewCases"),
    canImportLedger: has("importLedger"),
    canExportLedger: has("exportLedger"),
    canEditCalendar: me.canEditDeploymentSettings === true,
    canManageUsers: has("manageUsers"),
    canReadAudit: has("readAudit"),
    canReadFeedback: has("readFeedback"),
    canRecordFollowUp: has("recordFollowUp"),
  };
}
