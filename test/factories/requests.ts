/**
 * Builders for disclosure requests, created through the real creator and transitioner so that every
 * stored request is one the product itself could have produced.
 */
import type { RequestRegisterInput } from "@govinfo/shared/schemas/request";
import type { Types } from "mongoose";
import type { AgencyDoc } from "../../server/models/Agency.ts";
import type { DisclosureRequestDoc } from "../../server/models/DisclosureRequest.ts";
import type { PersonalDataCipher } from "../../server/security/personalData.ts";
import { createRequest } from "../../server/services/requestCreator.ts";
import { type EventActor, fireEvent } from "../../server/services/requestTransitioner.ts";

/** A staff actor holding every lifecycle role (for building fixtures). */
export const fixtureStaff: EventActor = {
  kind: "staff",
  id: null,
  name: "fixture",
  roles: ["registrar", "handler", "reviewer", "admin"],
};

/** A valid registration input with overrides. */
export function registrationInput(
  agency: AgencyDoc,
  overrides: Partial<RequestRegisterInput> = {},
): RequestRegisterInput {
  return {
    agencyId: String(agency._id),
    applicant: {
      type: "natural",
      name: "张三",
      idType: "idCard",
      idNumber: "11010519491231002X",
      phone: "13812345678",
      address: "青海省海东市乐都区碾伯镇1号",
      email: "",
      contactPerson: "",
    },
    description: "2019年海东市乐都区污水处理厂环境影响评价批复文件",
    documentNumber: "",
    infoForm: "electronic",
    delivery: "email",
    channel: "inPerson",
    receiptDate: "2025-03-03",
    ...overrides,
  };
}

/**
 * Registers a request on `receiptDate` and fires `events` in order.
 * @param events raw events, e.g. [{type: "decide", date: "2025-03-10", outcome: "granted"}].
 */
export async function buildRequest(
  agency: AgencyDoc,
  cipher: PersonalDataCipher,
  options: {
    input?: Partial<RequestRegisterInput>;
    events?: Record<string, unknown>[];
    today?: string;
    applicantAccountId?: Types.ObjectId;
  } = {},
): Promise<DisclosureRequestDoc> {
  const input = registrationInput(agency, options.input);
  let request = await createRequest({
    intake: input,
    first: { type: "register", date: input.receiptDate, channel: input.channel },
    actor: fixtureStaff,
    applicantAccountId: options.applicantAccountId ?? null,
    cipher,
    today: options.today ?? "2099-12-31",
  });
  for (const event of options.events ?? []) {
    request = (
      await fireEvent({
        requestId: request._id,
        input: event,
        actor: fixtureStaff,
        today: options.today ?? "2099-12-31",
      })
    ).request;
  }
  return request;
}
