/**
 * Demo of the office workflow (issue 17): a 转办 from the bureau to 海东市自然资源局 (both linked,
 * the applicant told), 督办单 from the city's supervisor — one open on an application, one on the
 * bureau past its deadline, one answered — a repeat of an answered application waiting for the 重复申请
 * check, two applications answered by one letter (合并答复), the handler's mobile for 催办/超期预警 by
 * SMS, and the bureau's quiet hours (22:00–08:00).
 */

import { addDays } from "@govinfo/shared/calendar/date";
import { addWorkingDays } from "@govinfo/shared/calendar/workdays";
import { maskPhone } from "@govinfo/shared/identity";
import { signOffStepsFor } from "@govinfo/shared/lifecycle/machine";
import type { OutcomeKey } from "@govinfo/shared/stats/keys";
import mongoose from "mongoose";
import { Agency } from "../models/Agency.ts";
import {
  DisclosureRequest,
  type DisclosureRequestDoc,
  type StoredEvent,
} from "../models/DisclosureRequest.ts";
import { Supervision } from "../models/Supervision.ts";
import { User } from "../models/User.ts";
import { calendarOverrides } from "../services/calendar.ts";
import { insertReceivedCopy } from "../services/requestCreator.ts";
import { fireEvent } from "../services/requestTransitioner.ts";
import type { DemoSeedContext, DemoSeeder } from "./registry.ts";

/** The workflow demo seeder (runs after the applications exist). */
export const workflowDemoSeeder: DemoSeeder = { name: "workflow", seed: seedWorkflow };

async function seedWorkflow(context: DemoSeedContext): Promise<void> {
  const { agencies, staff, cipher, today } = context;
  const bureau = agencies.bureau;
  const land = agencies.siblings[0];
  const overrides = await calendarOverrides();
  await Agency.updateOne(
    { _id: bureau._id },
    { $set: { staffNotify: { quietStart: "22:00", quietEnd: "08:00", wechatTemplateId: "" } } },
  );
  await User.updateOne(
    { _id: staff.handler.id },
    { $set: { phoneSealed: cipher.encrypt("13800009701"), phoneMasked: maskPhone("13800009701") } },
  );

  // Cases the other demo stories left overdue or at a 签收 or sign-off step stay as they are.
  const open = await DisclosureRequest.find({
    agencyId: bureau._id,
    state: "received",
    dueDate: { $gte: today },
    assignmentStatus: { $nin: ["pending", "returned"] },
    "events.type": { $nin: ["draftDecision", "returnDraft", "approveDraft", "signOff"] },
  })
    .sort({ year: 1, seq: 1 })
    .lean<DisclosureRequestDoc[]>();
  const [toTransfer, toSupervise, toMerge] = open;
  if (land && toTransfer) {
    await fireEvent({
      requestId: toTransfer._id,
      input: {
        type: "decide",
        date: today,
        outcome: "unable.notHeld",
        ground: "notResponsible",
        responsibleAgencyId: String(land._id),
        note: "所申请信息由自然资源部门制作并保存，不属于本机关负责公开",
        transfer: { consentMethod: "phone", consentDate: today },
      },
      actor: staff.reviewer,
      today,
    });
  }

  const supervisor = await User.findOne({ username: "hdszf-jiandu" }, { _id: 1, displayName: 1 }).lean();
  if (supervisor) {
    const issued = (days: number) => addDays(today, -days);
    const order = (from: string, workingDays: number) => ({
      issuerId: supervisor._id,
      issuerName: supervisor.displayName,
      workingDays,
      issuedDate: from,
      deadline: addWorkingDays(from, workingDays, overrides),
    });
    await Supervision.create([
      ...(toSupervise
        ? [
            {
              agencyId: bureau._id,
              requestId: toSupervise._id,
              serialNo: toSupervise.serialNo,
              reason: "申请人来电反映办理进度缓慢，请加快办理并按期答复",
              ...order(today, 5),
            },
          ]
        : []),
      {
        agencyId: bureau._id,
        reason: "本年度依申请公开答复书未载明救济途径的问题，请逐件自查整改",
        ...order(issued(30), 10),
      },
      {
        agencyId: bureau._id,
        reason: "主动公开目录中2024年度部门预算尚未公开，请及时公开",
        ...order(issued(40), 5),
        status: "replied",
        reply: {
          text: "已于当日在政府信息公开目录“财政预决算”栏目公开",
          authorId: staff.admin.id,
          authorName: staff.admin.name,
          date: issued(35),
        },
      },
    ]);
  }
  await seedRepeat(bureau._id, today);
  if (toMerge) await seedMergedReply(toMerge, context);
}

