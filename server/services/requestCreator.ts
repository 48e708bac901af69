/**
 * Creates applications: online submissions by applicants and registrations by staff. The serial
 * number is taken from a per-agency, per-year counter in the same transaction as the insert, so
 * numbers are gap-free even when two registrations race.
 */
import { maskIdNumber, maskPhone } from "@govinfo/shared/identity";
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import type { State } from "@govinfo/shared/lifecycle/machine";
import type { RequestRegisterInput, RequestSubmitInput } from "@govinfo/shared/schemas/request";
import type { ClientSession, Types } from "mongoose";
import mongoose from "mongoose";
import { AppError, NotFound, ValidationFailed } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import { Counter } from "../models/Counter.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../models/DisclosureRequest.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { audit } from "./audit.ts";
import { dateInChina } from "./calendar.ts";
import { newQueryCode } from "./lookup.ts";
import { clockOf } from "./requestClock.ts";
import type { EventActor } from "./requestTransitioner.ts";

/** The number printed on letters: <prefix>依申〔<year>〕<seq>号. */
export function formatSerial(
  agency: Pick<AgencyDoc, "code" | "serialPrefix">,
  year: number,
  seq: number,
): string {
  return `${agency.serialPrefix || agency.code}依申〔${year}〕${seq}号`;
}

/**
 * Takes the next serial number of an agency's year inside a transaction.
 * @param session the transaction the new record is inserted in.
 */
export async function nextSerial(
  agencyId: Types.ObjectId,
  year: number,
  session: ClientSession,
): Promise<number> {
  const counter = await Counter.findOneAndUpdate(
    { _id: `request:${String(agencyId)}:${year}` },
    { $inc: { value: 1 } },
    { upsert: true, returnDocument: "after", session },
  ).lean<{ value: number }>();
  return counter?.value ?? 1;
}

type Intake = Omit<RequestSubmitInput, "agencyId"> & { agencyId: string };

/** Seals the applicant's personal fields and keeps masked copies for lists. */
export function sealApplicant(applicant: Intake["applicant"], cipher: PersonalDataCipher) {
  const idNumber = applicant.idNumber.trim().toUpperCase();
  return {
    type: applicant.type,
    name: applicant.name,
    idType: applicant.idType,
    idNumberSealed: cipher.encrypt(idNumber),
    idNumberMasked: maskIdNumber(idNumber),
    phoneSealed: cipher.encrypt(applicant.phone),
    phoneMasked: maskPhone(applicant.phone),
    addressSealed: cipher.encrypt(applicant.address),
    email: applicant.email,
    contactPerson: applicant.contactPerson,
  };
}

/**
 * Creates an application and its first event in one transaction.
 * @param first the creation event: `submit` (online, awaiting confirmation) or `register` (received).
 */
