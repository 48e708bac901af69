/**
 * Where 催办 and 超期预警 reach a staff member (the outbox's SMS and WeChat channels): the mobile,
 * sealed with the data key like an applicant's phone and shown only masked, and the bound WeChat
 * openid. Set by the person in 我的账号 or by an administrator of their agency; every change is audited
 * (which fields changed, never the values).
 */
import { maskPhone } from "@govinfo/shared/identity";
import type { StaffContactDto, StaffContactInput } from "@govinfo/shared/schemas/user";
import type { Context } from "koa";
import type { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { User, type UserDoc } from "../models/User.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { audit } from "./audit.ts";

/**
 * The contact as shown back: the phone masked, the openid with its middle hidden.
 * @param user the stored fields.
 */
export function presentContact(user: Pick<UserDoc, "phoneMasked" | "wechatOpenid">): StaffContactDto {
  const openid = user.wechatOpenid ?? "";
  return {
    phoneMasked: user.phoneMasked || null,
    wechatOpenidMasked: openid ? `${openid.slice(0, 4)}****${openid.slice(-4)}` : null,
  };
}

/**
 * The person's own contact.
 * @param userId the staff member.
 */
export async function ownContact(userId: Types.ObjectId): Promise<StaffContactDto> {
  const user = await User.findById(userId, { phoneMasked: 1, wechatOpenid: 1 }).lean<UserDoc>();
  if (!user) throw NotFound("user");
  return presentContact(user);
}

/**
 * Stores a contact change (fields left out stay as they are) and audits it at each agency given.
 * @param ctx the request (for the audit entry).
 * @param user the staff member changed.
 * @param input the validated change.
 * @param cipher seals the phone.
 * @param agencyIds the agencies whose audit log records the change.
 */
export async function updateContact(
  ctx: Context,
  user: Pick<UserDoc, "_id" | "username" | "phoneMasked" | "wechatOpenid">,
  input: StaffContactInput,
  cipher: PersonalDataCipher,
  agencyIds: readonly string[],
): Promise<StaffContactDto> {
  const set: Record<string, string> = {};
  if (input.phone !== undefined) {
    set.phoneSealed = input.phone ? cipher.encrypt(input.phone) : "";
    set.phoneMasked = input.phone ? maskPhone(input.phone) : "";
  }
  if (input.wechatOpenid !== undefined) set.wechatOpenid = input.wechatOpenid;
  const changed = [
    ...(input.phone !== undefined ? ["phone"] : []),
    ...(input.wechatOpenid !== undefined ? ["wechatOpenid"] : []),
  ];
  if (changed.length === 0) return presentContact(user);
  await User.updateOne({ _id: user._id }, { $set: set });
  for (const agencyId of agencyIds.length > 0 ? agencyIds : [null])
    await audit(ctx, {
      action: "user.contact",
      targetType: "user",
      targetId: user._id,
      agencyId,
      details: { username: user.username, changed },
    });
  return presentContact({
    phoneMasked: set.phoneMasked ?? user.phoneMasked,
    wechatOpenid: set.wechatOpenid ?? user.wechatOpenid,
  });
}
