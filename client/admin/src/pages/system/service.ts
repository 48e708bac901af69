/**
 * Calls of the 系统 page: users and roles, the agency tree, the audit log.
 */
import type { AgencyCreateInput, AgencyNodeDto, AgencyUpdateInput } from "@govinfo/shared/schemas/agency";
import type { AuditEventDto } from "@govinfo/shared/schemas/audit";
import type { Page } from "@govinfo/shared/schemas/common";
import type {
  RoleGrantInput,
  StaffContactInput,
  UserCreateInput,
  UserDto,
  UserListDto,
  UserWithPasswordDto,
} from "@govinfo/shared/schemas/user";
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
  users: () => api.get<UserListDto>("/users"),
  createUser: (input: UserCreateInput) => api.post<UserWithPasswordDto>("/users", input),
  setRoles: (id: string, roles: RoleGrantInput[]) => api.put<UserDto>(`/users/${id}/roles`, { roles }),
  setDisabled: (id: string, disabled: boolean) =>
    api.post<UserDto>(`/users/${id}/${disabled ? "disable" : "enable"}`),
  setContact: (id: string, input: StaffContactInput) => api.put<UserDto>(`/users/${id}/contact`, input),
  resetPassword: (id: string) => api.post<UserWithPasswordDto>(`/users/${id}/reset-password`),
  agencyTree: () => api.get<AgencyNodeDto[]>("/agencies/tree"),
  createAgency: (input: AgencyCreateInput) => api.post<AgencyNodeDto>("/agencies", input),
  updateAgency: (id: string, input: AgencyUpdateInput) => api.patch<AgencyNodeDto>(`/agencies/${id}`, input),
  audit: (filters: AuditFilters) => {
    const query: Record<string, string> = { limit: "20" };
    for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
    return api.get<Page<AuditEventDto>>("/audit", query);
  },
};
