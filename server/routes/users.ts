/**
 * Staff users, managed by agency administrators and supervisors within their agencies.
 */
import { usersApi } from "@govinfo/shared/api/routes/users";
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
  return buildRouter("", [
    route({
      ...usersApi.list,
      summary: "本机关（监督人员：所辖机关）的工作人员及其角色",
      access: MANAGERS,
      handler: (ctx, { query }) => listUsers(staffOf(ctx), query.agencyId),
    }),
    route({
      ...usersApi.create,
      summary: "创建工作人员并授予角色（一次性密码只返回这一次）",
      access: MANAGERS,
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        return createUser(ctx, staffOf(ctx), body);
      },
    }),
    route({
      ...usersApi.setRoles,
      summary: "修改工作人员在本人管理的机关的角色",
      access: MANAGERS,
      handler: (ctx, { params, body }) => setRoles(ctx, staffOf(ctx), params.id, body.roles),
    }),
    route({
      ...usersApi.setContact,
      summary: "登记工作人员接收催办、超期预警的手机号码和微信（手机号码加密保存）",
      access: MANAGERS,
      handler: (ctx, { params, body }) => setContact(ctx, staffOf(ctx), params.id, body, services.cipher),
    }),
    route({
      ...usersApi.disable,
      summary: "停用工作人员账户（同时结束其所有登录）",
      access: MANAGERS,
      handler: async (ctx, { params }) => {
        await assertManagesWholeAccount(staffOf(ctx), params.id);
        return setDisabled(ctx, staffOf(ctx), params.id, true);
      },
    }),
    route({
      ...usersApi.enable,
      summary: "启用工作人员账户",
      access: MANAGERS,
      handler: async (ctx, { params }) => {
        await assertManagesWholeAccount(staffOf(ctx), params.id);
        return setDisabled(ctx, staffOf(ctx), params.id, false);
      },
    }),
    route({
      ...usersApi.resetPassword,
      summary: "重置密码（一次性密码只返回这一次，首次登录须修改）",
      access: MANAGERS,
      handler: async (ctx, { params }) => {
        await assertManagesWholeAccount(staffOf(ctx), params.id);
        return resetPassword(ctx, staffOf(ctx), params.id);
      },
    }),
  ]);
}
