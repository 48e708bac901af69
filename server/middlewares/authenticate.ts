/**
 * Resolves the caller: a staff session cookie (with CSRF protection on writes) or an applicant bearer
 * token. Never rejects by itself; routes declare who may call them.
 */
import type { Middleware } from "koa";
import { Forbidden } from "../errors.ts";
import { Applicant, type ApplicantDoc } from "../models/Applicant.ts";
import { User, type UserDoc } from "../models/User.ts";
import { type Actor, anonymous, staffActor } from "../policies/actor.ts";
import { findSession } from "../services/sessions.ts";

/** Name of the staff session cookie. */
export const STAFF_COOKIE = "govinfo_staff";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "koa" {
  interface DefaultState {
    actor: Actor;
    /** The raw session token, for logout. */
    sessionToken?: string;
  }
}

/** Sets `ctx.state.actor` for every request. */
export function authenticate(): Middleware {
  return async (ctx, next) => {
    ctx.state.actor = anonymous;
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get("Authorization"))?.[1];
    // Most requests (citizens' public reads) carry no cookie; skip parsing the header set then.
    const cookie = ctx.get("Cookie") === "" ? undefined : ctx.cookies.get(STAFF_COOKIE);
    const token = bearer ?? cookie;
    if (token) {
      const session = await findSession(token);
      if (session?.kind === "applicant" && bearer && session.applicantId) {
        const applicant = await Applicant.findById(session.applicantId).lean<ApplicantDoc>();
        if (applicant) ctx.state.actor = { kind: "applicant", id: applicant._id, applicant };
      } else if (session?.kind === "staff" && !bearer && session.userId) {
        const user = await User.findById(session.userId).lean<UserDoc>();
        if (user && !user.disabled) {
          // Cookies ride along on cross-site requests; a write must also prove it read the token.
          if (!SAFE_METHODS.has(ctx.method) && ctx.get("X-CSRF-Token") !== session.csrfToken) {
            throw Forbidden("页面已过期，请刷新后重试（CSRF 校验失败）");
          }
          ctx.state.actor = await staffActor(user, session.csrfToken);
        }
      }
      if (ctx.state.actor.kind !== "anonymous") ctx.state.sessionToken = token;
    }
    await next();
  };
}
