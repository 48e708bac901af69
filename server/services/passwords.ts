/**
 * Staff passwords: one-time passwords handed out by the CLI and by administrators, and a user's own
 * change of password (which clears `mustChangePassword` and ends their other sessions).
 */
import { randomInt } from "node:crypto";
import argon2 from "argon2";
import type { Context } from "koa";
import { ValidationFailed } from "../errors.ts";
import { User, type UserDoc } from "../models/User.ts";
import { audit } from "./audit.ts";
import { closeOtherSessions } from "./sessions.ts";
import { hashPassword } from "./staffLogin.ts";

/**
 * A random 14-character password without look-alike characters (0/O, 1/l/I), so it survives being
 * read aloud or copied by hand. Always contains letters and digits.
 */
export function oneTimePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  for (;;) {
    let password = "";
    for (let i = 0; i < 14; i++) password += alphabet[randomInt(alphabet.length)];
    if (/\d/.test(password) && /[A-Za-z]/.test(password)) return password;
  }
}

/**
 * Changes the caller's own password after checking the current one.
 * @param keepToken the session token of the caller, which stays open.
 */
export async function changeOwnPassword(
  ctx: Context,
  user: UserDoc,
  input: { currentPassword: string; newPassword: string },
  keepToken: string | undefined,
): Promise<void> {
  const fresh = await User.findById(user._id, { passwordHash: 1 }).lean();
  const ok = fresh
    ? await argon2.verify(fresh.passwordHash, input.currentPassword).catch(() => false)
    : false;
  if (!ok) throw ValidationFailed([{ path: "currentPassword", message: "当前密码不正确" }]);
  await User.updateOne(
    { _id: user._id },
    { $set: { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false } },
  );
  await closeOtherSessions(user._id, keepToken);
  await audit(ctx, { action: "user.password_change", targetType: "user", targetId: user._id });
}
