/**
 * The wire contract of /api/users: the server's `routes/users.ts` attaches handlers to these, the
 * clients call them.
 */
import type { UserDto, UserListDto, UserWithPasswordDto } from "../../schemas/user.ts";
import {
  StaffContactInput,
  UserCreateInput,
  UserListQuery,
  UserParams,
  UserRolesInput,
} from "../../schemas/user.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/users endpoints. */
export const usersApi = {
  list: endpoint({ method: "get", path: "/users", query: UserListQuery, response: typedAs<UserListDto>() }),
  create: endpoint({
    method: "post",
    path: "/users",
    body: UserCreateInput,
    response: typedAs<UserWithPasswordDto>(),
  }),
  setRoles: endpoint({
    method: "put",
    path: "/users/:id/roles",
    body: UserRolesInput,
    params: UserParams,
    response: typedAs<UserDto>(),
  }),
  setContact: endpoint({
    method: "put",
    path: "/users/:id/contact",
    body: StaffContactInput,
    params: UserParams,
    response: typedAs<UserDto>(),
  }),
  disable: endpoint({
    method: "post",
    path: "/users/:id/disable",
    params: UserParams,
    response: typedAs<UserDto>(),
  }),
  enable: endpoint({
    method: "post",
    path: "/users/:id/enable",
    params: UserParams,
    response: typedAs<UserDto>(),
  }),
  resetPassword: endpoint({
    method: "post",
    path: "/users/:id/reset-password",
    params: UserParams,
    response: typedAs<UserWithPasswordDto>(),
  }),
};
