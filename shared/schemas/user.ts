/**
 * Staff user management: list, create with roles per agency, change roles, disable, reset the
 * password (each reset hands out a one-time password once), and the user's own password change.
 */
import { z } from "zod";
import { checkMobile } from "../identity.ts";
import { type StaffRole, staffRoles } from "./auth.ts";
import { ObjectIdString } from "./common.ts";

/** Shortest staff password a user may choose. */
export const MIN_PASSWORD_LENGTH = 10;

/** A password a staff member chooses: at least 10 characters with letters and digits. */
export const NewPassword = z
  .string({ error: "请输入新密码" })
  .min(MIN_PASSWORD_LENGTH, `新密码至少 ${MIN_PASSWORD_LENGTH} 位`)
  .max(128, "新密码不能超过 128 位")
  .refine((value) => /[A-Za-z]/.test(value) && /\d/.test(value), "新密码须同时包含字母和数字");

/** One role at one agency. */
export const RoleGrantInput = z.object({
  agencyId: ObjectIdString,
  role: z.enum(staffRoles, { error: "角色无效" }),
});
export type RoleGrantInput = z.infer<typeof RoleGrantInput>;

const Grants = z
  .array(RoleGrantInput, { error: "请选择角色" })
  .max(50, "角色过多")
  .transform((grants) => {
    const seen = new Set<string>();
    return grants.filter((grant) => {
      const key = `${grant.agencyId}:${grant.role}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

/** Query of GET /users. */
export const UserListQuery = z.object({ agencyId: ObjectIdString.optional() });
export type UserListQuery = z.infer<typeof UserListQuery>;

/** Path parameter `:id` of a user. */
export const UserParams = z.object({ id: ObjectIdString });

/** Body of POST /users. */
export const UserCreateInput = z.object({
  username: z
    .string({ error: "请填写用户名" })
    .trim()
    .regex(/^[A-Za-z0-9._-]{2,64}$/, "用户名只能使用 2 至 64 个字母、数字、点、下划线或连字符"),
  displayName: z.string({ error: "请填写姓名" }).trim().min(1, "请填写姓名").max(40, "姓名不能超过 40 个字"),
  roles: Grants.refine((grants) => grants.length > 0, "请至少选择一个角色"),
});
export type UserCreateInput = z.infer<typeof UserCreateInput>;

/** A WeChat openid as WeChat issues it per app: 28 letters, digits, "-" or "_". */
export const WECHAT_OPENID_PATTERN = /^[A-Za-z0-9_-]{28}$/;

/**
 * Body of PUT /auth/me/contact and PUT /users/:id/contact: where 催办 and 超期预警 reach a staff member.
 * A field left out stays as it is; an empty one is cleared.
 */
export const StaffContactInput = z.object({
  phone: z
    .string({ error: "手机号码应为文字" })
    .trim()
    .max(20, "手机号码格式不正确，应为11位中国大陆手机号码")
    .transform((value, ctx) => {
      if (value === "") return "";
      const result = checkMobile(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: "custom", message: result.error });
      return z.NEVER;
    })
    .optional(),
  wechatOpenid: z
    .string({ error: "微信用户标识（openid）应为文字" })
    .trim()
    .refine(
      (value) => value === "" || WECHAT_OPENID_PATTERN.test(value),
      "微信用户标识（openid）格式不正确，应为微信返回的28位字母、数字、“-”或“_”",
    )
    .optional(),
});
export type StaffContactInput = z.infer<typeof StaffContactInput>;

/** Where reminders reach a staff member, as shown back (the phone masked). */
export interface StaffContactDto {
  phoneMasked: string | null;
  wechatOpenidMasked: string | null;
}

/** Body of PUT /users/:id/roles: the user's roles at the caller's agencies (others are kept). */
export const UserRolesInput = z.object({ roles: Grants });
export type UserRolesInput = z.infer<typeof UserRolesInput>;

/** Body of POST /auth/password. */
export const PasswordChangeInput = z
  .object({
    currentPassword: z.string({ error: "请输入当前密码" }).min(1, "请输入当前密码").max(256, "密码过长"),
    newPassword: NewPassword,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    error: "新密码不能与当前密码相同",
    path: ["newPassword"],
  });
export type PasswordChangeInput = z.infer<typeof PasswordChangeInput>;

/** A staff user as the admin page lists it (roles limited to the caller's agencies). */
export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  roles: { agencyId: string; agencyName: string; role: StaffRole }[];
  /** Where 催办 and 超期预警 reach the person (masked). */
  contact: StaffContactDto;
}

/** An agency where the caller may grant roles. */
export interface GrantableAgencyDto {
  id: string;
  code: string;
  name: string;
}

/** The answer of GET /users: the users and what the caller may do. */
export interface UserListDto {
  items: UserDto[];
  grantableAgencies: GrantableAgencyDto[];
  abilities: { canCreate: boolean };
}

/** A user with the one-time password (shown once, after create or reset). */
export interface UserWithPasswordDto {
  user: UserDto;
  oneTimePassword: string;
}
