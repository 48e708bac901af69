/**
 * Prepares a data directory for the server-process benchmarks: the demo government seeded the way a
 * first start does, plus applicant accounts with open sessions. Sessions are opened with the server's
 * own `openSession`, because logging hundreds of citizens in over HTTP from one loopback address would
 * (rightly) trip the one-time-code rate limits, and those limits stay as they are.
 *
 * Runs in-process on the embedded database over the directory, then closes it so the server process
 * can open the same directory with the same data key.
 */
import { randomBytes } from "node:crypto";
import { maskPhone } from "@govinfo/shared/identity";
import { connectDatabase } from "../../server/db/connect.ts";
import { DEMO_AGENCY_CODE } from "../../server/demo/agencies.ts";
import { seedDemoData } from "../../server/demo/seed.ts";
import type { DemoLogin } from "../../server/demo/staff.ts";
import { createLogger } from "../../server/logger.ts";
import { Agency } from "../../server/models/Agency.ts";
import { Applicant } from "../../server/models/Applicant.ts";
import { createPersonalDataCipher } from "../../server/security/personalData.ts";
import { openSession } from "../../server/services/sessions.ts";

/** What the prepared directory holds. */
export interface DemoData {
  /** DATA_KEY for the server (hex), the key the personal data was sealed with. */
  dataKeyHex: string;
  /** The demo staff with their one-time passwords. */
  logins: DemoLogin[];
  /** Bearer tokens of distinct applicant accounts. */
  applicantTokens: string[];
  bureau: { id: string; code: string };
  seededRequests: number;
  seedMs: number;
}

/**
 * Seeds `dataDir` and opens `applicants` applicant sessions.
 * @param dataDir an empty directory; the database goes to `<dataDir>/mongo` as the server expects.
 * @param applicants how many applicant accounts to create.
 */
export async function prepareDemoData(dataDir: string, applicants: number): Promise<DemoData> {
  const key = randomBytes(32);
  const cipher = createPersonalDataCipher(key);
  const logger = createLogger({ level: "silent" });
  const db = await connectDatabase({ mongodbUri: undefined, dataDir, embeddedMongoPort: 0, logger });
  try {
    const started = performance.now();
    const seeded = await seedDemoData({ cipher, logger });
    const seedMs = performance.now() - started;
    const bureau = await Agency.findOne({ code: DEMO_AGENCY_CODE }, { _id: 1 }).lean();
    if (!seeded.seeded || !bureau) throw new Error("demo data was not seeded");
    await Applicant.init();
    // Shaped exactly like the accounts that `loginWithCode` creates on a first phone login.
    const phones = Array.from({ length: applicants }, (_, i) => `139${String(10_000_000 + i).slice(-8)}`);
    const accounts = await Applicant.insertMany(
      phones.map((phone) => ({
        phoneIndex: cipher.blindIndex(phone),
        phoneSealed: cipher.encrypt(phone),
        displayName: maskPhone(phone),
      })),
    );
    const applicantTokens: string[] = [];
    for (let i = 0; i < accounts.length; i += 50) {
      const batch = accounts.slice(i, i + 50);
      const sessions = await Promise.all(
        batch.map((account) => openSession({ kind: "applicant", applicantId: account._id }, "127.0.0.1")),
      );
      applicantTokens.push(...sessions.map((session) => session.token));
    }
    return {
      dataKeyHex: key.toString("hex"),
      logins: seeded.logins,
      applicantTokens,
      bureau: { id: String(bureau._id), code: DEMO_AGENCY_CODE },
      seededRequests: seeded.requests,
      seedMs,
    };
  } finally {
    await db.close();
  }
}
