/**
 * Staff user administration by agency administrators and supervisors: every command is limited to
 * the agencies where the caller holds `admin` or `supervisor` (supervision covers the subtree), each
 * role granted or taken away is judged at its own agency by the grant policy (no one grants a power
 * they do not hold), and no command may leave an agency without an enabled administrator.
 */
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type {
  RoleGrantInput,
  StaffContactInput,
  UserCreateInput,
  UserDto,
  UserListDto,
  UserWithPasswordDto,
} from "@govinfo/shared/schemas/user";
import type { Context } from "koa";
import { Types } from "mongoose";
import { duplicateKeyAs } from "../db/duplicateKey.ts";
import { Conflict, Forbidden, NotFound } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { User, type UserDoc } from "../models/User.ts";
import { agenciesWith, type StaffActor } from "../policies/actor.ts";
import { grantRefusal, OUTSIDE_SCOPE, USER_MANAGERS } from "../policies/grants.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { audit } from "./audit.ts";
import { oneTimePassword } from "./passwords.ts";
import { closeUserSessions } from "./sessions.ts";
import { presentContact, updateContact } from "./staffContact.ts";
import { hashPassword } from "./staffLogin.ts";

/** The agencies whose users the caller manages. */
export function managedAgencies(actor: StaffActor): string[] {
  return agenciesWith(actor, USER_MANAGERS);
}

/** Lists the users with a role at the caller's agencies (or at one of them). */
export async function listUsers(actor: StaffActor, agencyId?: string): Promise<UserListDto> {
  const scope = managedAgencies(actor);
  if (agencyId && !scope.includes(agencyId)) throw Forbidden("您不能管理该机关的用户");
  const filterIds = (agencyId ? [agencyId] : scope).map((id) => new Types.ObjectId(id));
  const users = await User.find({ "roles.agencyId": { $in: filterIds } })
    .select({
      username: 1,
      displayName: 1,
      disabled: 1,
      mustChangePassword: 1,
      lastLoginAt: 1,
      roles: 1,
      phoneMasked: 1,
      wechatOpenid: 1,
    })
    .sort({ username: 1 })
    .limit(1000)
    .lean<UserDoc[]>();
  const names = await agencyNames(scope);
  return {
    items: users.map((user) => presentUser(user, names)),
    grantableAgencies: [...names.entries()].map(([id, agency]) => ({ id, ...agency })),
    abilities: { canCreate: scope.length > 0 },
  };
}

/** Creates a user with roles at the caller's agencies; the one-time password is returned once. */
export async function createUser(
  ctx: Context,
  actor: StaffActor,
  input: UserCreateInput,
): Promise<UserWithPasswordDto> {
  const scope = managedAgencies(actor);
  await assertGrantable(actor, input.roles);
  if (await User.exists({ username: input.username }))
    throw Conflict("user.username_taken", `用户名“${input.username}”已被使用`);
  const password = oneTimePassword();
  const user = await User.create({
    username: input.username,
    displayName: input.displayName,
    passwordHash: await hashPassword(password),
    mustChangePassword: true,
    roles: input.roles.map((grant) => ({ agencyId: new Types.ObjectId(grant.agencyId), role: grant.role })),
  }).catch(duplicateKeyAs(() => Conflict("user.username_taken", `用户名“${input.username}”已被使用`)));
  for (const agencyId of new Set(input.roles.map((grant) => grant.agencyId)))
    await audit(ctx, {
      action: "user.create",
      targetType: "user",
      targetId: user._id,
      agencyId,
      details: { username: input.username, roles: rolesAt(input.roles, agencyId) },
    });
  return {
    user: presentUser(user.toObject() as UserDoc, await agencyNames(scope)),
    oneTimePassword: password,
  };
}

