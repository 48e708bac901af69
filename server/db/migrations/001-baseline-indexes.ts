/**
 * 001: creates every index the models declare, before the first request is served.
 *
 * mongoose's `autoIndex` (left on) builds the same indexes in the background after connecting, so
 * the first requests of a fresh database could run before a unique index exists, and a failed build
 * (duplicates already stored) only emits an event nobody waits for. Here the build finishes, or
 * stops the boot with its error, before the server listens. `createIndexes`, not `syncIndexes`:
 * syncIndexes also drops indexes the schema does not declare, which would remove an index an
 * operator added by hand, or one the previous release still uses during a rolling upgrade.
 * Dropping an index is a migration of its own, by name, once no release reads it.
 */
import { Agency } from "../../models/Agency.ts";
import { AnnualReport } from "../../models/AnnualReport.ts";
import { Applicant } from "../../models/Applicant.ts";
import { AuditEvent } from "../../models/AuditEvent.ts";
import { CalendarOverride } from "../../models/CalendarOverride.ts";
import { Counter } from "../../models/Counter.ts";
import { DisclosureRequest } from "../../models/DisclosureRequest.ts";
import { InfoItem } from "../../models/InfoItem.ts";
import { JobLease } from "../../models/JobLease.ts";
import { OtpCode } from "../../models/OtpCode.ts";
import { OutboxMessage } from "../../models/OutboxMessage.ts";
import { ReviewCase } from "../../models/ReviewCase.ts";
import { Session } from "../../models/Session.ts";
import { StaffNotification } from "../../models/StaffNotification.ts";
import { User } from "../../models/User.ts";
import type { Migration } from "./migration.ts";

/** The models of the first release, whose indexes the baseline builds. */
export const baselineModels = [
  Agency,
  AnnualReport,
  Applicant,
  AuditEvent,
  CalendarOverride,
  Counter,
  DisclosureRequest,
  InfoItem,
  JobLease,
  OtpCode,
  OutboxMessage,
  ReviewCase,
  Session,
  StaffNotification,
  User,
] as const;

/** The migration. */
export const migration: Migration = {
  id: "001-baseline-indexes",
  description: "为所有数据模型建立声明的索引（只新建，不删除已有索引）",
  // Index builds cannot run inside a multi-document transaction; createIndexes is idempotent.
  transactional: false,
  async up({ logger }) {
    for (const model of baselineModels) {
      // Created up front: later transactional migrations may write to any of them.
      await model.createCollection();
      await model.createIndexes();
      logger.debug({ model: model.modelName }, "indexes ensured");
    }
  },
};
