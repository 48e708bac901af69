/**
 * Reads what one annual report needs, for one agency or a subtree and one statistics year (plus what
 * the previous year's figures need): lean reads with projections, never whole documents. The pure
 * assembly is `build.ts`.
 */
import { categories } from "@govinfo/shared/catalogue/categories";
import type { ApplicantType, OutcomeKey } from "@govinfo/shared/stats/keys";
import type {
  FormatVersion,
  ReportCaseInput,
  ReportRequestInput,
  Table2Values,
} from "@govinfo/shared/stats/report";
import { Types } from "mongoose";
import { Agency } from "../models/Agency.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { InfoItem } from "../models/InfoItem.ts";
import { ReviewCase } from "../models/ReviewCase.ts";
import { type CatalogueTable2, type Table2Source, table2FromItems } from "../services/catalogue/table2.ts";

/** An application as the report reads it: table 三 fields plus the answer due date (timeliness). */
export interface CollectedRequest extends ReportRequestInput {
  dueDate: string | null;
}

/** 信息处理费 actually paid in the year. */
export interface FeeFacts {
  /** Yuan. */
  collectedYuan: number;
  serialNos: string[];
}

/** 主动公开 items published in the year, by catalogue category. */
export interface PublicityFacts {
  total: number;
  byCategory: { key: string; label: string; count: number }[];
}

/** Everything a report for one year needs from the database. */
export interface CollectedData {
  year: number;
  requests: CollectedRequest[];
  cases: ReportCaseInput[];
  /** Table 二 第二十条第（一）项 from the catalogue. */
  catalogue: Table2Values;
  /** Last year's catalogue figures (roll-forward check in the 2021 format). */
  previousCatalogue: Table2Values;
  fees: FeeFacts;
  publicity: PublicityFacts;
}

/** Options of `collectReportData`. */
export interface CollectOptions {
  /** Skip the catalogue, fee and publicity reads (tables 三 and 四 only, e.g. summaries). */
  tablesOnly?: boolean;
  /**
   * Read every application as its own document (the full recount) instead of the compact rows the
   * database groups per agency. Both give identical data; the drift check compares them.
   */
  recount?: boolean;
}

/**
 * The agency and every agency below it (for a government's consolidated figures).
 * @param agencyId the root agency.
 */
export async function subtreeIds(agencyId: Types.ObjectId | string): Promise<Types.ObjectId[]> {
  const root = new Types.ObjectId(String(agencyId));
  const below = await Agency.find({ ancestors: root }, { _id: 1 }).lean();
  return [root, ...below.map((a) => a._id)];
}

/**
 * Reads the requests, review cases, catalogue figures and fees of `agencyIds` for `year` (and the
 * previous year, so both years' tables can be computed from one read), merged into one data set (one
 * agency, or a government's subtree).
 */
export async function collectReportData(
  agencyIds: readonly Types.ObjectId[],
  year: number,
  formatVersion: FormatVersion,
  options: CollectOptions = {},
): Promise<CollectedData> {
  const byAgency = await collectByAgency(agencyIds, year, formatVersion, options);
  if (agencyIds.length === 1) return byAgency.get(String(agencyIds[0])) ?? emptyData(year);
  return mergeCollected(byAgency, year, formatVersion, options);
}

/**
 * One data set for a government or a province out of its agencies' data sets (in `byAgency`'s order),
 * so a summary after every agency's report needs no second read.
 */
