/**
 * The inputs and the text model shared by every letter builder, and the small helpers they use
 * (Chinese dates, the law's name, the events a letter reads). Pure: no I/O.
 */
import type { ClockResult } from "@govinfo/shared/calendar/clock";
import { type LetterKind, type LetterModelDto, letterKindLabels } from "@govinfo/shared/schemas/documents";
import type { OutcomeKey } from "@govinfo/shared/stats/keys";
import { Conflict } from "../../errors.ts";

/** The editable text model of a letter (what the preview returns and `renderDocx` prints). */
export type LetterModel = LetterModelDto;

/** One stored event as letters read it. */
export interface LetterEvent {
  type: string;
  date: string;
  payload?: Record<string, unknown> | null;
}

/** The part of an application letters read. */
export interface LetterRequest {
  serialNo: string;
  channel: string;
  description: string;
  documentNumber?: string | null;
  outcome?: string | null;
  receiptDate?: string | null;
  applicant: { name: string };
  events: readonly LetterEvent[];
  /** 查询码 printed on the 登记回执 (absent for imported records). */
  queryCode?: string | null;
  /** Titles of the files delivered to the applicant with the reply (its 附件), in upload order. */
  attachments?: readonly string[];
}

/** The part of an agency letters read. */
export interface LetterAgency {
  name: string;
  /** Its 行政复议机关 (`services/reviewBody.ts`); absent: the department rule's generic wording. */
  reviewOrgan?: {
    rule: "department" | "government" | "vertical";
    /** Printed for decisions from 2024-01-01: the override, else the derived name; null = generic. */
    name: string | null;
    /** Derived from the tree (for decisions before 2024-01-01 of a government or vertical organ). */
    derivedName?: string | null;
    /** The 本级人民政府 of a department (for decisions before 2024-01-01). */
    levelGovernmentName?: string | null;
    overridden: boolean;
  } | null;
  letterhead?: {
    title?: string | null;
    address?: string | null;
    phone?: string | null;
    postcode?: string | null;
  } | null;
}

/** The clock fields letters print: the due date as of the letter's event. */
export type LetterClock = Pick<ClockResult, "dueDate" | "receiptDate"> &
  Partial<Pick<ClockResult, "feePaymentDueDate">>;

/** Inputs a letter may need beyond the stored application. */
export interface LetterExtra {
  /** Outcome of a reply drafted before the decision is recorded (preview). */
  outcome?: OutcomeKey;
  /** 成文日期 'YYYY-MM-DD' when no event dates the letter (a draft reply); defaults to today. */
  today?: string;
  /** How to pay the fee (缴费方式), when the agency states its own. */
  paymentMethod?: string;
  /** Withheld parts of redacted files, one sentence per ground (a 部分公开 reply lists them). */
  withheldParts?: string[];
  /** What the clerk typed in the decision dialog, for a draft reply (as the decide event will store it). */
  draft?: { documentNumber?: string; note?: string; ground?: string };
  /**
   * 合并答复: every application the one reply answers, this one included, in 编号 order, each with its
   * own decision (a reply letter then answers each in turn).
   */
  merged?: MergedLetterPart[];
}

/** One application of a 合并答复 as its letter reads it. */
export interface MergedLetterPart {
  request: LetterRequest;
  receiptDate: string;
  outcome: OutcomeKey;
  event: LetterEvent;
  withheldParts: string[];
}

/** Builds one kind of letter. */
export type LetterBuilder = (
  request: LetterRequest,
  agency: LetterAgency,
  clock: LetterClock,
  extra: LetterExtra,
) => LetterModel;

/** The full name of the regulation with the abbreviation used afterwards. */
export const LAW_FULL = "《中华人民共和国政府信息公开条例》（以下简称《条例》）";

/** 'YYYY-MM-DD' → '2025年3月3日' (Arabic numerals, as GB/T 9704-2012 prints 成文日期). */
export function chineseDate(iso: string): string {
  const [year, month, day] = iso.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

/** Chinese ordinal list markers: 一、二、… (up to 99). */
export function chineseOrdinal(n: number): string {
  const digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
  if (n < 10) return digits[n] ?? String(n);
  const tens = Math.floor(n / 10);
  const units = n % 10;
  return `${tens === 1 ? "" : (digits[tens] ?? "")}十${digits[units] ?? ""}`;
}

/** Index of the last event of one of `types`, or -1. */
export function lastEventIndex(request: LetterRequest, types: readonly string[]): number {
  for (let i = request.events.length - 1; i >= 0; i--) {
    const event = request.events[i];
    if (event && types.includes(event.type)) return i;
  }
  return -1;
}

/** A payload field as text ('' when absent). */
export function payloadText(event: LetterEvent | undefined, field: string): string {
  const value = event?.payload?.[field];
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** The letter cannot be written yet (its event has not happened); 409 with the reason. */
export function letterNotReady(message: string): Error {
  return Conflict("letter.not_ready", message);
}

/** The receipt date or a refusal: every letter but a draft speaks about a received application. */
export function receivedOn(request: LetterRequest, clock: LetterClock, kind: LetterKind): string {
  const date = clock.receiptDate ?? request.receiptDate;
  if (!date) throw letterNotReady(`尚未确认收到该申请，不能出具${letterKindLabels[kind]}`);
  return date;
}

/** The opening sentence shared by the letters to the applicant. */
export function openingSentence(request: LetterRequest, receiptDate: string): string {
  const number = request.documentNumber ? `（文号：${request.documentNumber}）` : "";
  return `${chineseDate(receiptDate)}，本机关收到您提出的政府信息公开申请（申请编号：${request.serialNo}），申请获取“${request.description}”${number}。`;
}

/** The parts of the model every letter shares (letterhead, issuer, 文号). */
export function letterFrame(
  request: LetterRequest,
  agency: LetterAgency,
): Pick<LetterModel, "documentNumber" | "issuer" | "letterhead"> {
  const head = agency.letterhead ?? {};
  return {
    documentNumber: request.serialNo,
    issuer: agency.name,
    letterhead: {
      organ: head.title?.trim() || agency.name,
      address: head.address ?? "",
      phone: head.phone ?? "",
      postcode: head.postcode ?? "",
    },
  };
}