/** Replaces the user's roles at the caller's agencies; roles elsewhere are kept. */
export async function setRoles(
  ctx: Context,
  actor: StaffActor,
  userId: string,
  grants: RoleGrantInput[],
): Promise<UserDto> {
  const scope = managedAgencies(actor);
  if (grants.some((grant) => !scope.includes(grant.agencyId))) throw Forbidden(OUTSIDE_SCOPE);
  const user = await loadManaged(scope, userId);
  const inside = user.roles.filter((grant) => scope.includes(String(grant.agencyId)));
  const outside = user.roles.filter((grant) => !scope.includes(String(grant.agencyId)));
  await assertGrantable(actor, changedGrants(inside, grants));
  const next = [
    ...outside,
    ...grants.map((grant) => ({ agencyId: new Types.ObjectId(grant.agencyId), role: grant.role })),
  ];
  const losing = adminAgencies(user.roles).filter((id) => !adminAgencies(next).includes(id));
  if (!user.disabled) await assertAdminsRemain(user._id, losing, actor);
  await User.updateOne({ _id: user._id }, { $set: { roles: next } });
  const touched = new Set([
    ...user.roles.map((g) => String(g.agencyId)).filter((id) => scope.includes(id)),
    ...grants.map((g) => g.agencyId),
  ]);
  for (const agencyId of touched) {
    const before = rolesAt(user.roles, agencyId);
    const after = rolesAt(next, agencyId);
    if (before.join() === after.join()) continue;
    await audit(ctx, {
      action: "user.roles",
      targetType: "user",
      targetId: user._id,
      agencyId,
      details: { username: user.username, before, after },
    });
  }
  return presentUser({ ...user, roles: next }, await agencyNames(scope));
}

/** Disables (ending every session) or enables a user. */
export async function setDisabled(
  ctx: Context,
  actor: StaffActor,
  userId: string,
  disabled: boolean,
): Promise<UserDto> {
  const scope = managedAgencies(actor);
  const user = await loadManaged(scope, userId);
  if (disabled && user._id.equals(actor.id)) throw Conflict("user.self_disable", "不能停用自己的账户");
  if (disabled) await assertAdminsRemain(user._id, adminAgencies(user.roles), actor);
  await User.updateOne({ _id: user._id }, { $set: { disabled } });
  if (disabled) await closeUserSessions(user._id);
  await auditInScope(ctx, scope, user, disabled ? "user.disable" : "user.enable");
  return presentUser({ ...user, disabled }, await agencyNames(scope));
}

/** Sets where 催办 and 超期预警 reach a user of the caller's agencies (the phone sealed). */
export async function setContact(
  ctx: Context,
  actor: StaffActor,
  userId: string,
  input: StaffContactInput,
  cipher: PersonalDataCipher,
): Promise<UserDto> {
  const scope = managedAgencies(actor);
  const user = await loadManaged(scope, userId);
  const inScope = [...new Set(user.roles.map((g) => String(g.agencyId)).filter((id) => scope.includes(id)))];
  await updateContact(ctx, user, input, cipher, inScope);
  const saved = await loadManaged(scope, userId);
  return presentUser(saved, await agencyNames(scope));
}

/** Sets a new one-time password (returned once), unlocks the account and ends its sessions. */
export async function resetPassword(
  ctx: Context,
  actor: StaffActor,
  userId: string,
): Promise<UserWithPasswordDto> {
  const scope = managedAgencies(actor);
  const user = await loadManaged(scope, userId);
  const password = oneTimePassword();
  await User.updateOne(
    { _id: user._id },
    {
      $set: {
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
      },
    },
  );
  await closeUserSessions(user._id);
  await auditInScope(ctx, scope, user, "user.password_reset");
  return {
    user: presentUser({ ...user, mustChangePassword: true }, await agencyNames(scope)),
    oneTimePassword: password,
  };
}

function presentUser(
  user: Omit<UserDoc, "roles"> & { roles: readonly { agencyId: Types.ObjectId; role: StaffRole }[] },
  names: Map<string, { code: string; name: string }>,
): UserDto {
  return {
    id: String(user._id),
    username: user.username,
    displayName: user.displayName,
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    contact: presentContact(user),
    roles: user.roles
      .filter((grant) => names.has(String(grant.agencyId)))
      .map((grant) => ({
        agencyId: String(grant.agencyId),
        agencyName: names.get(String(grant.agencyId))?.name ?? "",
        role: grant.role,
      })),
  };
}

async function agencyNames(ids: string[]): Promise<Map<string, { code: string; name: string }>> {
  const agencies = await Agency.find({ _id: { $in: ids } }, { code: 1, name: 1 })
    .sort({ code: 1 })
    .lean();
  return new Map(agencies.map((agency) => [String(agency._id), { code: agency.code, name: agency.name }]));
}

