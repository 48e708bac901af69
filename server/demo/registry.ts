/**
 * Extra demo seeders run after the demo agency, staff and applications exist: the proactive
 * disclosure catalogue registers here (`seedDemoCatalogue`), and so can any later module. Add a line
 * to `demoSeeders`, or call `registerDemoSeeder` before the seeding runs.
 */
import type { IsoDate } from "@govinfo/shared/calendar/date";
import type { Random } from "@govinfo/shared/random";
import type { Logger } from "../logger.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import type { DemoAgencies } from "./agencies.ts";
import { catalogueDemoSeeder } from "./catalogue.ts";
import { citizenFeedbackDemoSeeder } from "./feedback.ts";
import { annualReportDemoSeeder } from "./reports.ts";
import type { DemoStaff } from "./staff.ts";
import { workflowDemoSeeder } from "./workflow.ts";

/** What an extra seeder receives. */
export interface DemoSeedContext {
  agencies: DemoAgencies;
  staff: DemoStaff;
  cipher: PersonalDataCipher;
  /** The day of the first start; seeded dates must not pass it. */
  today: IsoDate;
  /** Deterministic randomness (a generator of its own per seeder). */
  random: Random;
  logger: Logger;
}

/** An extra demo seeder; it runs once, on the first start, inside the demo seeding. */
export interface DemoSeeder {
  /** Unique name, e.g. "catalogue". */
  name: string;
  seed(context: DemoSeedContext): Promise<void>;
}

/** The registered extra seeders, in the order they run (the catalogue seeder goes here). */
export const demoSeeders: DemoSeeder[] = [
  catalogueDemoSeeder,
  workflowDemoSeeder,
  annualReportDemoSeeder,
  citizenFeedbackDemoSeeder,
];

/**
 * Adds a seeder unless one with the same name is registered.
 * @param seeder the seeder.
 */
export function registerDemoSeeder(seeder: DemoSeeder): void {
  if (!demoSeeders.some((existing) => existing.name === seeder.name)) demoSeeders.push(seeder);
}
