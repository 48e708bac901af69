/**
 * Calls of the 系统 page: users and roles, the agency tree, the audit log.
 */
import { agenciesApi } from "@govinfo/shared/api/routes/agencies";
import { auditApi } from "@govinfo/shared/api/routes/audit";
import { usersApi } from "@govinfo/shared/api/routes/users";
import type { AgencyCreateInput, AgencyUpdateInput } from "@govinfo/shared/schemas/agency";
import type { RoleGrantInput, StaffContactInput, UserCreateInput } from "@govinfo/shared/schemas/user";
import { api } from "../../api.ts";

/** Filters of the audit log. */
export interface AuditFilters {
  agencyId?: string;
  action?: string;
  targetType?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

/** System calls. */
export const systemService = {
  users: () => api.call(usersApi.list),
  createUser: (input: UserCreateInput) => api.call(usersApi.create, { body: input }),
  setRoles: (id: string, roles: RoleGrantInput[]) =>
    api.call(usersApi.setRoles, { params: { id }, body: { roles } }),
  setDisabled: (id: string, disabled: boolean) =>
    api.call(disabled ? usersApi.disable : usersApi.enable, { params: { id } }),
  setContact: (id: string, input: StaffContactInput) =>
    api.call(usersApi.setContact, { params: { id }, body: input }),
  resetPassword: (id: string) => api.call(usersApi.resetPassword, { params: { id } }),
  agencyTree: () => api.call(agenciesApi.tree),
  createAgency: (input: AgencyCreateInput) => api.call(agenciesApi.create, { body: input }),
  updateAgency: (id: string, input: AgencyUpdateInput) =>
    api.call(agenciesApi.update, { params: { id }, body: input }),
  audit: (filters: AuditFilters) => {
    const query: Record<string, string> = { limit: "20" };
    for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
    return api.call(auditApi.list, { query });
  },
};