export function mergeCollected(
  byAgency: ReadonlyMap<string, CollectedData>,
  year: number,
  formatVersion: FormatVersion,
  options: CollectOptions = {},
): CollectedData {
  const merged = emptyData(year);
  const catalogueItems: Table2Source[] = [];
  for (const data of byAgency.values()) {
    merged.requests.push(...data.requests);
    merged.cases.push(...data.cases);
    merged.fees.collectedYuan += data.fees.collectedYuan;
    merged.fees.serialNos.push(...data.fees.serialNos);
    for (const c of data.publicity.byCategory) {
      const target = merged.publicity.byCategory.find((x) => x.key === c.key);
      if (target) target.count += c.count;
      else merged.publicity.byCategory.push({ ...c });
    }
    merged.publicity.total += data.publicity.total;
    catalogueItems.push(...(itemsOf.get(data) ?? []));
  }
  if (!options.tablesOnly) {
    const format = Number(formatVersion) as 2019 | 2021;
    merged.catalogue = catalogueValues(table2FromItems(catalogueItems, year, format));
    merged.previousCatalogue = catalogueValues(table2FromItems(catalogueItems, year - 1, format));
  }
  return merged;
}

/**
 * The same reads for many agencies at once, one query per collection, partitioned by agency (the
 * yearly job and the benchmark generate every agency's report this way).
 */
export async function collectByAgency(
  agencyIds: readonly Types.ObjectId[],
  year: number,
  formatVersion: FormatVersion,
  options: CollectOptions = {},
): Promise<Map<string, CollectedData>> {
  const ids = agencyIds.length === 1 ? agencyIds[0] : { $in: [...agencyIds] };
  const out = new Map<string, CollectedData>();
  for (const id of agencyIds) out.set(String(id), emptyData(year));
  const dataOf = (agencyId: unknown) => out.get(String(agencyId));
  const [requests, cases] = await Promise.all([
    options.recount ? readRequests(ids, year) : readRequestRows(ids, year),
    readCases(ids, year),
  ]);
  for (const { agencyId, request } of requests) dataOf(agencyId)?.requests.push(request);
  for (const { agencyId, item } of cases) dataOf(agencyId)?.cases.push(item);
  if (options.tablesOnly) return out;
  const format = Number(formatVersion) as 2019 | 2021;
  // Paid fees are rare: for many agencies one pass over the fee events beats one index seek per agency.
  const feeFilter = agencyIds.length > 8 ? undefined : ids;
  const [items, fees, publicity] = await Promise.all([
    readCatalogue(ids),
    readFees(feeFilter, year),
    readPublicity(agencyIds, year),
  ]);
  for (const [agencyId, data] of out) {
    const own = items.get(agencyId) ?? [];
    itemsOf.set(data, own);
    data.catalogue = catalogueValues(table2FromItems(own, year, format));
    data.previousCatalogue = catalogueValues(table2FromItems(own, year - 1, format));
    data.fees = fees.get(agencyId) ?? { collectedYuan: 0, serialNos: [] };
    data.publicity = publicity.get(agencyId) ?? { total: 0, byCategory: [] };
  }
  return out;
}

// The catalogue items behind each collected data set, so a subtree can recount table 二 over the union.
const itemsOf = new WeakMap<CollectedData, Table2Source[]>();

function emptyData(year: number): CollectedData {
  return {
    year,
    requests: [],
    cases: [],
    catalogue: {},
    previousCatalogue: {},
    fees: { collectedYuan: 0, serialNos: [] },
    publicity: { total: 0, byCategory: [] },
  };
}

type AgencyFilter = Types.ObjectId | { $in: Types.ObjectId[] } | undefined;

interface RequestRow {
  agencyId: Types.ObjectId;
  serialNo: string;
  applicant?: { type?: string };
  receiptDate?: string | null;
  closedDate?: string | null;
  outcome?: string | null;
  dueDate?: string | null;
}

