/**
 * The signed-in staff member, the chosen agency and the access flags, shared by every page.
 */
import type { StaffMe } from "@govinfo/shared/schemas/auth";
import { createContext, useContext } from "react";
import type { Access } from "./access.ts";

/** What pages read about the session. */
export interface Session {
  me: StaffMe;
  access: Access;
  /** The agency chosen in the switcher. */
  agencyId: string;
  setAgencyId(id: string): void;
  logout(): void;
}

/** The session context (always set inside the layout). */
export const SessionContext = createContext<Session | null>(null);

/** Reads the session; pages only render after login. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in layout");
  return session;
}
