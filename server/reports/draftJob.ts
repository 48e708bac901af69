/**
 * The yearly job: on and after 1 January (Asia/Shanghai) it drafts last year's annual report for every
 * agency (an idempotent upsert: an existing draft is refreshed, a published report is left alone) and
 * tells each agency's admins. StaffNotification is modelled per application (it requires a request),
 * so the notice is an audit event `report.draftReady` per agency, which the admin page lists.
 */

import type { Job, JobReport } from "../jobs/scheduler.ts";
import { Agency } from "../models/Agency.ts";
import { AnnualReport } from "../models/AnnualReport.ts";
import { AuditEvent } from "../models/AuditEvent.ts";
import { User } from "../models/User.ts";
import { audit } from "../services/audit.ts";
import { dateInChina } from "../services/calendar.ts";
import { refreshDraft, reportAgencyOf } from "./service.ts";

/** The job; looks every six hours (the first run of the year does the work, later runs refresh drafts). */
export const draftLastYearReportsJob: Job = {
  name: "draftLastYearReports",
  intervalMs: 6 * 60 * 60_000,
  run: draftLastYearReports,
};

/**
 * Drafts (or refreshes) last year's report of every agency until its deadline has passed.
 * @param now the current time; its year in Asia/Shanghai decides which statistics year is drafted.
 */
export async function draftLastYearReports(now: Date): Promise<JobReport> {
  const today = dateInChina(now);
  const year = Number(today.slice(0, 4)) - 1;
  const agencies = await Agency.find({}, { code: 1, name: 1, level: 1 }).lean();
  const report = {
    agencies: agencies.length,
    drafted: 0,
    refreshed: 0,
    published: 0,
    notified: 0,
    failed: 0,
  };
  let firstError: unknown;
  for (const agency of agencies) {
    const ref = reportAgencyOf(agency);
    try {
      const before = await AnnualReport.findOne({ agencyId: agency._id, year }, { status: 1 }).lean();
      if (before && before.status !== "draft") {
        report.published++;
        continue;
      }
      // After the deadline a draft is left as staff last saw it; a missing one is still created.
      const deadline = agency.level === "government" ? `${year + 1}-03-31` : `${year + 1}-01-31`;
      if (before && today > deadline) continue;
      const doc = await refreshDraft(ref, year);
      if (before) report.refreshed++;
      else report.drafted++;
      const already = await AuditEvent.countDocuments({
        action: "report.draftReady",
        targetId: String(doc._id),
      });
      if (already > 0) continue;
      const admins = await User.find(
        { roles: { $elemMatch: { agencyId: agency._id, role: "admin" } } },
        { _id: 1 },
      ).lean();
      await audit(null, {
        action: "report.draftReady",
        targetType: "annualReport",
        targetId: doc._id,
        agencyId: agency._id,
        details: {
          year,
          text: `${year}年政府信息公开工作年度报告草稿已生成，请核对并于${agency.level === "government" ? `${year + 1}年3月31日` : `${year + 1}年1月31日`}前发布`,
          notify: admins.map((a) => String(a._id)),
        },
      });
      report.notified += admins.length;
    } catch (error) {
      report.failed++;
      firstError ??= error;
    }
  }
  if (firstError && report.failed === agencies.length) throw firstError;
  return report;
}
