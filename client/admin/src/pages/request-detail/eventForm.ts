/**
 * Pure helpers of the event dialogs: default values and turning form values into the event the
 * API takes (validated with the shared payload schema first). Unit-tested.
 */
import { computeFee } from "@govinfo/shared/fees";
import type { EventType } from "@govinfo/shared/lifecycle/machine";
import {
  type DecisionGround,
  decisionGroundOutcome,
  requestEventPayloads,
} from "@govinfo/shared/schemas/requestEvent";

/** A field problem. */
export interface Problem {
  path: string;
  message: string;
}

/** Splits the 补正 items textarea into one item per non-empty line. */
export function correctionItems(text: unknown): string[] {
  return String(text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The fee of a notice from the form (0 while the input is incomplete). */
export function feeAmount(values: { method?: string; pages?: number; ordinalInMonth?: number }): number {
  try {
    if (values.method === "byPages" && values.pages)
      return computeFee({ method: "byPages", pages: values.pages }).amount;
    if (values.method === "perRequest" && values.ordinalInMonth)
      return computeFee({ method: "perRequest", ordinalInMonth: values.ordinalInMonth }).amount;
  } catch {
    // Not a positive integer yet.
  }
  return 0;
}

/** How staff name the agency responsible under 36(五): from the tree, typed, or 无法确定. */
export type ResponsibleMode = "tree" | "typed" | "undetermined";

/**
 * Keeps only the fields the chosen outcome and ground use (a value typed before switching ground
 * must not ride along), and turns the responsible-agency choice into the payload's fields.
 */
export function decisionFields(payload: Record<string, unknown>): void {
  const ground = payload.ground;
  if (typeof ground === "string" && decisionGroundOutcome[ground as DecisionGround] !== payload.outcome)
    delete payload.ground;
  if (payload.ground !== "alreadyPublic") {
    delete payload.catalogueItemId;
    delete payload.location;
  }
  const mode = payload.responsibleAgency as ResponsibleMode | undefined;
  delete payload.responsibleAgency;
  if (payload.ground !== "notResponsible" || mode !== "tree") delete payload.responsibleAgencyId;
  if (payload.ground !== "notResponsible" || mode !== "typed") {
    delete payload.responsibleAgencyName;
    delete payload.responsibleAgencyContact;
  }
  if (payload.ground === "notResponsible" && mode === "undetermined") payload.responsibleUndetermined = true;
}

/**
 * Builds and validates an event from dialog values.
 * @param type the event to fire.
 * @param values the form values (`date` plus the payload fields).
 */
export function buildEvent(
  type: EventType,
  values: Record<string, unknown>,
): { ok: true; event: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  const { date, ...raw } = values;
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw))
    if (value !== undefined && value !== "") payload[key] = value;
  if (type === "requestCorrection") payload.items = correctionItems(raw.items);
  if (type === "extend" && payload.workingDays !== undefined)
    payload.workingDays = Number(payload.workingDays);
  if (type === "decide" || type === "draftDecision") decisionFields(payload);
  if (type === "feeNotice") {
    if (payload.method === "byPages") delete payload.ordinalInMonth;
    else delete payload.pages;
    for (const key of ["pages", "ordinalInMonth"])
      if (payload[key] !== undefined) payload[key] = Number(payload[key]);
    payload.amount = feeAmount(payload as { method?: string; pages?: number; ordinalInMonth?: number });
  }
  const problems: Problem[] = [];
  if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    problems.push({ path: "date", message: "请填写日期" });
  const parsed = requestEventPayloads[type].safeParse(payload);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push({ path: issue.path.map(String).join("."), message: issue.message });
  if (
    type === "requestCorrection" &&
    typeof payload.deadline === "string" &&
    typeof date === "string" &&
    payload.deadline <= date
  )
    problems.push({ path: "deadline", message: "补正期限应晚于补正告知日期" });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, event: { type, date, ...(parsed.success ? (parsed.data as object) : {}) } };
}
