/**
 * Login sessions: random tokens handed to the client, stored only as SHA-256 hashes.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Types } from "mongoose";
import { Session, type SessionDoc } from "../models/Session.ts";

/** Staff sessions end after 8 idle-free hours (a working day); applicant tokens last 30 days. */
export const SESSION_TTL_MS = { staff: 8 * 3600_000, applicant: 30 * 24 * 3600_000 } as const;

/** The hash under which a token is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/**
 * Opens a session and returns the token to hand out (never stored in the clear).
 * @param owner the staff user or the applicant.
 */
export async function openSession(
  owner: { kind: "staff"; userId: Types.ObjectId } | { kind: "applicant"; applicantId: Types.ObjectId },
  ip: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = owner.kind === "staff" ? randomBytes(24).toString("base64url") : "";
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS[owner.kind]);
  await Session.create({
    tokenHash: hashToken(token),
    kind: owner.kind,
    userId: owner.kind === "staff" ? owner.userId : null,
    applicantId: owner.kind === "applicant" ? owner.applicantId : null,
    csrfToken,
    expiresAt,
    ip,
  });
  return { token, csrfToken, expiresAt };
}

/** The live session of a token, or null. */
export async function findSession(token: string): Promise<SessionDoc | null> {
  if (token.length < 20 || token.length > 100) return null;
  const session = await Session.findOne({ tokenHash: hashToken(token) }).lean<SessionDoc>();
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return session;
}

/** Ends the session of a token (logout). */
export async function closeSession(token: string): Promise<void> {
  await Session.deleteOne({ tokenHash: hashToken(token) });
}

/** Ends every session of a staff user (password change, disabling). */
export async function closeUserSessions(userId: Types.ObjectId): Promise<void> {
  await Session.deleteMany({ userId });
}

/** Ends every session of a staff user except the one of `keepToken` (own password change). */
export async function closeOtherSessions(
  userId: Types.ObjectId,
  keepToken: string | undefined,
): Promise<void> {
  await Session.deleteMany(keepToken ? { userId, tokenHash: { $ne: hashToken(keepToken) } } : { userId });
}
