/**
 * The application form as five short steps, validated step by step with the shared
 * RequestSubmitInput schema, so the citizen sees the same messages the server would send.
 * Pure: no Taro, no DOM (unit-tested under node).
 */
import { RequestSubmitInput } from "@govinfo/shared/schemas/request";

/** The steps, in order. */
export const applySteps = [
  { key: "type", title: "申请人类型" },
  { key: "identity", title: "身份信息" },
  { key: "info", title: "所需信息" },
  { key: "delivery", title: "形式与获取方式" },
  { key: "review", title: "核对并提交" },
] as const;

/** A step key. */
export type ApplyStep = (typeof applySteps)[number]["key"];

/** What the form holds while the citizen types (every field a string). */
export interface ApplyForm {
  agencyId: string;
  applicant: {
    type: string;
    name: string;
    idType: string;
    idNumber: string;
    phone: string;
    address: string;
    email: string;
    contactPerson: string;
  };
  description: string;
  documentNumber: string;
  infoForm: string;
  delivery: string;
}

/** An empty form. */
export function emptyApplyForm(): ApplyForm {
  return {
    agencyId: "",
    applicant: {
      type: "natural",
      name: "",
      idType: "idCard",
      idNumber: "",
      phone: "",
      address: "",
      email: "",
      contactPerson: "",
    },
    description: "",
    documentNumber: "",
    infoForm: "electronic",
    delivery: "online",
  };
}

// Which field paths each step owns; the review step owns all of them.
const stepFields: Record<Exclude<ApplyStep, "review">, readonly string[]> = {
  type: ["agencyId", "applicant.type"],
  identity: [
    "applicant.name",
    "applicant.idType",
    "applicant.idNumber",
    "applicant.phone",
    "applicant.contactPerson",
  ],
  info: ["description", "documentNumber"],
  delivery: ["infoForm", "delivery", "applicant.address", "applicant.email"],
};

/** Field path → message. */
export type FieldErrors = Record<string, string>;

/** Every message of the shared schema for this form, keyed by dotted path. */
export function validateAll(form: ApplyForm): FieldErrors {
  const result = RequestSubmitInput.safeParse(form);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join(".");
    if (!(path in errors)) errors[path] = issue.message;
  }
  return errors;
}

/** The messages that belong to one step (empty when the step may be left). */
export function validateStep(step: ApplyStep, form: ApplyForm): FieldErrors {
  const all = validateAll(form);
  if (step === "review") return all;
  const owned = stepFields[step];
  return Object.fromEntries(Object.entries(all).filter(([path]) => owned.includes(path)));
}

/** The first step with a problem, for jumping back from review. */
export function firstInvalidStep(form: ApplyForm): ApplyStep | null {
  for (const step of applySteps) {
    if (step.key === "review") continue;
    if (Object.keys(validateStep(step.key, form)).length > 0) return step.key;
  }
  return null;
}

/** The body to POST, parsed (trimmed, defaults filled) by the shared schema. */
export function toSubmitBody(form: ApplyForm): RequestSubmitInput | null {
  const result = RequestSubmitInput.safeParse(form);
  return result.success ? result.data : null;
}
