/**
 * Demo review cases (行政复议, 行政诉讼) about some of the demo agency's answered applications, for
 * table 四 of the annual report and the ledger's second sheet. Dates follow the remedy periods
 * (复议 within 60 days of the answer, 诉讼 within 6 months) and never pass today.
 */
import { addDays, type IsoDate, minDate } from "@govinfo/shared/calendar/date";
import type { ReviewCaseKind, ReviewCaseResult } from "@govinfo/shared/schemas/reviewCase";
import type { OutcomeKey } from "@govinfo/shared/stats/keys";
import type { AgencyDoc } from "../models/Agency.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { ReviewCase } from "../models/ReviewCase.ts";

interface CasePlan {
  about: OutcomeKey;
  kind: ReviewCaseKind;
  /** Days from the answer to filing, and from filing to the decision (null: still pending). */
  filedAfter: number;
  closedAfter: number | null;
  result: ReviewCaseResult | null;
  notes: string;
}

const plans: readonly CasePlan[] = [
  {
    about: "withheld.processInfo",
    kind: "reconsideration",
    filedAfter: 25,
    closedAfter: 55,
    result: "upheld",
    notes: "复议机关认为会议纪要及讨论稿属于过程性信息，维持不予公开的答复",
  },
  {
    about: "unable.notHeld",
    kind: "reconsideration",
    filedAfter: 30,
    closedAfter: 50,
    result: "corrected",
    notes: "复议机关认为检索范围不全面，责令重新检索并答复",
  },
  {
    about: "withheld.thirdParty",
    kind: "litigationDirect",
    filedAfter: 40,
    closedAfter: 90,
    result: "other",
    notes: "原告撤回起诉，法院裁定准许",
  },
  {
    about: "withheld.enforcementFile",
    kind: "reconsideration",
    filedAfter: 20,
    closedAfter: null,
    result: null,
    notes: "",
  },
  {
    about: "withheld.processInfo",
    kind: "litigationAfterReconsideration",
    filedAfter: 95,
    closedAfter: null,
    result: null,
    notes: "申请人对复议决定不服，向乐都区人民法院提起行政诉讼",
  },
];

/**
 * Creates the demo review cases; call only when `server/models/ReviewCase.ts` is present (it is the
 * ledger engineer's model) and after the demo applications exist.
 * @param requests the demo agency's applications.
 * @param today no date passes it.
 * @returns the number of cases created.
 */
export async function seedDemoReviewCases(
  agency: AgencyDoc,
  requests: readonly DisclosureRequestDoc[],
  today: IsoDate,
): Promise<number> {
  const numbers = new Map<string, number>();
  let created = 0;
  for (const plan of plans) {
    const request = requests.find((r) => r.outcome === plan.about && decisionDate(r) !== null);
    const answered = request ? decisionDate(request) : null;
    if (!request || !answered) continue;
    const filedDate = addDays(answered, plan.filedAfter);
    if (filedDate > today) continue;
    const closedDate = plan.closedAfter === null ? null : addDays(filedDate, plan.closedAfter);
    const isClosed = closedDate !== null && closedDate <= today;
    await ReviewCase.create({
      agencyId: agency._id,
      caseNo: caseNumber(plan.kind, filedDate, numbers),
      kind: plan.kind,
      requestId: request._id,
      requestSerialNo: request.serialNo,
      filedDate,
      closedDate: isClosed ? minDate(closedDate, today) : null,
      result: isClosed ? plan.result : null,
      notes: isClosed ? plan.notes : plan.kind === "litigationAfterReconsideration" ? plan.notes : "",
    });
    created += 1;
  }
  return created;
}

function decisionDate(request: DisclosureRequestDoc): IsoDate | null {
  return request.events.find((event) => event.type === "decide")?.date ?? null;
}

/** 海东政复〔2025〕3号 for reconsideration by the city government; （2025）青0202行初3号 for the district court. */
function caseNumber(kind: ReviewCaseKind, filedDate: IsoDate, numbers: Map<string, number>): string {
  const year = filedDate.slice(0, 4);
  const key = `${kind === "reconsideration" ? "r" : "l"}${year}`;
  const count = (numbers.get(key) ?? 0) + 1;
  numbers.set(key, count);
  // Other agencies' cases share the sequences, so the demo numbers do not start at 1.
  const next = count + (kind === "reconsideration" ? 10 : 20);
  return kind === "reconsideration" ? `海东政复〔${year}〕${next}号` : `（${year}）青0202行初${next}号`;
}