// Received by the end of the year and open on 1 January of the previous year: enough for both years.
// `$lte` never matches null, so never-confirmed submissions stay out; the closed-date bound is applied
// here rather than as an `$or` in the query, which the server would evaluate per document anyway.
async function readRequests(
  agencyId: AgencyFilter,
  year: number,
): Promise<{ agencyId: Types.ObjectId; request: CollectedRequest }[]> {
  const rows = await DisclosureRequest.find(
    { agencyId, receiptDate: { $lte: `${year}-12-31` } },
    {
      _id: 0,
      agencyId: 1,
      serialNo: 1,
      "applicant.type": 1,
      receiptDate: 1,
      closedDate: 1,
      outcome: 1,
      dueDate: 1,
    },
  ).lean<RequestRow[]>();
  const from = `${year - 1}-01-01`;
  const out: { agencyId: Types.ObjectId; request: CollectedRequest }[] = [];
  for (const row of rows) {
    const closedDate = row.closedDate ?? null;
    if (!row.receiptDate || (closedDate !== null && closedDate < from)) continue;
    out.push({
      agencyId: row.agencyId,
      request: {
        serialNo: row.serialNo,
        applicantType: (row.applicant?.type ?? "natural") as ApplicantType,
        receiptDate: row.receiptDate,
        closedDate,
        outcome: (row.outcome ?? null) as OutcomeKey | null,
        dueDate: row.dueDate ?? null,
      },
    });
  }
  return out;
}

// The compact read: the database filters as `readRequests` does and groups the applications per agency,
// each as one string `receipt|closed|outcome|due|applicantType|serialNo` ("~" for null), in natural
// order. One document per agency instead of one per application: the wire, the decoder and the heap see
// a few thousand objects and one string per application, the cost `readRequests` pays in objects. The
// serial number goes last (it may contain "|"); the other fields are dates and keys, which never do.
// MongoDB caps a document at 16 MiB: about 250,000 applications of one agency in the two years read.
const NULL_MARK = "~";
const orMark = (field: string) => ({ $ifNull: [field, NULL_MARK] });

async function readRequestRows(
  agencyId: AgencyFilter,
  year: number,
): Promise<{ agencyId: Types.ObjectId; request: CollectedRequest }[]> {
  const from = `${year - 1}-01-01`;
  const groups = await DisclosureRequest.aggregate<{ _id: Types.ObjectId; rows: string[] }>([
    {
      $match: { agencyId, receiptDate: { $lte: `${year}-12-31` }, closedDate: { $not: { $lt: from } } },
    },
    {
      $group: {
        _id: "$agencyId",
        rows: {
          $push: {
            $concat: [
              "$receiptDate",
              "|",
              orMark("$closedDate"),
              "|",
              orMark("$outcome"),
              "|",
              orMark("$dueDate"),
              "|",
              { $ifNull: ["$applicant.type", "natural"] },
              "|",
              "$serialNo",
            ],
          },
        },
      },
    },
  ]);
  const out: { agencyId: Types.ObjectId; request: CollectedRequest }[] = [];
  const field = (value: string) => (value === NULL_MARK ? null : value);
  for (const group of groups) {
    for (const row of group.rows) {
      const a = row.indexOf("|");
      const b = row.indexOf("|", a + 1);
      const c = row.indexOf("|", b + 1);
      const d = row.indexOf("|", c + 1);
      const e = row.indexOf("|", d + 1);
      const receiptDate = row.slice(0, a);
      const closedDate = field(row.slice(a + 1, b));
      if (!receiptDate || (closedDate !== null && closedDate < from)) continue;
      out.push({
        agencyId: group._id,
        request: {
          serialNo: row.slice(e + 1),
          applicantType: row.slice(d + 1, e) as ApplicantType,
          receiptDate,
          closedDate,
          outcome: field(row.slice(b + 1, c)) as OutcomeKey | null,
          dueDate: field(row.slice(c + 1, d)),
        },
      });
    }
  }
  return out;
}

async function readCases(
  agencyId: AgencyFilter,
  year: number,
): Promise<{ agencyId: Types.ObjectId; item: ReportCaseInput }[]> {
  const rows = await ReviewCase.find(
    { agencyId, filedDate: { $lte: `${year}-12-31` } },
    { _id: 0, agencyId: 1, caseNo: 1, kind: 1, filedDate: 1, closedDate: 1, result: 1 },
  ).lean<
    {
      agencyId: Types.ObjectId;
      caseNo: string;
      kind: ReportCaseInput["kind"];
      filedDate: string;
      closedDate?: string | null;
      result?: ReportCaseInput["result"];
    }[]
  >();
  const from = `${year - 1}-01-01`;
  return rows
    .filter((row) => !row.closedDate || row.closedDate >= from)
    .map((row) => ({
      agencyId: row.agencyId,
      item: {
        caseNo: row.caseNo,
        kind: row.kind,
        filedDate: row.filedDate,
        closedDate: row.closedDate ?? null,
        result: row.result ?? null,
      },
    }));
}