export async function createRequest(args: {
  intake: Intake;
  first: { type: "submit" | "register"; date: string; channel: Channel };
  actor: EventActor;
  applicantAccountId: Types.ObjectId | null;
  cipher: PersonalDataCipher;
  ctx?: import("koa").Context | null;
  today?: string;
}): Promise<DisclosureRequestDoc> {
  const today = args.today ?? dateInChina();
  if (args.first.date > today)
    throw ValidationFailed([{ path: "receiptDate", message: `收到日期不能晚于今天（${today}）` }]);
  const agency = await Agency.findById(args.intake.agencyId).lean<AgencyDoc>();
  if (!agency) throw NotFound("agency", "受理机关不存在");
  const year = Number(args.first.date.slice(0, 4));
  const event: StoredEvent = {
    type: args.first.type,
    date: args.first.date,
    at: new Date(),
    actorKind: args.actor.kind,
    actorId: args.actor.id,
    actorName: args.actor.name,
    payload: { channel: args.first.channel },
  };
  const clock = await clockOf({ events: [event], channel: args.first.channel }, today);
  let created: DisclosureRequestDoc | undefined;
  await mongoose.connection.transaction(async (session) => {
    const seq = await nextSerial(agency._id, year, session);
    const [doc] = await DisclosureRequest.create(
      [
        {
          agencyId: agency._id,
          year,
          seq,
          serialNo: formatSerial(agency, year, seq),
          channel: args.first.channel,
          state: (args.first.type === "submit" ? "submitted" : "received") as State,
          applicantAccountId: args.applicantAccountId,
          queryCode: newQueryCode(),
          applicant: sealApplicant(args.intake.applicant, args.cipher),
          description: args.intake.description,
          documentNumber: args.intake.documentNumber,
          infoForm: args.intake.infoForm,
          delivery: args.intake.delivery,
          events: [event],
          receiptDate: clock.receiptDate,
          dueDate: clock.dueDate,
        },
      ],
      { session },
    );
    if (!doc) throw new AppError("internal_error");
    await audit(
      args.ctx ?? null,
      {
        action: `request.${args.first.type}`,
        targetType: "request",
        targetId: doc._id,
        agencyId: agency._id,
        details: { serialNo: doc.serialNo },
      },
      session,
    );
    created = doc.toObject() as DisclosureRequestDoc;
  });
  if (!created) throw new AppError("internal_error");
  return created;
}

/** Convenience for routes: an online submission. */
export function submitOnline(
  input: RequestSubmitInput,
  actor: EventActor & { id: Types.ObjectId },
  cipher: PersonalDataCipher,
  ctx: import("koa").Context,
) {
  return createRequest({
    intake: input,
    first: { type: "submit", date: dateInChina(), channel: "online" },
    actor,
    applicantAccountId: actor.id,
    cipher,
    ctx,
  });
}

/** Convenience for routes: a registration by staff with channel and receipt date. */
export function registerByStaff(
  input: RequestRegisterInput,
  actor: EventActor,
  cipher: PersonalDataCipher,
  ctx: import("koa").Context,
) {
  return createRequest({
    intake: input,
    first: { type: "register", date: input.receiptDate, channel: input.channel },
    actor,
    applicantAccountId: null,
    cipher,
    ctx,
  });
}

/**
 * Inserts an application received on the day of its first (`register`) event, copying the content and
 * the sealed applicant of `source`, inside the caller's transaction: the receiving agency's copy of a
 * 转办, or (demo data) a repeat of an earlier application.
 * @returns the new application.
 */
export async function insertReceivedCopy(args: {
  agency: Pick<AgencyDoc, "_id" | "code" | "serialPrefix">;
  source: Pick<
    DisclosureRequestDoc,
    "applicantAccountId" | "applicant" | "description" | "documentNumber" | "infoForm" | "delivery"
  >;
  channel: Channel;
  first: StoredEvent;
  transferredFromId?: Types.ObjectId | null;
  session: ClientSession;
}): Promise<DisclosureRequestDoc> {
  const { agency, source, first, session } = args;
  const year = Number(first.date.slice(0, 4));
  const seq = await nextSerial(agency._id, year, session);
  const clock = await clockOf({ events: [first], channel: args.channel }, first.date);
  const [doc] = await DisclosureRequest.create(
    [
      {
        agencyId: agency._id,
        year,
        seq,
        serialNo: formatSerial(agency, year, seq),
        channel: args.channel,
        state: "received" as State,
        applicantAccountId: source.applicantAccountId ?? null,
        queryCode: newQueryCode(),
        applicant: source.applicant,
        description: source.description,
        documentNumber: source.documentNumber,
        infoForm: source.infoForm,
        delivery: source.delivery,
        events: [first],
        receiptDate: clock.receiptDate,
        dueDate: clock.dueDate,
        transferredFromId: args.transferredFromId ?? null,
      },
    ],
    { session },
  );
  if (!doc) throw new AppError("internal_error");
  return doc.toObject() as DisclosureRequestDoc;
}
