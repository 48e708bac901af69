/**
 * 转办 within the deployment. A reply under Art. 36(五) (不属于本机关负责公开) that names an agency of
 * this deployment, with the applicant's recorded consent (`decide` payload `transfer`), hands the
 * application on: in the same transaction as that reply, the receiving agency gets a new application
 * with the same content and applicant, received on the day of the hand-over (its 收到申请之日), and
 * the two are linked both ways. The first agency's closure counts once, in 三（四）1 本机关不掌握; the
 * new one is a new application of the receiving agency. Runs as a transition listener, so a refused
 * or conflicting reply leaves no new application behind.
 *
 * Importing this module registers the listener (`server/app.ts` imports it).
 */
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import { transferConsentLabels } from "@govinfo/shared/schemas/requestEvent";
import { AppError, ValidationFailed } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import { DisclosureRequest, type StoredEvent } from "../models/DisclosureRequest.ts";
import { audit } from "./audit.ts";
import { enqueueApplicantMessage } from "./outbox.ts";
import { insertReceivedCopy } from "./requestCreator.ts";
import { onTransition, type TransitionContext } from "./requestTransitioner.ts";

/**
 * Creates the receiving agency's application when a reply hands the application on (转办).
 * @param context what the transitioner passes to its listeners (inside its transaction).
 */
export async function handOnTransfer(context: TransitionContext): Promise<void> {
  const { before, after, event, session } = context;
  if (event.type !== "decide" || !event.transfer || !event.responsibleAgencyId) return;
  if (event.transfer.consentDate > event.date) {
    throw ValidationFailed(
      [{ path: "transfer.consentDate", message: "申请人同意转送的日期不能晚于告知日期" }],
      "申请人同意转送的日期不能晚于告知日期",
    );
  }
  if (before.transferredToId) {
    throw ValidationFailed([{ path: "transfer", message: "该申请已经转办，不能再次转办" }]);
  }
  const [from, to] = await Promise.all([
    Agency.findById(after.agencyId, { name: 1 }).session(session).lean<Pick<AgencyDoc, "name">>(),
    Agency.findById(event.responsibleAgencyId).session(session).lean<AgencyDoc>(),
  ]);
  // The reference check before the reply already refused an unknown agency or this one.
  if (!to || !from) throw new AppError("internal_error");
  const first: StoredEvent = {
    type: "register",
    date: event.date,
    at: new Date(),
    actorKind: "system",
    actorId: null,
    actorName: `${from.name}转办`,
    payload: {
      channel: after.channel,
      transferredFrom: { requestId: String(after._id), serialNo: after.serialNo, agencyName: from.name },
    },
  };
  const created = await insertReceivedCopy({
    agency: to,
    source: after,
    channel: after.channel as Channel,
    first,
    transferredFromId: after._id,
    session,
  });
  await DisclosureRequest.updateOne(
    { _id: after._id },
    { $set: { transferredToId: created._id } },
    { session },
  );
  // The transitioner answers with `after`; keep it in step with the link just written.
  after.transferredToId = created._id;
  await audit(
    null,
    {
      action: "request.transferIn",
      targetType: "request",
      targetId: created._id,
      agencyId: to._id,
      details: {
        serialNo: created.serialNo,
        fromSerialNo: after.serialNo,
        consent: transferConsentLabels[event.transfer.consentMethod],
      },
    },
    session,
  );
  const due = created.dueDate ? `，答复期限为${chineseDate(created.dueDate)}` : "";
  await enqueueApplicantMessage({
    request: created,
    eventIndex: 0,
    eventType: "register",
    step: "received",
    text: {
      title: "转办申请已收到",
      body: `${to.name}已于${chineseDate(event.date)}收到${from.name}转送的您的政府信息公开申请（${created.serialNo}，原申请${after.serialNo}）${due}。`,
    },
    date: event.date,
    session,
  });
}

function chineseDate(iso: string): string {
  const [year, month, day] = iso.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

/** Every transition runs the 转办 listener (registered once by the transitioner). */
onTransition(handOnTransfer);