/** Throws 403 unless the grant policy lets `actor` grant (or remove) each of `grants` at its agency. */
async function assertGrantable(actor: StaffActor, grants: readonly RoleGrantInput[]): Promise<void> {
  const ids = [...new Set(grants.map((grant) => grant.agencyId))];
  const agencies = await Agency.find({ _id: { $in: ids } }, { parentId: 1 }).lean();
  const parents = new Map(agencies.map((agency) => [String(agency._id), agency.parentId]));
  for (const grant of grants) {
    const parentId = parents.get(grant.agencyId);
    const target = { id: grant.agencyId, parentId: parentId ? String(parentId) : null };
    const refusal = grantRefusal(actor, target, grant.role);
    if (refusal) throw Forbidden(refusal);
  }
}

/**
 * The grants added or removed when `before` (the user's roles at the caller's agencies) becomes
 * `after`: a role kept as it was is not granted again, so an administrator may edit the other roles
 * of a user whom a city supervisor made a supervisor.
 */
function changedGrants(
  before: readonly { agencyId: Types.ObjectId; role: StaffRole }[],
  after: readonly RoleGrantInput[],
): RoleGrantInput[] {
  const key = (grant: { agencyId: unknown; role: string }) => `${String(grant.agencyId)}:${grant.role}`;
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  return [
    ...after.filter((grant) => !had.has(key(grant))),
    ...before
      .filter((grant) => !has.has(key(grant)))
      .map((grant) => ({ agencyId: String(grant.agencyId), role: grant.role })),
  ];
}

async function loadManaged(scope: string[], userId: string): Promise<UserDoc> {
  const user = await User.findOne({
    _id: new Types.ObjectId(userId),
    "roles.agencyId": { $in: scope.map((id) => new Types.ObjectId(id)) },
  }).lean<UserDoc>();
  if (!user) throw NotFound("user");
  return user;
}

/**
 * Resetting the password, disabling and enabling act on the whole account, which may hold roles at
 * agencies the caller does not manage (a city supervisor who also handles cases at a bureau). Only
 * someone who manages every one of those agencies may do them: otherwise a bureau administrator could
 * reset the city supervisor's password and log in with the one-time password.
 */
export async function assertManagesWholeAccount(actor: StaffActor, userId: string): Promise<void> {
  const scope = new Set(managedAgencies(actor));
  const user = await User.findById(new Types.ObjectId(userId), { roles: 1 }).lean();
  // A user outside the caller's agencies stays a 404 (from the service), so ids reveal nothing.
  if (!user?.roles.some((grant) => scope.has(String(grant.agencyId)))) return;
  if (user.roles.some((grant) => !scope.has(String(grant.agencyId))))
    throw Forbidden(
      "该工作人员在您管理范围以外的机关也有角色，只有同时管理这些机关的人员才能重置其密码或停用、启用其账户",
    );
}

function adminAgencies(grants: { agencyId: Types.ObjectId; role: string }[]): string[] {
  return grants.filter((grant) => grant.role === "admin").map((grant) => String(grant.agencyId));
}

function rolesAt(grants: { agencyId: Types.ObjectId | string; role: string }[], agencyId: string): string[] {
  return grants
    .filter((grant) => String(grant.agencyId) === agencyId)
    .map((grant) => grant.role)
    .sort();
}

async function assertAdminsRemain(
  userId: Types.ObjectId,
  agencyIds: string[],
  actor: StaffActor,
): Promise<void> {
  for (const agencyId of agencyIds) {
    const others = await User.countDocuments({
      _id: { $ne: userId },
      disabled: false,
      roles: { $elemMatch: { agencyId: new Types.ObjectId(agencyId), role: "admin" } },
    });
    if (others > 0) continue;
    const agency = await Agency.findById(agencyId, { name: 1 }).lean();
    const who = userId.equals(actor.id) ? "您是" : "该用户是";
    throw Conflict("user.last_admin", `${who}“${agency?.name ?? "该机关"}”唯一的机关管理员，不能移除或停用`);
  }
}

async function auditInScope(ctx: Context, scope: string[], user: UserDoc, action: string): Promise<void> {
  const agencies = new Set(user.roles.map((g) => String(g.agencyId)).filter((id) => scope.includes(id)));
  for (const agencyId of agencies)
    await audit(ctx, {
      action,
      targetType: "user",
      targetId: user._id,
      agencyId,
      details: { username: user.username },
    });
}
