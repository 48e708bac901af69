/**
 * Turns the demo plans into records exactly as the product makes them: each application through
 * `createRequest`, each step through `fireEvent` with its historical date as "today", staff steps by
 * the demo staff, online steps by the applicant's account. Deadline expiries are left to the real
 * jobs, run once at the end as the scheduler would on its first tick.
 */
import { addDays, type IsoDate } from "@govinfo/shared/calendar/date";
import { addWorkingDays, type CalendarOverrides, isWorkingDay } from "@govinfo/shared/calendar/workdays";
import { type Channel, channelsNeedingConfirmation } from "@govinfo/shared/lifecycle/channels";
import {
  closedStates,
  historyOf,
  noSignOffPolicy,
  type SignOffPolicy,
  signOffStage,
  signOffStepsFor,
} from "@govinfo/shared/lifecycle/machine";
import type { Random } from "@govinfo/shared/random";
import { RequestRegisterInput } from "@govinfo/shared/schemas/request";
import type { ApplicantType, OutcomeKey } from "@govinfo/shared/stats/keys";
import type { Types } from "mongoose";
import { expireCorrections } from "../jobs/expireCorrections.ts";
import { expireFees } from "../jobs/expireFees.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import { Applicant } from "../models/Applicant.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../models/DisclosureRequest.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { createRequest } from "../services/requestCreator.ts";
import { type EventActor, fireEvent } from "../services/requestTransitioner.ts";
import {
  type CasePlan,
  carryOverCases,
  closedCases,
  type Delivery,
  openCases,
  type StepContext,
} from "./cases.ts";
import { type DemoApplicant, demoApplicant } from "./people.ts";
import type { DemoStaff } from "./staff.ts";

/** What the request seeder needs. */
export interface DemoRequestContext {
  agency: AgencyDoc;
  staff: DemoStaff;
  cipher: PersonalDataCipher;
  /** The day of the first start; every date stays on or before it. */
  today: IsoDate;
  random: Random;
  overrides: CalendarOverrides;
  /** Stops between applications when aborted. */
  signal?: AbortSignal;
}

/**
 * Creates the demo applications of last year and this year, oldest first (so serial numbers follow
 * the receipt dates), then lets the expiry jobs close what lapsed.
 * @returns the stored applications.
 */
export async function seedDemoRequests(context: DemoRequestContext): Promise<DisclosureRequestDoc[]> {
  const scheduled = schedule(context);
  const replyCounters = new Map<number, number>();
  const replyNumber = (date: IsoDate) => {
    const year = Number(date.slice(0, 4));
    const next = (replyCounters.get(year) ?? 0) + 1;
    replyCounters.set(year, next);
    return `${context.agency.serialPrefix}依复〔${year}〕${next}号`;
  };
  await Agency.updateOne({ _id: context.agency._id }, { $set: { signOffPolicy: demoSignOffPolicy } });
  for (const { plan, start } of scheduled) {
    if (context.signal?.aborted) break;
    await seedOne(context, plan, start, replyNumber);
  }
  // As the scheduler's first tick would: close what lapsed (逾期不补正, 逾期未缴费) on the right dates.
  const now = new Date(`${context.today}T12:00:00+08:00`);
  if (!context.signal?.aborted) {
    await expireCorrections(now);
    await expireFees(now);
  }
  if (!context.signal?.aborted) await assignOpenWork(context);
  return DisclosureRequest.find({ agencyId: context.agency._id })
    .sort({ year: 1, seq: 1 })
    .lean<DisclosureRequestDoc[]>();
}

/** The bureau's sign-off setting: 予以公开 needs 审核; 部分公开 and 不予公开 need 签发 as well. */
const demoSignOffPolicy: SignOffPolicy = {
  ...noSignOffPolicy,
  granted: "review",
  partial: "signOff",
  withheld: "signOff",
};

/**
 * Gives the received open applications to the handler, as the registrar would, except the newest
 * one: the handler's 我的申请 has work and the dashboard shows one still to distribute. Online
 * submissions waiting for 确认收到 stay unassigned. The handler has accepted (签收) all but the most
 * recent assignment, which waits for 签收; one older assignment came back (退回) for the registrar.
 */
