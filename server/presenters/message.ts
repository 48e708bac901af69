/** An in-app message (站内消息) as its applicant sees it: the step's label, title, body and when read. */
import {
  type ApplicantMessageDto,
  type MessageStep,
  messageStepLabels,
} from "@govinfo/shared/schemas/message";
import type { OutboxMessageDoc } from "../models/OutboxMessage.ts";

/** An outbox message as its applicant sees it (a whitelist: no channel or delivery details). */
export function presentMessage(doc: OutboxMessageDoc): ApplicantMessageDto {
  return {
    id: String(doc._id),
    requestId: String(doc.requestId),
    serialNo: doc.serialNo,
    step: doc.step as MessageStep,
    stepLabel: messageStepLabels[doc.step as MessageStep],
    title: doc.title,
    body: doc.body,
    createdAt: doc.createdAt.toISOString(),
    readAt: doc.readAt ? doc.readAt.toISOString() : null,
  };
}
