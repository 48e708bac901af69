/**
 * Staff login with argon2 password hashes and a lockout after repeated failures.
 */
import argon2 from "argon2";
import { AppError } from "../errors.ts";
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
 *
 * A wrong password gets one answer whoever asks: the same message and shape for an unknown user, a
 * known one and a locked one, with no count of attempts left, so the answer never tells whether the
 * username exists. Only the right password of a locked account learns of the lock. Each failure is
 * one atomic `$inc` in the database (never read, add one, write back), so parallel wrong passwords
 * are all counted and lock the account like the same number tried one after another.
 * @returns the user on success.
 */
export async function verifyStaffLogin(username: string, password: string): Promise<UserDoc> {
  const user = await User.findOne({ username }).lean<UserDoc>();
  if (!user || user.disabled) {
    dummyHash ??= hashPassword("not a real password");
    await argon2.verify(await dummyHash, password).catch(() => false);
    throw badCredentials();
  }
  const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
  const now = Date.now();
  const locked = user.lockedUntil && user.lockedUntil.getTime() > now ? user.lockedUntil : null;
  if (!ok) {
    if (!locked) await countFailure(user, now);
    throw badCredentials();
  }
  if (locked) throw lockedError(locked);
  await User.updateOne(
    { _id: user._id },
    { $set: { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date(now) } },
  );
  return user;
}

/** The one answer to a wrong username or password. */
function badCredentials(): AppError {
  return new AppError("unauthorized", {
    message: "用户名或密码错误",
    details: { reason: "auth.bad_credentials" },
  });
}

/**
 * Adds one failure atomically; every fifth failure since the last successful login locks the account
 * (the count only grows until then, so failures racing with the locking one still count).
 */
async function countFailure(user: UserDoc, now: number): Promise<void> {
  const counted = await User.findOneAndUpdate(
    { _id: user._id },
    { $inc: { failedLogins: 1 } },
    { returnDocument: "after", projection: { failedLogins: 1 } },
  ).lean<{ failedLogins: number }>();
  if (!counted || counted.failedLogins % LOCKOUT.maxFailures !== 0) return;
  await User.updateOne({ _id: user._id }, { $set: { lockedUntil: new Date(now + LOCKOUT.lockMs) } });
}

function lockedError(until: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new AppError("forbidden", {
    message: `登录失败次数过多，账户已锁定，请 ${minutes} 分钟后再试`,
    details: { reason: "auth.locked", lockedUntil: until.toISOString() },
  });
}
