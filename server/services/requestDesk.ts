/**
 * The commands of the requests desk besides creation and lifecycle events: loading a request the
 * caller may see, turning the caller into an event actor, assignment, staff notes and the audited
 * reveal of the applicant's personal data. None of these writes `state`.
 */
import { isTerminal, type State } from "@govinfo/shared/lifecycle/machine";
import type { RevealedApplicantDto } from "@govinfo/shared/schemas/requestDto";
import type { Context } from "koa";
import mongoose, { Types } from "mongoose";
import { Conflict, Forbidden, NotFound, ValidationFailed } from "../errors.ts";
import { DisclosureRequest, type DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { User, type UserDoc } from "../models/User.ts";
import type { Actor, ApplicantActor, StaffActor } from "../policies/actor.ts";
import { hasRole } from "../policies/actor.ts";
import { assignRoles, caseworkRoles, mayRevealPersonalData } from "../policies/requestAbilities.ts";
import { assertCanView, lifecycleRoles } from "../policies/requests.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { audit } from "./audit.ts";
import type { EventActor } from "./requestTransitioner.ts";

/** Loads a request the actor may see; 404 otherwise (never 403, see `assertCanView`). */
export async function loadVisibleRequest(actor: Actor, id: string): Promise<DisclosureRequestDoc> {
  const request = await DisclosureRequest.findById(id).lean<DisclosureRequestDoc>();
  if (!request) throw NotFound("request");
  assertCanView(actor, request);
  return request;
}

/** The actor as the transitioner sees it: kind, id, display name and lifecycle roles for this request. */
export function eventActorOf(actor: StaffActor | ApplicantActor, request: DisclosureRequestDoc): EventActor {
  return {
    kind: actor.kind,
    id: actor.id,
    name: actor.kind === "staff" ? actor.user.displayName : request.applicant.name,
    roles: lifecycleRoles(actor, request),
  };
}

/**
 * Assigns the request to a staff member of its agency, or clears the assignment.
 * @param assigneeId the user to assign, or null to clear.
 */
export async function assignRequest(
  actor: StaffActor,
  request: DisclosureRequestDoc,
  assigneeId: string | null,
  ctx: Context,
): Promise<void> {
  const agencyId = String(request.agencyId);
  if (!hasRole(actor, agencyId, assignRoles)) throw Forbidden("只有登记、审核人员或机关管理员可以分配承办人");
  if (isTerminal(request.state as State)) {
    throw Conflict("request.closed", "该申请已办结，不能再分配承办人");
  }
  if (assigneeId !== null) {
    const user = await User.findById(assigneeId).lean<UserDoc>();
    const works = user?.roles.some(
      (grant) =>
        String(grant.agencyId) === agencyId && (caseworkRoles as readonly string[]).includes(grant.role),
    );
    if (!user || user.disabled || !works) {
      throw ValidationFailed([{ path: "assigneeId", message: "承办人应为本机关在岗的工作人员" }]);
    }
  }
  await mongoose.connection.transaction(async (session) => {
    // A new assignment waits for the assignee's 签收 (taking it oneself is accepting it); clearing
    // it leaves nothing to accept.
    await DisclosureRequest.updateOne(
      { _id: request._id },
      {
        $set: {
          assigneeId: assigneeId === null ? null : new Types.ObjectId(assigneeId),
          assignmentStatus:
            assigneeId === null ? null : assigneeId === String(actor.id) ? "accepted" : "pending",
          assignmentReturn: null,
        },
      },
      { session },
    );
    await audit(
      ctx,
      {
        action: "request.assign",
        targetType: "request",
        targetId: request._id,
        agencyId: request.agencyId,
        details: {
          serialNo: request.serialNo,
          from: request.assigneeId ? String(request.assigneeId) : null,
          to: assigneeId,
        },
      },
      session,
    );
  });
}

/**
 * The assignee accepts (签收) or returns (退回, with a reason) an assignment waiting for them. A
 * returned application has no assignee again and shows as 已退回 in the registrar's queue. The
 * update is conditional on the assignment still being this one, so a reassignment in between wins.
 */
export async function answerAssignment(
  actor: StaffActor,
  request: DisclosureRequestDoc,
  answer: { accept: true } | { accept: false; reason: string },
  ctx: Context,
): Promise<void> {
  if (!request.assigneeId || String(request.assigneeId) !== String(actor.id)) {
    throw Forbidden("只有被分配的承办人可以签收或退回该申请");
  }
  if (isTerminal(request.state as State)) throw Conflict("request.closed", "该申请已办结，无需签收或退回");
  if (request.assignmentStatus !== "pending") {
    throw Conflict(
      "assignment.answered",
      request.assignmentStatus === "accepted" ? "该申请已签收，不能再签收或退回" : "该申请不在待签收状态",
    );
  }
  const set = answer.accept
    ? { assignmentStatus: "accepted" }
    : {
        assignmentStatus: "returned",
        assigneeId: null,
        assignmentReturn: { reason: answer.reason, byName: actor.user.displayName, at: new Date() },
      };
  await mongoose.connection.transaction(async (session) => {
    const result = await DisclosureRequest.updateOne(
      { _id: request._id, assigneeId: actor.id, assignmentStatus: "pending" },
      { $set: set },
      { session },
    );
    if (result.modifiedCount !== 1) {
      throw Conflict("request.state_changed", "该申请的分配已被他人修改，请刷新后重试");
    }
    await audit(
      ctx,
      {
        action: answer.accept ? "request.assignment.accept" : "request.assignment.return",
        targetType: "request",
        targetId: request._id,
        agencyId: request.agencyId,
        details: { serialNo: request.serialNo, ...(answer.accept ? {} : { reason: answer.reason }) },
      },
      session,
    );
  });
}

/** Appends a staff note (internal; never shown to the applicant). */
export async function addNote(
  actor: StaffActor,
  request: DisclosureRequestDoc,
  text: string,
  ctx: Context,
): Promise<void> {
  if (!hasRole(actor, String(request.agencyId), caseworkRoles))
    throw Forbidden("您的角色不能为该申请添加备注");
  await mongoose.connection.transaction(async (session) => {
    await DisclosureRequest.updateOne(
      { _id: request._id },
      { $push: { notes: { at: new Date(), authorId: actor.id, authorName: actor.user.displayName, text } } },
      { session },
    );
    await audit(
      ctx,
      {
        action: "request.note",
        targetType: "request",
        targetId: request._id,
        agencyId: request.agencyId,
        details: { serialNo: request.serialNo },
      },
      session,
    );
  });
}

/**
 * Decrypts the applicant's ID number, phone and address (and gives the e-mail) for a caseworker, and
 * records the read in the audit trail every time (which fields, never their values).
 */
export async function revealApplicant(
  actor: StaffActor,
  request: DisclosureRequestDoc,
  cipher: PersonalDataCipher,
  ctx: Context,
): Promise<RevealedApplicantDto> {
  if (!mayRevealPersonalData(actor, String(request.agencyId))) {
    throw Forbidden("只有本机关办理人员可以查看申请人完整信息");
  }
  const revealed: RevealedApplicantDto = {
    idType: request.applicant.idType,
    idNumber: cipher.decrypt(request.applicant.idNumberSealed ?? ""),
    phone: cipher.decrypt(request.applicant.phoneSealed ?? ""),
    address: cipher.decrypt(request.applicant.addressSealed ?? ""),
    email: request.applicant.email ?? "",
  };
  await audit(ctx, {
    action: "request.reveal",
    targetType: "request",
    targetId: request._id,
    agencyId: request.agencyId,
    details: { serialNo: request.serialNo, fields: ["idNumber", "phone", "address", "email"] },
  });
  return revealed;
}