/** 合并答复: a related second application of the same applicant, both answered by one letter. */
async function seedMergedReply(first: DisclosureRequestDoc, context: DemoSeedContext): Promise<void> {
  const { agencies, staff, today } = context;
  const register: StoredEvent = {
    type: "register",
    date: today,
    at: new Date(),
    actorKind: "staff",
    actorId: null,
    actorName: "马晓梅",
    payload: { channel: "inPerson" },
  };
  let second: DisclosureRequestDoc | undefined;
  await mongoose.connection.transaction(async (session) => {
    second = await insertReceivedCopy({
      agency: agencies.bureau,
      source: { ...first, description: `${first.description}的相关附件和审批记录` },
      channel: "inPerson",
      first: register,
      session,
    });
  });
  if (!second) return;
  const letterNo = `海东生环依复〔${today.slice(0, 4)}〕99号`;
  const reply = (outcome: string, mergedWith: string, extra: Record<string, unknown> = {}) => ({
    type: "decide",
    date: today,
    outcome,
    documentNumber: letterNo,
    mergedWith: [mergedWith],
    ...extra,
  });
  const answer = async (requestId: mongoose.Types.ObjectId, input: Record<string, unknown>) => {
    await throughSignOff(requestId, input, context);
    await fireEvent({ requestId, input, actor: staff.reviewer, today });
  };
  await answer(first._id, reply("granted", String(second._id)));
  await answer(
    second._id,
    reply("unable.notHeld", String(first._id), {
      ground: "notExist",
      note: "经检索，本机关未制作、获取相关附件和审批记录",
    }),
  );
}

/** Drafts, approves and, where the bureau's setting asks for it, signs a reply before it is issued. */
async function throughSignOff(
  requestId: mongoose.Types.ObjectId,
  reply: Record<string, unknown>,
  { agencies, staff, today }: DemoSeedContext,
): Promise<void> {
  const policy = (await Agency.findById(agencies.bureau._id, { signOffPolicy: 1 }).lean())?.signOffPolicy;
  const steps = signOffStepsFor(policy, reply.outcome as OutcomeKey);
  if (steps === "none") return;
  const { type: _type, documentNumber: _number, mergedWith: _merged, ...decision } = reply;
  const fire = (input: Record<string, unknown>, actor: DemoSeedContext["staff"]["handler"]) =>
    fireEvent({ requestId, input: { date: today, ...input }, actor, today });
  await fire({ type: "draftDecision", ...decision }, staff.handler);
  await fire({ type: "approveDraft" }, staff.reviewer);
  if (steps === "signOff") await fire({ type: "signOff" }, staff.signer);
}

/** A new application repeating an answered one of the same applicant, word for word. */
async function seedRepeat(agencyId: mongoose.Types.ObjectId, today: string): Promise<void> {
  const answered = await DisclosureRequest.findOne({ agencyId, state: "delivered", outcome: "granted" })
    .sort({ year: 1, seq: 1 })
    .lean<DisclosureRequestDoc>();
  if (!answered) return;
  const agency = await Agency.findById(agencyId).lean();
  if (!agency) return;
  const first: StoredEvent = {
    type: "register",
    date: today,
    at: new Date(),
    actorKind: "staff",
    actorId: null,
    actorName: "马晓梅",
    payload: { channel: "inPerson" },
  };
  await mongoose.connection.transaction(async (session) => {
    await insertReceivedCopy({ agency, source: answered, channel: "inPerson", first, session });
  });
}
