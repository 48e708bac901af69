/**
 * 查询码: every application gets a random code at submission or registration (printed with a QR code on
 * the 登记回执). Anyone holding the code and the applicant's name, or the last four digits of the phone
 * on file, may follow the application; a logged-in applicant whose phone matches the one on file may
 * link it to their account. A wrong code, a wrong name and a missing application all give the same
 * answer, so guesses never reveal whether a code exists.
 */
import { randomInt, timingSafeEqual } from "node:crypto";
import {
  type EventType,
  eventLabels,
  internalEvents,
  isClosed,
  type State,
  stateLabels,
} from "@govinfo/shared/lifecycle/machine";
import {
  type LookupInput,
  type LookupResultDto,
  QUERY_CODE_ALPHABET,
  QUERY_CODE_LENGTH,
} from "@govinfo/shared/schemas/lookup";
import type { Context } from "koa";
import { AppError, Conflict, Forbidden } from "../errors.ts";
import { Agency } from "../models/Agency.ts";
import { Applicant } from "../models/Applicant.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../models/DisclosureRequest.ts";
import type { ApplicantActor } from "../policies/actor.ts";
import { summarize } from "../presenters/request.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { audit } from "./audit.ts";
import { dateInChina } from "./calendar.ts";
import { clockOf } from "./requestClock.ts";

/**
 * A fresh 查询码 (uniformly random over the alphabet). Collisions at ~59 bits are not a practical
 * concern; the unique index still refuses one rather than letting two applications share a code.
 */
export function newQueryCode(): string {
  let code = "";
  for (let i = 0; i < QUERY_CODE_LENGTH; i++)
    code += QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)];
  return code;
}

/** The one answer for a wrong code, a wrong name or phone, and a missing application. */
export function lookupMiss(): AppError {
  return new AppError("not_found", {
    message: "未查询到相符的申请，请核对查询码和申请人姓名（或手机号码后4位）",
    details: { resource: "lookup" },
  });
}

/** Equal strings in time independent of where they differ (names are short; lengths may leak). */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The name as people type it: no spaces, full-width letters folded (“李 四” = “李四”). */
function foldName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

/**
 * Loads the application a lookup names, or throws `lookupMiss()` when the code is unknown or the name
 * or phone digits do not match the applicant on file.
 */
export async function findByLookup(
  input: LookupInput,
  cipher: PersonalDataCipher,
): Promise<DisclosureRequestDoc> {
  const doc = await DisclosureRequest.findOne({ queryCode: input.code }).lean<DisclosureRequestDoc>();
  if (!doc) throw lookupMiss();
  const byName = input.name ? sameText(foldName(input.name), foldName(doc.applicant.name)) : false;
  let byPhone = false;
  if (!byName && input.phoneLast4 && doc.applicant.phoneSealed) {
    const phone = cipher.decrypt(doc.applicant.phoneSealed);
    byPhone = phone.length >= 4 && sameText(phone.slice(-4), input.phoneLast4);
  }
  if (!byName && !byPhone) throw lookupMiss();
  return doc;
}

