/**
 * 重复申请 (Art. 36(六)): finds the same applicant's earlier applications to the same agency and scores
 * how alike their content is; and, when a reply says 不予处理-重复申请 naming the applications it repeats,
 * checks that each is an answered application of the same applicant to the same agency. The checklist
 * itself is a schema rule (`decidePayload`), so a client cannot skip it.
 *
 * Importing this module registers the check as a transition listener (`server/app.ts` imports it): it
 * runs inside the reply's transaction, so a refused reference leaves nothing written.
 */
import { isClosed, type State, stateLabels, transitions } from "@govinfo/shared/lifecycle/machine";
import {
  LIKELY_DUPLICATE_SCORE,
  type SimilarRequestDto,
  textSimilarity,
} from "@govinfo/shared/schemas/duplicates";
import { MAX_MERGED_REPLIES, type MergeCandidateDto } from "@govinfo/shared/schemas/mergedReply";
import { isOutcomeKey, outcomes } from "@govinfo/shared/stats/keys";
import { Types } from "mongoose";
import { ValidationFailed } from "../errors.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { onTransition, type TransitionContext } from "./requestTransitioner.ts";

type Candidate = Pick<
  DisclosureRequestDoc,
  "_id" | "serialNo" | "receiptDate" | "state" | "outcome" | "description" | "documentNumber" | "events"
>;

/** Earlier applications of the same applicant to the same agency, most alike first (at most 20). */
export async function earlierApplications(request: DisclosureRequestDoc): Promise<SimilarRequestDto[]> {
  const found = await DisclosureRequest.find(
    { ...sameApplicantFilter(request), _id: { $lt: request._id } },
    {
      serialNo: 1,
      receiptDate: 1,
      state: 1,
      outcome: 1,
      description: 1,
      documentNumber: 1,
      "events.type": 1,
    },
  )
    .sort({ _id: -1 })
    .limit(200)
    .lean<Candidate[]>();
  const content = contentOf(request);
  return found
    .map((other) => {
      const similarity = textSimilarity(content, contentOf(other));
      const outcome = other.outcome && isOutcomeKey(other.outcome) ? other.outcome : null;
      return {
        id: String(other._id),
        serialNo: other.serialNo,
        receiptDate: other.receiptDate ?? null,
        stateLabel: stateLabels[other.state as State],
        answered: answered(other),
        outcomeLabel: outcome ? outcomes[outcome].ledgerName : null,
        description: other.description,
        similarity,
        likelyDuplicate: similarity >= LIKELY_DUPLICATE_SCORE,
      };
    })
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 20);
}

/**
 * 合并答复: the same applicant's other applications at this agency that can still be answered (a
 * reply may be recorded in their state), oldest first.
 * @param request the application whose page asks.
 */
export async function mergeCandidates(request: DisclosureRequestDoc): Promise<MergeCandidateDto[]> {
  const answerable = (Object.keys(transitions) as State[]).filter((state) => transitions[state]?.decide);
  const found = await DisclosureRequest.find(
    { ...sameApplicantFilter(request), _id: { $ne: request._id }, state: { $in: answerable } },
    { serialNo: 1, receiptDate: 1, state: 1, description: 1, version: 1 },
  )
    .sort({ year: 1, seq: 1 })
    .limit(MAX_MERGED_REPLIES)
    .lean<
      Pick<DisclosureRequestDoc, "_id" | "serialNo" | "receiptDate" | "state" | "description" | "version">[]
    >();
  return found.map((other) => ({
    id: String(other._id),
    serialNo: other.serialNo,
    receiptDate: other.receiptDate ?? null,
    stateLabel: stateLabels[other.state as State],
    description: other.description,
    version: other.version,
  }));
}

/**
 * Refuses a 重复申请 reply whose `duplicateOf` names anything but answered applications of the same
 * applicant to the same agency.
 * @param context the transition (inside its transaction).
 */
export async function checkDuplicateReferences(context: TransitionContext): Promise<void> {
  const { before, event, session } = context;
  if (event.type !== "decide" || !event.duplicateOf || event.duplicateOf.length === 0) return;
  const ids = event.duplicateOf.map((id) => new Types.ObjectId(id));
  const matching = await DisclosureRequest.find(
    { ...sameApplicantFilter(before), _id: { $in: ids, $ne: before._id } },
    { state: 1, "events.type": 1 },
  )
    .session(session)
    .lean<Pick<DisclosureRequestDoc, "_id" | "state" | "events">[]>();
  const ok = new Set(matching.filter(answered).map((m) => String(m._id)));
  if (ids.some((id) => !ok.has(String(id)))) {
    const message =
      "所选被重复的申请应当是同一申请人向本机关提出、且本机关已经作出答复的申请（《条例》第三十六条第（六）项）";
    throw ValidationFailed([{ path: "duplicateOf", message }], message);
  }
}

/** The same agency and the same applicant: the same platform account, or the same name and ID number. */
function sameApplicantFilter(
  request: Pick<DisclosureRequestDoc, "agencyId" | "applicantAccountId" | "applicant">,
) {
  const byPerson =
    request.applicant.idNumberMasked !== ""
      ? [
          {
            "applicant.name": request.applicant.name,
            "applicant.idNumberMasked": request.applicant.idNumberMasked,
          },
        ]
      : [];
  const byAccount = request.applicantAccountId ? [{ applicantAccountId: request.applicantAccountId }] : [];
  const either = [...byAccount, ...byPerson];
  return { agencyId: request.agencyId, ...(either.length > 0 ? { $or: either } : { _id: null }) };
}

function contentOf(request: Pick<DisclosureRequestDoc, "description" | "documentNumber">): string {
  return `${request.description} ${request.documentNumber ?? ""}`.trim();
}

/** A reply was issued (decided, then delivered); a withdrawal or a closure without reply is not one. */
function answered(request: Pick<DisclosureRequestDoc, "state" | "events">): boolean {
  return isClosed(request.state as State) && request.events.some((e) => e.type === "decide");
}

/** Every transition runs the reference check (registered once by the transitioner). */
onTransition(checkDuplicateReferences);
