/**
 * Staff users, managed by agency administrators and supervisors within their agencies.
 */
import { usersApi } from "@govinfo/shared/api/routes/users";
import { Types } from "mongoose";
import { Forbidden } from "../errors.ts";
import { User } from "../models/User.ts";
import type { StaffActor } from "../policies/actor.ts";
import {
  createUser,
  listUsers,
  managedAgencies,
  resetPassword,
  setDisabled,
  setRoles,
} from "../services/userAdmin.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

const MANAGERS = access.staff("admin", "supervisor");

/** The /api/users router. */
export function createUsersRouter() {
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

/**
 * Resetting the password, disabling and enabling act on the whole account, which may hold roles at
 * agencies the caller does not manage (a city supervisor who also handles cases at a bureau). Only
 * someone who manages every one of those agencies may do them: otherwise a bureau administrator could
 * reset the city supervisor's password and log in with the one-time password.
 */
async function assertManagesWholeAccount(actor: StaffActor, userId: string): Promise<void> {
  const scope = new Set(managedAgencies(actor));
  const user = await User.findById(new Types.ObjectId(userId), { roles: 1 }).lean();
  // A user outside the caller's agencies stays a 404 (from the service), so ids reveal nothing.
  if (!user?.roles.some((grant) => scope.has(String(grant.agencyId)))) return;
  if (user.roles.some((grant) => !scope.has(String(grant.agencyId))))
    throw Forbidden(
      "该工作人员在您管理范围以外的机关也有角色，只有同时管理这些机关的人员才能重置其密码或停用、启用其账户",
    );
}