async function assignOpenWork(context: DemoRequestContext): Promise<void> {
  const open = await DisclosureRequest.find(
    { agencyId: context.agency._id, state: { $nin: [...closedStates, "submitted"] } },
    { _id: 1 },
  )
    .sort({ year: 1, seq: 1 })
    .lean<{ _id: Types.ObjectId }[]>();
  const assigned = open.slice(0, -1).map((r) => r._id);
  if (assigned.length === 0) return;
  await DisclosureRequest.updateMany(
    { _id: { $in: assigned } },
    { $set: { assigneeId: context.staff.handler.id, assignmentStatus: "accepted" } },
  );
  const waiting = assigned.at(-1);
  if (waiting) await DisclosureRequest.updateOne({ _id: waiting }, { $set: { assignmentStatus: "pending" } });
  const returned = assigned.length > 4 ? assigned[0] : undefined;
  if (returned) {
    await DisclosureRequest.updateOne(
      { _id: returned },
      {
        $set: {
          assigneeId: null,
          assignmentStatus: "returned",
          assignmentReturn: {
            reason: "该申请涉及辐射安全许可，不属于本科室承办范围，请改派辐射安全科",
            byName: context.staff.handler.name,
            at: new Date(`${context.today}T09:30:00+08:00`),
          },
        },
      },
    );
  }
}

interface Scheduled {
  plan: CasePlan;
  start: IsoDate;
}

