/**
 * Identity checks for intake forms: 居民身份证号码 (GB 11643-1999), 统一社会信用代码
 * (GB 32100-2015) and mainland mobile numbers, plus masking for lists and logs.
 */
import { isIsoDate } from "./calendar/date.ts";

/** Result of a validation: the normalised value, or a Chinese error message. */
export type CheckResult<T = { value: string }> = ({ ok: true } & T) | { ok: false; error: string };

/** Validates an 18-digit 居民身份证号码: format, province code, birth date and check digit. */
export function checkIdNumber(
  input: string,
): CheckResult<{ value: string; birthDate: string; sex: "male" | "female" }> {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) return { ok: false, error: "身份证号码应为18位" };
  if (!/^\d{17}[\dX]$/.test(value))
    return { ok: false, error: "身份证号码前17位应为数字，最后一位应为数字或X" };
  if (!PROVINCE_CODES.has(value.slice(0, 2))) return { ok: false, error: "身份证号码的地址码无效" };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isIsoDate(birthDate) || Number(value.slice(6, 10)) < 1900) {
    return { ok: false, error: "身份证号码中的出生日期无效" };
  }
  if (idCheckDigit(value.slice(0, 17)) !== value[17])
    return { ok: false, error: "身份证号码校验位错误，请核对" };
  return { ok: true, value, birthDate, sex: Number(value[16]) % 2 === 1 ? "male" : "female" };
}

/** GB 11643 check digit ('0'–'9' or 'X') for the first 17 digits. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? "";
}

/** Validates an 18-character 统一社会信用代码: alphabet, registration authority and check character. */
export function checkCreditCode(input: string): CheckResult {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) return { ok: false, error: "统一社会信用代码应为18位" };
  if (![...value].every((c) => USCC_CHARS.includes(c))) {
    return { ok: false, error: "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）" };
  }
  if (!/^[1-9A-HJ-NP-RTUWXY][1-9A-HJ-NP-RTUWXY]\d{6}/.test(value)) {
    return { ok: false, error: "统一社会信用代码的登记管理部门、机构类别或行政区划码无效" };
  }
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) {
    return { ok: false, error: "统一社会信用代码校验码错误，请核对" };
  }
  return { ok: true, value };
}

/** GB 32100 check character for the first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] ?? "") * (USCC_WEIGHTS[i] ?? 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] ?? "";
}

/** Validates a mainland mobile number (11 digits starting 13–19; optional +86 and separators). */
export function checkMobile(input: string): CheckResult {
  const value = input.replace(/[\s-]/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
  if (!/^1[3-9]\d{9}$/.test(value))
    return { ok: false, error: "手机号码格式不正确，应为11位中国大陆手机号码" };
  return { ok: true, value };
}

/** Masks an ID number for lists: keeps the 6-digit address code and the last 4 (110105********002X). */
export function maskIdNumber(value: string): string {
  if (value.length <= 10)
    return value.length <= 2
      ? "*".repeat(value.length)
      : `${value[0]}${"*".repeat(value.length - 2)}${value.at(-1)}`;
  return `${value.slice(0, 6)}${"*".repeat(value.length - 10)}${value.slice(-4)}`;
}

/** Masks a mobile number as 138****5678. */
export function maskPhone(value: string): string {
  if (value.length < 8) return "*".repeat(value.length);
  return `${value.slice(0, 3)}${"*".repeat(value.length - 7)}${value.slice(-4)}`;
}

/** Masks an e-mail address as z*******@example.com (the domain stays, as the phone keeps its prefix). */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf("@");
  if (at <= 0) return "*".repeat(value.length);
  return `${value[0]}${"*".repeat(Math.max(3, at - 1))}${value.slice(at)}`;
}

/** Masks a postal address, keeping only its first few characters (the region) as 青海省海东**********. */
export function maskAddress(value: string): string {
  const kept = Math.min(5, Math.floor(value.length / 3));
  return `${value.slice(0, kept)}${"*".repeat(value.length - kept)}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";
// GB/T 2260 province-level codes, incl. 71 台湾, 81 香港, 82 澳门 and 83 (港澳台居民居住证).
const PROVINCE_CODES = new Set([
  "11",
  "12",
  "13",
  "14",
  "15",
  "21",
  "22",
  "23",
  "31",
  "32",
  "33",
  "34",
  "35",
  "36",
  "37",
  "41",
  "42",
  "43",
  "44",
  "45",
  "46",
  "50",
  "51",
  "52",
  "53",
  "54",
  "61",
  "62",
  "63",
  "64",
  "65",
  "71",
  "81",
  "82",
  "83",
]);
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
