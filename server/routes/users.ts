/**
 * Staff users, managed by agency administrators and supervisors within their agencies.
 */
import {
  StaffContactInput,
  UserCreateInput,
  UserListQuery,
  UserParams,
  UserRolesInput,
} from "@govinfo/shared/schemas/user";
import type { AppServices } from "../app.ts";
import {
  assertManagesWholeAccount,
  createUser,
  listUsers,
  resetPassword,
  setContact,
  setDisabled,
  setRoles,
} from "../services/userAdmin.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

const MANAGERS = access.staff("manageUsers");

/** The /api/users router. */
export function createUsersRouter(services: AppServices) {
  return buildRouter("/users", [
    route({
      method: "get",
      path: "/",
      summary: "本机关（监督人员：所辖机关）的工作人员及其角色",
      access: MANAGERS,
      query: UserListQuery,
      handler: (ctx, { query }) => listUsers(staffOf(ctx), query.agencyId),
    }),
    route({
      method: "post",
      path: "/",
      summary: "创建工作人员并授予角色（一次性密码只返回这一次）",
      access: MANAGERS,
      body: UserCreateInput,
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        return createUser(ctx, staffOf(ctx), body);
      },
    }),
    route({
      method: "put",
      path: "/:id/roles",
      summary: "修改工作人员在本人管理的机关的角色",
      access: MANAGERS,
      params: UserParams,
      body: UserRolesInput,
      handler: (ctx, { params, body }) => setRoles(ctx, staffOf(ctx), params.id, body.roles),
    }),
    route({
      method: "put",
      path: "/:id/contact",
      summary: "登记工作人员接收催办、超期预警的手机号码和微信（手机号码加密保存）",
      access: MANAGERS,
      params: UserParams,
      body: StaffContactInput,
      handler: (ctx, { params, body }) => setContact(ctx, staffOf(ctx), params.id, body, services.cipher),
    }),
    route({
      method: "post",
      path: "/:id/disable",
      summary: "停用工作人员账户（同时结束其所有登录）",
      access: MANAGERS,
      params: UserParams,
      handler: async (ctx, { params }) => {
        await assertManagesWholeAccount(staffOf(ctx), params.id);
        return setDisabled(ctx, staffOf(ctx), params.id, true);
      },
    }),
    route({
      method: "post",
      path: "/:id/enable",
      summary: "启用工作人员账户",
      access: MANAGERS,
      params: UserParams,
      handler: async (ctx, { params }) => {
        await assertManagesWholeAccount(staffOf(ctx), params.id);
        return setDisabled(ctx, staffOf(ctx), params.id, false);
      },
    }),
    route({
      method: "post",
      path: "/:id/reset-password",
      summary: "重置密码（一次性密码只返回这一次，首次登录须修改）",
      access: MANAGERS,
      params: UserParams,
      handler: async (ctx, { params }) => {
        await assertManagesWholeAccount(staffOf(ctx), params.id);
        return resetPassword(ctx, staffOf(ctx), params.id);
      },
    }),
  ]);
}
