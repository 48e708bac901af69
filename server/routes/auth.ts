/**
 * Login and logout for staff (cookie session with CSRF token) and applicants (bearer token).
 */

import { authApi } from "@govinfo/shared/api/routes/auth";
import { checkMobile } from "@govinfo/shared/identity";
import type { Context } from "koa";
import type { AppServices } from "../app.ts";
import { STAFF_COOKIE } from "../middlewares/authenticate.ts";
import { rateLimit } from "../middlewares/rateLimit.ts";
import { staffActor } from "../policies/actor.ts";
import { presentApplicantMe, presentStaffMe } from "../presenters/me.ts";
import { loginWithCode, loginWithWechat, sendLoginCode } from "../services/applicantLogin.ts";
import { audit } from "../services/audit.ts";
import { changeOwnPassword } from "../services/passwords.ts";
import { closeSession, openSession, SESSION_TTL_MS } from "../services/sessions.ts";
import { ownContact, updateContact } from "../services/staffContact.ts";
import { verifyStaffLogin } from "../services/staffLogin.ts";
import { recordSubscriptions } from "../services/wechatSubscriptions.ts";
import { access, applicantOf, buildRouter, route, staffOf } from "./define.ts";

/** The /api/auth router. */
export function createAuthRouter(services: AppServices) {
  return buildRouter("", [
    route({
      ...authApi.staffLogin,
      summary: "工作人员登录",
      access: access.public,
      before: [rateLimit({ name: "staff-login", max: 20, windowMs: 60_000 })],
      handler: async (ctx, { body }) => {
        const user = await verifyStaffLogin(body.username, body.password);
        const session = await openSession({ kind: "staff", userId: user._id }, ctx.ip);
        ctx.cookies.set(STAFF_COOKIE, session.token, {
          httpOnly: true,
          sameSite: "strict",
          secure: services.secureCookies,
          path: "/",
          maxAge: SESSION_TTL_MS.staff,
        });
        ctx.state.actor = await staffActor(user, session.csrfToken);
        await audit(ctx, { action: "auth.login", targetType: "user", targetId: user._id });
        return { ...(await presentStaffMe(ctx.state.actor)), mustChangePassword: user.mustChangePassword };
      },
    }),
    route({
      ...authApi.logout,
      summary: "退出登录",
      access: access.anyLoggedIn,
      handler: async (ctx) => {
        if (ctx.state.sessionToken) await closeSession(ctx.state.sessionToken);
        ctx.cookies.set(STAFF_COOKIE, null, { path: "/" });
        return { loggedOut: true };
      },
    }),
    route({
      ...authApi.changePassword,
      summary: "修改本人密码（首次登录须先修改一次性密码）",
      access: access.staffChangingPassword,
      before: [rateLimit({ name: "password-change", max: 10, windowMs: 10 * 60_000 })],
      handler: async (ctx, { body }) => {
        const actor = staffOf(ctx);
        await changeOwnPassword(ctx, actor.user, body, ctx.state.sessionToken);
        return { changed: true, mustChangePassword: false };
      },
    }),
    route({
      ...authApi.me,
      summary: "当前登录用户",
      access: access.anyLoggedIn,
      handler: async (ctx) => {
        const actor = ctx.state.actor;
        if (actor.kind === "staff")
          return { ...(await presentStaffMe(actor)), mustChangePassword: actor.user.mustChangePassword };
        if (actor.kind === "applicant") return presentApplicantMe(actor, services.cipher);
        return null;
      },
    }),
    route({
      ...authApi.myContact,
      summary: "我的账号：本人接收催办、超期预警的手机号码（脱敏）和微信",
      access: access.staff(),
      handler: (ctx) => ownContact(staffOf(ctx).id),
    }),
    route({
      ...authApi.updateMyContact,
      summary: "我的账号：登记本人接收催办、超期预警的手机号码和微信（手机号码加密保存）",
      access: access.staff(),
      handler: async (ctx, { body }) => {
        const actor = staffOf(ctx);
        const agencies = [...new Set(actor.user.roles.map((grant) => String(grant.agencyId)))];
        return updateContact(ctx, actor.user, body, services.cipher, agencies);
      },
    }),
    route({
      ...authApi.wechatLogin,
      summary: "微信小程序登录（code2Session）",
      access: access.public,
      before: [rateLimit({ name: "wechat-login", max: 30, windowMs: 60_000 })],
      handler: async (ctx, { body }) => {
        const applicant = await loginWithWechat(body.code, services.wechat);
        const session = await openSession({ kind: "applicant", applicantId: applicant._id }, ctx.ip);
        return {
          token: session.token,
          expiresAt: session.expiresAt,
          me: presentApplicantMe({ kind: "applicant", id: applicant._id, applicant }, services.cipher),
        };
      },
    }),
    route({
      ...authApi.wechatSubscriptions,
      summary: "记录申请人同意接收的微信订阅消息（每次同意可接收一条）",
      access: access.applicant,
      before: [rateLimit({ name: "wechat-subscriptions", max: 30, windowMs: 60_000 })],
      handler: async (ctx, { body }) => {
        const stored = await recordSubscriptions(applicantOf(ctx).id, body.accepted);
        return { stored };
      },
    }),
    route({
      ...authApi.otpRequest,
      summary: "获取手机验证码",
      access: access.public,
      before: [
        rateLimit({ name: "otp-ip", max: 10, windowMs: 10 * 60_000 }),
        rateLimit({ name: "otp-phone", max: 1, windowMs: 60_000, key: requestedPhone }),
        // One a minute still lets a script text a stranger's phone 1,440 times a day.
        rateLimit({ name: "otp-phone-day", max: 10, windowMs: 24 * 60 * 60_000, key: requestedPhone }),
      ],
      handler: async (_ctx, { body }) => {
        await sendLoginCode(body.phone, services.cipher, services.sms);
        return { sent: true };
      },
    }),
    route({
      ...authApi.otpVerify,
      summary: "手机验证码登录",
      access: access.public,
      before: [rateLimit({ name: "otp-verify", max: 20, windowMs: 10 * 60_000 })],
      handler: async (ctx, { body }) => {
        const applicant = await loginWithCode(body.phone, body.code, services.cipher);
        const session = await openSession({ kind: "applicant", applicantId: applicant._id }, ctx.ip);
        return {
          token: session.token,
          expiresAt: session.expiresAt,
          me: presentApplicantMe({ kind: "applicant", id: applicant._id, applicant }, services.cipher),
        };
      },
    }),
  ]);
}

/**
 * The per-phone limit counts the number, not how it was typed: "139 0000 0101", "+86 13900000101" and
 * "139-0000-0101" reach the same phone, so keying on the raw text would let anyone flood one phone with
 * codes by varying the spelling.
 */
function requestedPhone(ctx: Context): string {
  const text = String((ctx.request.body as { phone?: unknown } | undefined)?.phone ?? "");
  const checked = checkMobile(text);
  return checked.ok ? checked.value : text;
}