async function readCatalogue(agencyId: AgencyFilter): Promise<Map<string, Table2Source[]>> {
  const rows = await InfoItem.find(
    { agencyId, docKind: { $in: ["regulation", "normative"] }, status: "published" },
    { _id: 0, agencyId: 1, docKind: 1, formedDate: 1, publishedDate: 1, repealedDate: 1 },
  ).lean<(Table2Source & { agencyId: Types.ObjectId })[]>();
  const out = new Map<string, Table2Source[]>();
  for (const row of rows) {
    const key = String(row.agencyId);
    const list = out.get(key) ?? [];
    list.push({
      docKind: row.docKind,
      formedDate: row.formedDate,
      publishedDate: row.publishedDate ?? null,
      repealedDate: row.repealedDate ?? null,
    });
    out.set(key, list);
  }
  return out;
}

interface FeeEventRow {
  agencyId: Types.ObjectId;
  serialNo: string;
  events: { type: string; date: string; payload?: { amount?: unknown } }[];
}

// A fee counts in the year it was paid; the amount is the notice's (the last one before payment).
async function readFees(agencyId: AgencyFilter, year: number): Promise<Map<string, FeeFacts>> {
  const rows = await DisclosureRequest.find(
    { ...(agencyId === undefined ? {} : { agencyId }), "events.type": "feePaid" },
    { _id: 0, agencyId: 1, serialNo: 1, "events.type": 1, "events.date": 1, "events.payload.amount": 1 },
  ).lean<FeeEventRow[]>();
  const out = new Map<string, FeeFacts>();
  for (const row of rows) {
    let amount = 0;
    for (const event of row.events) {
      if (event.type === "feeNotice" && typeof event.payload?.amount === "number")
        amount = event.payload.amount;
      if (event.type === "feePaid" && event.date.startsWith(`${year}-`)) {
        const key = String(row.agencyId);
        const facts = out.get(key) ?? { collectedYuan: 0, serialNos: [] };
        facts.collectedYuan += amount;
        facts.serialNos.push(row.serialNo);
        out.set(key, facts);
      }
    }
  }
  return out;
}

async function readPublicity(
  agencyIds: readonly Types.ObjectId[],
  year: number,
): Promise<Map<string, PublicityFacts>> {
  const groups = await InfoItem.aggregate<{
    _id: { agencyId: Types.ObjectId; category: string };
    count: number;
  }>([
    { $match: { agencyId: { $in: [...agencyIds] }, status: "published", publishedYear: year } },
    { $group: { _id: { agencyId: "$agencyId", category: "$category" }, count: { $sum: 1 } } },
  ]);
  // One pass over the groups: a province has thousands of agencies, so no per-agency scan of them all.
  const counts = new Map<string, Map<string, number>>();
  for (const group of groups) {
    const agencyId = String(group._id.agencyId);
    const own = counts.get(agencyId) ?? new Map<string, number>();
    own.set(group._id.category, group.count);
    counts.set(agencyId, own);
  }
  const out = new Map<string, PublicityFacts>();
  for (const [agencyId, own] of counts) {
    const byCategory = categories
      .map((category) => ({ key: category.key, label: category.label, count: own.get(category.key) ?? 0 }))
      .filter((c) => c.count > 0);
    out.set(agencyId, { total: byCategory.reduce((sum, c) => sum + c.count, 0), byCategory });
  }
  return out;
}

function catalogueValues(table: CatalogueTable2): Table2Values {
  return {
    regulations: { ...table.regulations },
    normativeDocuments: { ...table.normativeDocuments },
  };
}
