/**
 * Demo of what citizens tell the bureau besides applications (issue 18): satisfaction ratings of
 * recently closed online applications (one low rating already called back, one 回访 still open),
 * applications saved by 先查再申 against published items, and three paper applications asking for the
 * same report, which the 纳入主动公开 board proposes to publish. Deterministic for a given day.
 */
import { addDays, type IsoDate } from "@govinfo/shared/calendar/date";
import { addWorkingDays, isWorkingDay } from "@govinfo/shared/calendar/workdays";
import { closedStates } from "@govinfo/shared/lifecycle/machine";
import { FOLLOW_UP_WORKING_DAYS } from "@govinfo/shared/schemas/aftercare";
import { RequestRegisterInput } from "@govinfo/shared/schemas/request";
import type { Types } from "mongoose";
import { Applicant } from "../models/Applicant.ts";
import { Deflection } from "../models/Deflection.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { InfoItem } from "../models/InfoItem.ts";
import { SatisfactionRating } from "../models/SatisfactionRating.ts";
import { calendarOverrides } from "../services/calendar.ts";
import { createRequest } from "../services/requestCreator.ts";
import { demoApplicant } from "./people.ts";
import type { DemoSeedContext, DemoSeeder } from "./registry.ts";

/** Scores of the most recently closed online applications, newest first. */
const SCORES = [1, 5, 4, 2, 5, 3, 4, 5] as const;

const COMMENTS: Readonly<Record<number, string>> = {
  1: "答复只说不予公开，没有说明具体理由",
  2: "办理时间较长，希望及时告知进度",
  3: "",
  4: "答复及时",
  5: "工作人员耐心解答，很满意",
};

/** Three applicants asking for the same report (《条例》第四十四条). */
const SAME_REQUESTS = [
  "请公开海东市2025年度重点排污单位名录",
  "申请获取海东市重点排污单位名录（2025年度）",
  "海东市2025年度重点排污单位名录全文",
];

/** The citizen-feedback demo seeder. */
export const citizenFeedbackDemoSeeder: DemoSeeder = {
  name: "citizenFeedback",
  async seed(context) {
    const overrides = await calendarOverrides();
    // The working day `n` working days before today (from the last working day on or before it).
    const back = (n: number): IsoDate => {
      let date = context.today;
      while (!isWorkingDay(date, overrides)) date = addDays(date, -1);
      for (let left = n; left > 0; ) {
        date = addDays(date, -1);
        if (isWorkingDay(date, overrides)) left -= 1;
      }
      return date;
    };
    await seedRatings(context, back);
    await seedDeflections(context);
    await seedSameRequests(context, back, overrides);
  },
};

async function seedRatings(context: DemoSeedContext, back: (n: number) => IsoDate): Promise<void> {
  const overrides = await calendarOverrides();
  const closed = await DisclosureRequest.find(
    {
      agencyId: context.agencies.bureau._id,
      state: { $in: closedStates },
      applicantAccountId: { $ne: null },
      closedDate: { $ne: null },
    },
    { serialNo: 1, agencyId: 1, applicantAccountId: 1, closedDate: 1 },
  )
    .sort({ closedDate: -1, serialNo: 1 })
    .limit(SCORES.length)
    .lean<
      {
        _id: Types.ObjectId;
        serialNo: string;
        agencyId: Types.ObjectId;
        applicantAccountId: Types.ObjectId;
        closedDate: string;
      }[]
    >();
  const docs = closed.map((request, i) => {
    const score = SCORES[i] ?? 5;
    // The newest low rating came in today (its 回访 still open); older ones were called back.
    const ratedOn =
      i === 0 ? context.today : minDate(addWorkingDays(request.closedDate, 2, overrides), back(1));
    const dueDate = addWorkingDays(ratedOn, FOLLOW_UP_WORKING_DAYS, overrides);
    const doneOn = minDate(addWorkingDays(ratedOn, 2, overrides), context.today);
    const followUp =
      score > 2
        ? null
        : i === 0
          ? { dueDate, status: "open" as const }
          : {
              dueDate,
              status: "done" as const,
              result: "已电话回访，向申请人说明办理进度和答复依据，申请人表示理解",
              doneOn,
            };
    return {
      requestId: request._id,
      agencyId: request.agencyId,
      applicantAccountId: request.applicantAccountId,
      serialNo: request.serialNo,
      score,
      comment: COMMENTS[score] ?? "",
      ratedOn,
      ...(followUp ? { followUp } : {}),
    };
  });
  if (docs.length > 0) await SatisfactionRating.insertMany(docs);
}

async function seedDeflections(context: DemoSeedContext): Promise<void> {
  const items = await InfoItem.find(
    { agencyId: context.agencies.bureau._id, status: "published" },
    { _id: 1 },
  )
    .sort({ publishedDate: -1, indexNo: 1 })
    .limit(3)
    .lean<{ _id: Types.ObjectId }[]>();
  const accounts = await Applicant.find({}, { _id: 1 })
    .sort({ _id: 1 })
    .limit(5)
    .lean<{ _id: Types.ObjectId }[]>();
  const docs = accounts.flatMap((account, i) =>
    items
      .filter((_, j) => (i + j) % 2 === 0)
      .map((item) => ({
        agencyId: context.agencies.bureau._id,
        itemId: item._id,
        applicantAccountId: account._id,
        date: context.today,
      })),
  );
  if (docs.length > 0) await Deflection.insertMany(docs);
}

async function seedSameRequests(
  context: DemoSeedContext,
  back: (n: number) => IsoDate,
  overrides: Awaited<ReturnType<typeof calendarOverrides>>,
): Promise<void> {
  for (const [i, description] of SAME_REQUESTS.entries()) {
    const receiptDate = back(6 - i * 2);
    if (!isWorkingDay(receiptDate, overrides)) continue;
    const person = demoApplicant("natural", context.random);
    const intake = RequestRegisterInput.parse({
      agencyId: String(context.agencies.bureau._id),
      applicant: person,
      description,
      infoForm: "electronic",
      delivery: person.email ? "email" : "mail",
      channel: "inPerson",
      receiptDate,
    });
    await createRequest({
      intake,
      first: { type: "register", date: receiptDate, channel: "inPerson" },
      actor: context.staff.registrar,
      applicantAccountId: null,
      cipher: context.cipher,
      today: receiptDate,
    });
  }
}

function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}
