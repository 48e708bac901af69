/**
 * The full recount as the check of the compact read: for every agency, last year's report built from
 * the rows the database groups per agency (`collectByAgency`, what reports use) and from every
 * application read as its own document (`recount: true`) must be identical, tables, checks and
 * provenance alike. Any difference is drift: a fault in the grouping pipeline or in the database
 * serving it (an embedded-server regression, a MongoDB version that orders or casts differently).
 */
import { formatVersionForYear } from "@govinfo/shared/stats/report";
import type { Types } from "mongoose";
import type { Job, JobReport } from "../jobs/scheduler.ts";
import type { Logger } from "../logger.ts";
import { Agency } from "../models/Agency.ts";
import { dateInChina } from "../services/calendar.ts";
import { buildReport } from "./build.ts";
import { type CollectOptions, collectByAgency } from "./collect.ts";

/** One agency whose two reports differ, and the first cells (or parts) that do. */
export interface Drift {
  agencyCode: string;
  differences: string[];
}

/** Agencies compared per read: bounds the recount's memory (its documents are held per batch). */
const BATCH = 200;

/**
 * Compares both reads for every agency and `year`.
 * @param agencyIds limit to these agencies (default: all).
 */
export async function findReportDrift(
  year: number,
  agencyIds?: readonly Types.ObjectId[],
): Promise<{ agencies: number; drifts: Drift[] }> {
  const agencies = await Agency.find(agencyIds ? { _id: { $in: [...agencyIds] } } : {}, {
    code: 1,
    name: 1,
    level: 1,
  }).lean();
  const formatVersion = formatVersionForYear(year);
  const drifts: Drift[] = [];
  for (let i = 0; i < agencies.length; i += BATCH) {
    const batch = agencies.slice(i, i + BATCH);
    const ids = batch.map((a) => a._id);
    const build = async (options: CollectOptions) => {
      const data = await collectByAgency(ids, year, formatVersion, options);
      return batch.map((agency) => {
        const collected = data.get(String(agency._id));
        if (!collected) throw new Error(`no data for agency ${agency.code}`);
        return buildReport({
          agency: {
            code: agency.code,
            name: agency.name,
            level: agency.level as "department" | "government",
          },
          year,
          formatVersion,
          data: collected,
          manual: {},
          table4Basis: "filedInYear",
        }).model;
      });
    };
    const compact = await build({});
    const recount = await build({ recount: true });
    for (const [j, agency] of batch.entries()) {
      const differences = differingPaths(compact[j], recount[j]);
      if (differences.length > 0) drifts.push({ agencyCode: agency.code, differences });
    }
  }
  return { agencies: agencies.length, drifts };
}

/** Paths (e.g. `provenance.three.granted.natural`) where two JSON values differ, at most 10. */
export function differingPaths(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) !== Array.isArray(b)) out.push(path || "(root)");
    else if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) out.push(path);
    else {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys)
        differingPaths(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
          path ? `${path}.${key}` : key,
          out,
        );
    }
  } else if (a !== b) out.push(path || "(root)");
  return out;
}

/**
 * The drift job: once a day in January to March (while last year's reports are drafted and
 * published), compares both reads for last year and logs every drifted agency as an error.
 */
export function createReportDriftJob(logger: Logger): Job {
  const log = logger.child({ component: "reportDrift" });
  return {
    name: "reportDrift",
    intervalMs: 24 * 60 * 60_000,
    async run(now: Date): Promise<JobReport> {
      const today = dateInChina(now);
      if (today.slice(5) > "03-31") return { agencies: 0, drifted: 0 };
      const year = Number(today.slice(0, 4)) - 1;
      const { agencies, drifts } = await findReportDrift(year);
      for (const drift of drifts)
        log.error(
          { agency: drift.agencyCode, year, differences: drift.differences },
          "annual report drift: the compact read and the full recount differ",
        );
      return { agencies, drifted: drifts.length };
    },
  };
}