/** Receipt (or submission) dates: closed cases spread over last year and this, carry-overs in December, open ones recent. */
function schedule(context: DemoRequestContext): Scheduled[] {
  const { today, random, overrides } = context;
  const year = Number(today.slice(0, 4));
  const windowStart = `${year - 1}-01-06`;
  // Closed cases end at least 100 days before today, so even the longest story has finished.
  const span = Math.max(60, daysBetween(windowStart, addDays(today, -100)));
  const closed = closedCases.map((plan, i) => ({
    plan,
    start: addDays(windowStart, Math.floor((i * span) / closedCases.length) + random.int(0, 3)),
  }));
  const decemberDays = [8, 12, 16, 22];
  const carried = carryOverCases.map((plan, i) => ({
    plan,
    start: `${year - 1}-12-${String(decemberDays[i % decemberDays.length]).padStart(2, "0")}`,
  }));
  const open = openCases.map((plan) => ({
    plan,
    start: workingDaysBefore(today, plan.startBack, overrides),
  }));
  return [...closed, ...carried, ...open]
    .map(({ plan, start }) => ({
      plan,
      // Staff register on working days; online, fax and e-mail submissions arrive any day.
      start:
        needsConfirmation(plan) || isWorkingDay(start, overrides)
          ? start
          : addWorkingDays(start, 1, overrides),
    }))
    .filter(({ start }) => start <= today)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

async function seedOne(
  context: DemoRequestContext,
  plan: CasePlan,
  start: IsoDate,
  replyNumber: (date: IsoDate) => string,
): Promise<void> {
  const { random, today, overrides, staff } = context;
  const channel = plan.channel ?? pickChannel(random);
  const type = plan.type ?? pickApplicantType(random);
  const delivery = plan.delivery ?? defaultDelivery(channel, random);
  const person = demoApplicant(type, random, { mobileOnly: channel === "online" });
  if (delivery === "email" && person.email === "") person.email = `hd${random.digits(8)}@163.com`;
  const intake = RequestRegisterInput.parse({
    agencyId: String(context.agency._id),
    applicant: person,
    description: plan.description(Number(start.slice(0, 4))),
    documentNumber: plan.documentNumber ?? "",
    infoForm: plan.infoForm ?? "electronic",
    delivery,
    channel,
    receiptDate: start,
  });
  const account = channel === "online" ? await applicantAccount(person, context.cipher) : null;
  const applicantActor: EventActor | null = account
    ? { kind: "applicant", id: account, name: person.name, roles: ["applicant"] }
    : null;
  const confirms = channelsNeedingConfirmation.includes(channel);
  let request = await createRequest({
    intake,
    first: { type: confirms ? "submit" : "register", date: start, channel },
    actor: applicantActor ?? staff.registrar,
    applicantAccountId: account,
    cipher: context.cipher,
    today: start,
  });
  let date = start;
  const fire = async (input: Record<string, unknown> & { date: IsoDate }, actor: EventActor) => {
    request = (await fireEvent({ requestId: request._id, input, actor, today: input.date })).request;
  };
  if (confirms && !plan.unconfirmed) {
    // Both sides confirm the same day when it is a working day (sometimes the next), else the next working day.
    date = isWorkingDay(date, overrides) && random.next() < 0.7 ? date : addWorkingDays(date, 1, overrides);
    if (date > today) return;
    await fire({ type: "confirmReceipt", date }, staff.registrar);
  }
  const stepContext: StepContext = { replyNumber, delivery, int: random.int };
  for (const step of plan.steps) {
    date = step.after === 0 ? date : addWorkingDays(date, step.after, overrides);
    if (date > today) return;
    const actor = step.by === "applicant" ? (applicantActor ?? staff.registrar) : staff[step.by];
    const payload = step.payload?.(date, stepContext) ?? {};
    // A story that answers in one step still goes through the bureau's chain, on the reply's day.
    if (step.type === "decide") {
      const { stage } = signOffStage(historyOf(request.events as StoredEvent[]));
      const steps = signOffStepsFor(demoSignOffPolicy, payload.outcome as OutcomeKey);
      if (steps !== "none" && stage !== "approved" && stage !== "signed") {
        const { documentNumber: _number, ...decision } = payload;
        await fire({ type: "draftDecision", date, ...decision }, staff.handler);
        await fire({ type: "approveDraft", date }, staff.reviewer);
        if (steps === "signOff") await fire({ type: "signOff", date }, staff.signer);
      }
    }
    await fire({ type: step.type, date, ...payload }, actor);
  }
}

/** The applicant's H5 account (by phone), created the way a first login creates it. */
async function applicantAccount(person: DemoApplicant, cipher: PersonalDataCipher): Promise<Types.ObjectId> {
  const phoneIndex = cipher.blindIndex(person.phone);
  const account = await Applicant.findOneAndUpdate(
    { phoneIndex },
    { $setOnInsert: { phoneIndex, phoneSealed: cipher.encrypt(person.phone), displayName: person.name } },
    { upsert: true, returnDocument: "after" },
  ).lean();
  if (!account) throw new Error("demo applicant account missing");
  return account._id;
}

function needsConfirmation(plan: CasePlan): boolean {
  return plan.channel !== undefined && channelsNeedingConfirmation.includes(plan.channel);
}

/** Channel mix of an environment bureau: mostly in person and online. */
function pickChannel(random: Random): Channel {
  return random.pick<Channel>(["inPerson", "inPerson", "online", "online", "registeredMail", "email"]);
}

/** Applicant mix: mostly natural persons, as in published annual reports. */
function pickApplicantType(random: Random): ApplicantType {
  return random.pick<ApplicantType>([
    "natural",
    "natural",
    "natural",
    "natural",
    "commercial",
    "publicInterest",
  ]);
}

function defaultDelivery(channel: Channel, random: Random): Delivery {
  if (channel === "online") return "online";
  if (channel === "email") return "email";
  if (channel === "fax") return "fax";
  return random.pick<Delivery>(["inPerson", "mail", "email"]);
}

/** The working day n working days before `date` (counted from the last working day on or before it). */
function workingDaysBefore(date: IsoDate, n: number, overrides: CalendarOverrides): IsoDate {
  let current = date;
  while (!isWorkingDay(current, overrides)) current = addDays(current, -1);
  let left = n;
  while (left > 0) {
    current = addDays(current, -1);
    if (isWorkingDay(current, overrides)) left -= 1;
  }
  return current;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
