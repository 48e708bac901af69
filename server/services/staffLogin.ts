/**
 * Staff login with argon2 password hashes and a lockout after repeated failures.
 */
import argon2 from "argon2";
import { AppError, Unauthorized } from "../errors.ts";
import { User, type UserDoc } from "../models/User.ts";

/** Failures in a row that lock an account, and for how long. */
export const LOCKOUT = { maxFailures: 5, lockMs: 15 * 60_000 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against a dummy hash for unknown users keeps response times from revealing which usernames exist.
let dummyHash: Promise<string> | null = null;

/**
 * Checks a username and password; counts failures and locks the account after too many.
 * @returns the user on success.
 */
export async function verifyStaffLogin(username: string, password: string): Promise<UserDoc> {
  const user = await User.findOne({ username }).lean<UserDoc>();
  if (!user || user.disabled) {
    dummyHash ??= hashPassword("not a real password");
    await argon2.verify(await dummyHash, password).catch(() => false);
    throw Unauthorized("用户名或密码错误");
  }
  const now = Date.now();
  if (user.lockedUntil && user.lockedUntil.getTime() > now) throw lockedError(user.lockedUntil);
  const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
  if (!ok) {
    const failures = user.failedLogins + 1;
    const lock = failures >= LOCKOUT.maxFailures ? new Date(now + LOCKOUT.lockMs) : null;
    await User.updateOne(
      { _id: user._id },
      { $set: { failedLogins: lock ? 0 : failures, lockedUntil: lock } },
    );
    if (lock) throw lockedError(lock);
    const left = LOCKOUT.maxFailures - failures;
    throw new AppError("unauthorized", {
      message: `用户名或密码错误，再错 ${left} 次账户将被锁定 ${LOCKOUT.lockMs / 60_000} 分钟`,
      details: { reason: "auth.bad_credentials", attemptsLeft: left },
    });
  }
  await User.updateOne(
    { _id: user._id },
    { $set: { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date(now) } },
  );
  return user;
}

function lockedError(until: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new AppError("forbidden", {
    message: `登录失败次数过多，账户已锁定，请 ${minutes} 分钟后再试`,
    details: { reason: "auth.locked", lockedUntil: until.toISOString() },
  });
}
