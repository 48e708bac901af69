/**
 * Login and session schemas for staff (username and password) and applicants (WeChat or phone).
 */
import { z } from "zod";
import { checkMobile } from "../identity.ts";
import { subscribeKinds } from "../wechat/subscribe.ts";

/** Staff roles, granted per agency; a supervisor sees the agency's whole subtree. */
export const staffRoles = ["registrar", "handler", "reviewer", "signer", "admin", "supervisor"] as const;

/** A staff role. */
export type StaffRole = (typeof staffRoles)[number];

/** Chinese names of the staff roles. */
export const staffRoleLabels: Record<StaffRole, string> = {
  registrar: "登记人员",
  handler: "承办人员",
  reviewer: "审核人员",
  /** The leader who signs replies off (签发) where the agency's settings require it. */
  signer: "签发人员",
  admin: "机关管理员",
  supervisor: "监督管理人员",
};

/** Staff login. */
export const StaffLoginInput = z.object({
  username: z.string().trim().min(1, "请输入用户名").max(64, "用户名过长"),
  password: z.string().min(1, "请输入密码").max(256, "密码过长"),
});
export type StaffLoginInput = z.infer<typeof StaffLoginInput>;

/** A mainland mobile number. */
export const MobileNumber = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const result = checkMobile(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: "custom", message: result.error });
    return z.NEVER;
  });

/** Asks for a one-time login code by SMS (H5). */
export const OtpRequestInput = z.object({ phone: MobileNumber });
export type OtpRequestInput = z.infer<typeof OtpRequestInput>;

/** Logs in with the one-time code (H5). */
export const OtpVerifyInput = z.object({
  phone: MobileNumber,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "验证码为 6 位数字"),
});
export type OtpVerifyInput = z.infer<typeof OtpVerifyInput>;

/** Logs in with the code from `wx.login` (mini-program). */
export const WechatLoginInput = z.object({
  code: z.string().trim().min(1, "缺少登录凭证").max(128, "登录凭证无效"),
});
export type WechatLoginInput = z.infer<typeof WechatLoginInput>;

/** The subscribe-message templates the applicant just accepted in WeChat (one message each). */
export const WechatSubscriptionsInput = z.object({
  accepted: z
    .array(
      z.object({
        kind: z.enum(subscribeKinds, { error: "通知类别不正确" }),
        templateId: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]{16,64}$/, "订阅消息模板 ID 格式不正确"),
      }),
    )
    .min(1, "至少接受一类通知")
    .max(subscribeKinds.length, "通知类别过多"),
});
export type WechatSubscriptionsInput = z.infer<typeof WechatSubscriptionsInput>;

/** Staff member as the admin page sees itself. */
export interface StaffMe {
  kind: "staff";
  id: string;
  username: string;
  displayName: string;
  roles: { agencyId: string; agencyCode: string; agencyName: string; role: StaffRole }[];
  csrfToken: string;
  /** A supervisor of the root agency, who may change deployment-wide settings (the calendar). */
  canEditDeploymentSettings?: boolean;
  /** The password is a one-time password that must be changed before anything else. */
  mustChangePassword?: boolean;
}

/** Applicant as the mini-program sees itself. */
export interface ApplicantMe {
  kind: "applicant";
  id: string;
  displayName: string;
  phoneMasked: string | null;
}

/** The answer of an applicant's login: the bearer token, when it expires and who logged in. */
export interface ApplicantLoginDto {
  token: string;
  expiresAt: string;
  me: ApplicantMe;
}