/** What a lookup shows: state, timeline, clock and the letters issued to the applicant; nothing personal. */
export async function presentLookup(
  doc: DisclosureRequestDoc,
  today = dateInChina(),
): Promise<LookupResultDto> {
  const [agency, clock] = await Promise.all([
    Agency.findById(doc.agencyId, { name: 1 }).lean<{ name: string }>(),
    clockOf(doc, today),
  ]);
  const state = doc.state as State;
  const closed = isClosed(state);
  return {
    queryCode: doc.queryCode ?? "",
    serialNo: doc.serialNo,
    agencyName: agency?.name ?? "",
    description: doc.description,
    state,
    stateLabel: stateLabels[state],
    receiptDate: clock.receiptDate,
    dueDate: closed ? null : clock.dueDate,
    workingDaysLeft: closed || clock.dueDate === null ? null : clock.workingDaysLeft,
    overdue: !closed && clock.overdue,
    paused: !closed && clock.paused,
    closed,
    timeline: (doc.events as StoredEvent[])
      .filter((event) => !internalEvents.includes(event.type as EventType))
      .map((event) => ({
        type: event.type as EventType,
        label: eventLabels[event.type as EventType] ?? event.type,
        date: event.date,
        summary: summarize(event, false),
      })),
    letters: doc.documents
      .filter((d) => d.forApplicant)
      .map((d) => ({
        id: String(d._id),
        title: d.title,
        filename: d.filename,
        size: d.size,
        issuedAt: new Date(d.issuedAt).toISOString(),
      })),
    linked: doc.applicantAccountId !== null && doc.applicantAccountId !== undefined,
    ...(doc.transferredFromId || doc.transferredToId ? { transfers: await lookupTransfers(doc) } : {}),
  };
}

/** The applications a 转办 links to `doc`, as a lookup shows them. */
async function lookupTransfers(
  doc: Pick<DisclosureRequestDoc, "transferredFromId" | "transferredToId">,
): Promise<NonNullable<LookupResultDto["transfers"]>> {
  const out: NonNullable<LookupResultDto["transfers"]> = [];
  for (const [direction, id] of [
    ["from", doc.transferredFromId],
    ["to", doc.transferredToId],
  ] as const) {
    if (!id) continue;
    const other = await DisclosureRequest.findById(id, {
      serialNo: 1,
      agencyId: 1,
      state: 1,
      queryCode: 1,
    }).lean<Pick<DisclosureRequestDoc, "serialNo" | "agencyId" | "state" | "queryCode">>();
    if (!other) continue;
    const agency = await Agency.findById(other.agencyId, { name: 1 }).lean<{ name: string }>();
    out.push({
      direction,
      serialNo: other.serialNo,
      agencyName: agency?.name ?? "",
      stateLabel: stateLabels[other.state as State],
      queryCode: other.queryCode ?? "",
    });
  }
  return out;
}

/**
 * Links an application found by lookup to the logged-in applicant, after checking that the account's
 * phone is the phone on file (so a code alone never hands an application to someone else).
 */
export async function linkByLookup(
  actor: ApplicantActor,
  input: LookupInput,
  cipher: PersonalDataCipher,
  ctx: Context,
): Promise<DisclosureRequestDoc> {
  const doc = await findByLookup(input, cipher);
  if (doc.applicantAccountId && String(doc.applicantAccountId) === String(actor.id)) return doc;
  if (doc.applicantAccountId)
    throw Conflict("lookup.linked_elsewhere", "该申请已关联到其他账户，无法重复关联");
  const account = await Applicant.findById(actor.id, { phoneSealed: 1 }).lean<{ phoneSealed?: string }>();
  const accountPhone = account?.phoneSealed ? cipher.decrypt(account.phoneSealed) : "";
  const filedPhone = doc.applicant.phoneSealed ? cipher.decrypt(doc.applicant.phoneSealed) : "";
  if (!accountPhone) throw Forbidden("请先使用手机号码登录并完成验证，再关联申请");
  if (!filedPhone || !sameText(accountPhone, filedPhone)) {
    throw Forbidden("您登录的手机号码与申请登记的联系电话不一致，不能关联该申请");
  }
  const updated = await DisclosureRequest.findOneAndUpdate(
    { _id: doc._id, applicantAccountId: null },
    { $set: { applicantAccountId: actor.id } },
    { returnDocument: "after" },
  ).lean<DisclosureRequestDoc>();
  if (!updated) throw Conflict("lookup.linked_elsewhere", "该申请已关联到其他账户，无法重复关联");
  await audit(ctx, {
    action: "request.link",
    targetType: "request",
    targetId: doc._id,
    agencyId: doc.agencyId,
    details: { serialNo: doc.serialNo },
  });
  return updated;
}
