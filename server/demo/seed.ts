/**
 * Demo data for a first start (DEMO_DATA=on): the 海东市 government tree, the bureau's staff with
 * one-time passwords, two years of applications in every state and outcome, review cases, and
 * whatever extra seeders are registered (the catalogue). Idempotent: nothing happens when the demo
 * agency exists. Deterministic for a given day: data comes from a seeded generator (passwords do not).
 */
import type { IsoDate } from "@govinfo/shared/calendar/date";
import { createRandom } from "@govinfo/shared/random";
import { isDuplicateKey } from "../db/duplicateKey.ts";
import type { Logger } from "../logger.ts";
import { Agency } from "../models/Agency.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { createDemoAgencies, DEMO_AGENCY_CODE, type DemoAgencies } from "./agencies.ts";
import { silenceDemoOutbox } from "./outbox.ts";
import { type DemoSeedContext, demoSeeders } from "./registry.ts";
import { seedDemoRequests } from "./requests.ts";
import { seedDemoReviewCases } from "./reviewCases.ts";
import { createDemoStaff, type DemoLogin } from "./staff.ts";

/** Options of `seedDemoData`. */
export interface SeedDemoOptions {
  cipher: PersonalDataCipher;
  logger: Logger;
  /** The day to seed up to; defaults to today in Asia/Shanghai. */
  today?: IsoDate;
  /** Seed of the generator; the default gives the published demo. */
  seed?: number;
  /** Aborting stops between applications (shutdown during the first start). */
  signal?: AbortSignal;
}

/** What the seeding did. */
export interface SeedDemoResult {
  /** False when the demo agency already existed (or another instance was seeding at the same time). */
  seeded: boolean;
  /** The staff logins with their one-time passwords, to print once. */
  logins: DemoLogin[];
  requests: number;
  reviewCases: number;
}

/** The default generator seed. */
export const DEMO_SEED = 20_190_515;

/** Returns true when the database has no agency at all (a fresh install). */
export async function isDatabaseEmpty(): Promise<boolean> {
  return (await Agency.exists({})) === null;
}

/**
 * Seeds the demo data unless the demo agency exists.
 * @param options the cipher for personal data, a logger, and optionally the day and the seed.
 */
export async function seedDemoData(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const skipped: SeedDemoResult = { seeded: false, logins: [], requests: 0, reviewCases: 0 };
  if (await Agency.exists({ code: DEMO_AGENCY_CODE })) return skipped;
  const log = options.logger.child({ component: "demo" });
  const today = options.today ?? dateInChina();
  const seed = options.seed ?? DEMO_SEED;
  let agencies: DemoAgencies;
  try {
    // Agency codes are unique: a second instance seeding at the same moment stops here.
    await Agency.init();
    agencies = await createDemoAgencies();
  } catch (error) {
    if (isDuplicateKey(error)) return skipped;
    throw error;
  }
  const staff = await createDemoStaff(agencies);
  const requests = await seedDemoRequests({
    agency: agencies.bureau,
    staff,
    cipher: options.cipher,
    today,
    random: createRandom(seed),
    overrides: await calendarOverrides(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.signal?.aborted) {
    await silenceDemoOutbox([agencies.bureau._id]);
    log.warn({ requests: requests.length }, "demo seeding interrupted");
    return { seeded: true, logins: staff.logins, requests: requests.length, reviewCases: 0 };
  }
  const reviewCases = await seedDemoReviewCases(agencies.bureau, requests, today);
  await seedDemoCatalogue({
    agencies,
    staff,
    cipher: options.cipher,
    today,
    random: createRandom(seed + 1),
    logger: log,
  });
  // Before the scheduler starts: no text message about demo history may ever go out.
  const silenced = await silenceDemoOutbox([
    agencies.government._id,
    agencies.bureau._id,
    ...agencies.siblings.map((agency) => agency._id),
  ]);
  log.info({ requests: requests.length, reviewCases, silenced, today }, "demo data seeded");
  return { seeded: true, logins: staff.logins, requests: requests.length, reviewCases };
}

/**
 * Runs the registered extra seeders (`server/demo/registry.ts`), each with its own generator; the
 * catalogue engineer's `seedDemoCatalogue` is one of them.
 * @param context the demo tree, staff and day.
 */
export async function seedDemoCatalogue(context: DemoSeedContext): Promise<void> {
  let offset = 0;
  for (const seeder of demoSeeders) {
    offset += 1;
    await seeder.seed({ ...context, random: createRandom(DEMO_SEED + 100 + offset) });
    context.logger.info({ seeder: seeder.name }, "demo seeder finished");
  }
}

/** The start-up banner lines listing the demo logins (printed once, at the first start). */
export function demoLoginLines(logins: readonly DemoLogin[]): string[] {
  if (logins.length === 0) return [];
  return [
    "  演示账号（一次性密码，仅显示这一次，首次登录后须修改）:",
    ...logins.map(
      (login) =>
        `    ${login.username.padEnd(18)} ${login.password}  ${login.displayName}（${login.agencyName} ${roleNames[login.role]}）`,
    ),
  ];
}

const roleNames: Record<DemoLogin["role"], string> = {
  registrar: "登记",
  handler: "承办",
  reviewer: "审核",
  signer: "签发",
  admin: "管理员",
  supervisor: "监督",
};
