/**
 * The actor scheduled jobs fire lifecycle events as: the `system` role of the shared machine, which
 * alone may fire the expiry events.
 */
import type { EventActor } from "../services/requestTransitioner.ts";

/** The system actor (系统) for events fired by jobs. */
export const systemActor: EventActor = { kind: "system", id: null, name: "系统", roles: ["system"] };

/** Returns true when a transition lost a race (someone acted first, or the state moved on). */
export function isLostRace(error: unknown): boolean {
  return typeof error === "object" && error !== null && "status" in error && error.status === 409;
}
