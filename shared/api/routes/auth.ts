/**
 * The wire contract of /api/auth: the server's `routes/auth.ts` attaches handlers to these, the
 * clients call them.
 */
import { z } from "zod";
import type { ApplicantLoginDto, ApplicantMe, StaffMe } from "../../schemas/auth.ts";
import {
  OtpRequestInput,
  OtpVerifyInput,
  StaffLoginInput,
  WechatLoginInput,
  WechatSubscriptionsInput,
} from "../../schemas/auth.ts";
import { PasswordChangeInput, type StaffContactDto, StaffContactInput } from "../../schemas/user.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The /api/auth endpoints. */
export const authApi = {
  staffLogin: endpoint({
    method: "post",
    path: "/auth/staff/login",
    body: StaffLoginInput,
    response: typedAs<StaffMe>(),
  }),
  logout: endpoint({
    method: "post",
    path: "/auth/logout",
    response: z.strictObject({ loggedOut: z.boolean() }),
  }),
  changePassword: endpoint({
    method: "post",
    path: "/auth/password",
    body: PasswordChangeInput,
    response: z.strictObject({ changed: z.boolean(), mustChangePassword: z.boolean() }),
  }),
  me: endpoint({ method: "get", path: "/auth/me", response: typedAs<StaffMe | ApplicantMe | null>() }),
  myContact: endpoint({ method: "get", path: "/auth/me/contact", response: typedAs<StaffContactDto>() }),
  updateMyContact: endpoint({
    method: "put",
    path: "/auth/me/contact",
    body: StaffContactInput,
    response: typedAs<StaffContactDto>(),
  }),
  wechatLogin: endpoint({
    method: "post",
    path: "/auth/wechat/login",
    body: WechatLoginInput,
    response: typedAs<ApplicantLoginDto>(),
  }),
  wechatSubscriptions: endpoint({
    method: "post",
    path: "/auth/wechat/subscriptions",
    body: WechatSubscriptionsInput,
  }),
  otpRequest: endpoint({
    method: "post",
    path: "/auth/otp/request",
    body: OtpRequestInput,
    response: z.strictObject({ sent: z.boolean() }),
  }),
  otpVerify: endpoint({
    method: "post",
    path: "/auth/otp/verify",
    body: OtpVerifyInput,
    response: typedAs<ApplicantLoginDto>(),
  }),
};
