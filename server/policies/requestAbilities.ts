/**
 * What a caller may do with a request beyond lifecycle events: assign it, add notes, reveal the
 * applicant's personal data. Lifecycle events come from the shared machine over the caller's roles;
 * these side actions belong to the agency's own working staff, never to supervisors (read-only
 * oversight) or applicants.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import {
  allowedEvents,
  type EventType,
  eventTypes,
  historyOf,
  isTerminal,
  type State,
} from "@govinfo/shared/lifecycle/machine";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import { type Actor, hasRole, type StaffActor } from "./actor.ts";
import { lifecycleRoles, type RequestScope } from "./requests.ts";

/** Roles that may distribute work (the shared capability `assignRequests`). */
export const assignRoles: readonly StaffRole[] = rolesFor("assignRequests");

/** Roles that work on the case and may read the applicant's unmasked data and write notes (`workCases`). */
export const caseworkRoles: readonly StaffRole[] = rolesFor("workCases");

/**
 * The reveal rule: whether `actor` may read applicants' unmasked ID numbers, phones, addresses and
 * e-mails at `agencyId` (by the reveal endpoint or in a ledger export). Only the agency's own
 * caseworkers may; supervisors oversee with masked data.
 * @param actor the staff caller.
 * @param agencyId the agency whose applicants' data it is.
 */
export function mayRevealPersonalData(actor: StaffActor, agencyId: string): boolean {
  return hasRole(actor, agencyId, caseworkRoles);
}

/** The abilities of the caller on the request. */
export interface RequestAbilities {
  events: EventType[];
  canAssign: boolean;
  canReveal: boolean;
  canAddNote: boolean;
  /** Upload files (delivered to the applicant or kept as material). */
  canUploadFiles: boolean;
  /** Accept (签收) or return (退回) the assignment: the assignee, while it waits for them. */
  canAnswerAssignment: boolean;
}

/** The request fields the abilities read. */
export type AbilityScope = RequestScope & {
  state: string;
  assigneeId?: unknown;
  assignmentStatus?: string | null;
  events: readonly { type: string; payload?: Record<string, unknown> | null }[];
};

/** Computes what the caller may do now (drives the buttons of both clients). */
export function abilitiesOf(actor: Actor, request: AbilityScope): RequestAbilities {
  const roles = lifecycleRoles(actor, request);
  const state = request.state as State;
  const history = historyOf(request.events);
  const events = new Set<EventType>();
  for (const role of roles) for (const event of allowedEvents(state, role, history)) events.add(event);
  const holds = (wanted: readonly StaffRole[]) => roles.some((role) => wanted.includes(role as StaffRole));
  return {
    events: eventTypes.filter((event) => events.has(event)),
    canAssign: actor.kind === "staff" && holds(assignRoles) && !isTerminal(state),
    canReveal: actor.kind === "staff" && holds(caseworkRoles),
    canAddNote: actor.kind === "staff" && holds(caseworkRoles),
    canUploadFiles: actor.kind === "staff" && holds(caseworkRoles),
    canAnswerAssignment: mayAnswerAssignment(actor, request),
  };
}

/** Whether the actor is the assignee of an assignment that waits for 签收 (and the case is open). */
export function mayAnswerAssignment(actor: Actor, request: AbilityScope): boolean {
  return (
    actor.kind === "staff" &&
    request.assignmentStatus === "pending" &&
    request.assigneeId != null &&
    String(request.assigneeId) === String(actor.id) &&
    !isTerminal(request.state as State)
  );
}
