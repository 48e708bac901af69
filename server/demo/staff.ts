/**
 * Demo staff accounts: the five roles of the bureau and a supervisor at the city government. Each
 * gets a random one-time password, returned once so the start-up banner can print it; it must be
 * changed at first login. No password is written in the code.
 */
import { randomInt } from "node:crypto";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import type { Types } from "mongoose";
import { User } from "../models/User.ts";
import type { EventActor } from "../services/requestTransitioner.ts";
import { hashPassword } from "../services/staffLogin.ts";
import type { DemoAgencies } from "./agencies.ts";

/** A demo login as printed in the banner. */
export interface DemoLogin {
  username: string;
  displayName: string;
  role: StaffRole;
  agencyName: string;
  /** One-time password; shown once, stored only as an argon2 hash. */
  password: string;
}

/** The demo staff as event actors, by the role they act in. */
export interface DemoStaff {
  registrar: EventActor;
  handler: EventActor;
  reviewer: EventActor;
  signer: EventActor;
  admin: EventActor;
  logins: DemoLogin[];
}

const accounts: { username: string; displayName: string; role: StaffRole; at: "bureau" | "government" }[] = [
  { username: "hdsthjj-dengji", displayName: "马晓梅", role: "registrar", at: "bureau" },
  { username: "hdsthjj-chengban", displayName: "李建华", role: "handler", at: "bureau" },
  { username: "hdsthjj-shenhe", displayName: "张文斌", role: "reviewer", at: "bureau" },
  { username: "hdsthjj-qianfa", displayName: "王海涛", role: "signer", at: "bureau" },
  { username: "hdsthjj-admin", displayName: "祁德明", role: "admin", at: "bureau" },
  { username: "hdszf-jiandu", displayName: "赵永红", role: "supervisor", at: "government" },
];

/**
 * Creates the accounts with fresh one-time passwords.
 * @param agencies the demo tree.
 */
export async function createDemoStaff(agencies: DemoAgencies): Promise<DemoStaff> {
  const logins: DemoLogin[] = [];
  const actors = new Map<StaffRole, EventActor>();
  for (const account of accounts) {
    const agency = account.at === "bureau" ? agencies.bureau : agencies.government;
    const password = oneTimePassword();
    const user = await User.create({
      username: account.username,
      displayName: account.displayName,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      roles: [{ agencyId: agency._id, role: account.role }],
    });
    logins.push({ ...account, agencyName: agency.name, password });
    actors.set(account.role, actorOf(user._id, account.displayName, account.role));
  }
  const get = (role: StaffRole) => {
    const actor = actors.get(role);
    if (!actor) throw new Error(`demo ${role} missing`);
    return actor;
  };
  return {
    registrar: get("registrar"),
    handler: get("handler"),
    reviewer: get("reviewer"),
    signer: get("signer"),
    admin: get("admin"),
    logins,
  };
}

function actorOf(id: Types.ObjectId, name: string, role: StaffRole): EventActor {
  return { kind: "staff", id, name, roles: [role] };
}

/** 12 characters from an alphabet without look-alikes (0/O, 1/l/I), grouped for reading aloud. */
function oneTimePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const chars = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)] ?? "x");
  return `${chars.slice(0, 4).join("")}-${chars.slice(4, 8).join("")}-${chars.slice(8).join("")}`;
}
