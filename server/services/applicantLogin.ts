/**
 * Applicant login: WeChat mini-program (`wx.login` code → code2Session → openid) and H5 (phone and a
 * one-time code). Both find or create the applicant account.
 */
import { createHash, randomInt } from "node:crypto";
import { maskPhone } from "@govinfo/shared/identity";
import { AppError, BadRequest, ServiceUnavailable, Unauthorized } from "../errors.ts";
import { Applicant, type ApplicantDoc } from "../models/Applicant.ts";
import { OtpCode } from "../models/OtpCode.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import type { SmsSender } from "./notify/sms.ts";

/** WeChat credentials and API origin. */
export interface WechatSettings {
  appId: string | undefined;
  secret: string | undefined;
  apiBase: string;
}

const OTP_TTL_MS = 5 * 60_000;
const OTP_MAX_ATTEMPTS = 5;

/**
 * Exchanges a `wx.login` code for the applicant's openid and returns their account.
 * @param settings appid, secret and the API origin (a fake server in tests).
 */
export async function loginWithWechat(code: string, settings: WechatSettings): Promise<ApplicantDoc> {
  if (!settings.appId || !settings.secret) {
    throw new AppError("service_unavailable", {
      message: "微信登录尚未配置，请使用手机号登录",
      details: { reason: "wechat.not_configured" },
    });
  }
  const url = new URL("/sns/jscode2session", settings.apiBase);
  url.search = new URLSearchParams({
    appid: settings.appId,
    secret: settings.secret,
    js_code: code,
    grant_type: "authorization_code",
  }).toString();
  let payload: { openid?: string; errcode?: number; errmsg?: string };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    payload = (await response.json()) as typeof payload;
  } catch (error) {
    throw ServiceUnavailable(5, error);
  }
  if (!payload.openid || (payload.errcode && payload.errcode !== 0))
    throw Unauthorized("微信登录失败，请重试");
  const applicant = await Applicant.findOneAndUpdate(
    { openid: payload.openid },
    { $setOnInsert: { openid: payload.openid, displayName: "微信用户" } },
    { upsert: true, returnDocument: "after" },
  ).lean<ApplicantDoc>();
  return applicant as ApplicantDoc;
}

/** Sends a six-digit login code to a phone (replacing any earlier code). */
export async function sendLoginCode(
  phone: string,
  cipher: PersonalDataCipher,
  sms: SmsSender,
): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await OtpCode.findOneAndUpdate(
    { phoneIndex: cipher.blindIndex(phone) },
    { $set: { codeHash: hashCode(phone, code), attempts: 0, expiresAt: new Date(Date.now() + OTP_TTL_MS) } },
    { upsert: true },
  );
  await sms.send(
    phone,
    `【政府信息公开】您的登录验证码为 ${code}，5分钟内有效。如非本人操作，请忽略本短信。`,
  );
}

/** Checks a login code and returns the phone's applicant account (created on first login). */
export async function loginWithCode(
  phone: string,
  code: string,
  cipher: PersonalDataCipher,
): Promise<ApplicantDoc> {
  const phoneIndex = cipher.blindIndex(phone);
  const otp = await OtpCode.findOne({ phoneIndex }).lean();
  if (!otp || otp.expiresAt.getTime() <= Date.now()) throw BadRequest("验证码已失效，请重新获取");
  if (otp.attempts >= OTP_MAX_ATTEMPTS) {
    await OtpCode.deleteOne({ _id: otp._id });
    throw BadRequest("验证码错误次数过多，请重新获取");
  }
  if (otp.codeHash !== hashCode(phone, code)) {
    await OtpCode.updateOne({ _id: otp._id }, { $inc: { attempts: 1 } });
    throw new AppError("validation_error", {
      message: "验证码错误",
      details: { fields: [{ path: "code", message: "验证码错误" }] },
    });
  }
  await OtpCode.deleteOne({ _id: otp._id });
  const applicant = await Applicant.findOneAndUpdate(
    { phoneIndex },
    { $setOnInsert: { phoneIndex, phoneSealed: cipher.encrypt(phone), displayName: maskPhone(phone) } },
    { upsert: true, returnDocument: "after" },
  ).lean<ApplicantDoc>();
  return applicant as ApplicantDoc;
}

function hashCode(phone: string, code: string): string {
  return createHash("sha256").update(`${phone}:${code}`).digest("base64url");
}
