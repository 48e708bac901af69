/**
 * The 行政复议机关 of an agency, named in every letter that offers a remedy. Under the 《中华人民共和国
 * 行政复议法》 as revised in 2023 (in force 2024-01-01) one level of government has one 复议机关:
 * - a department's act → 本级人民政府 (Art. 24 ¶1 (一)): the nearest 政府 above it in the tree;
 * - a 人民政府's act → 上一级人民政府 (Art. 24 ¶1 (二)): the nearest 政府 above it;
 * - a vertically managed organ (海关、金融、外汇管理、税务、国家安全机关) → 上一级主管部门 (Art. 27): its parent.
 * The agency's administrator may override the derived name (e.g. when the tree stops below the
 * reviewing body, or for a 国务院部门 or 省级人民政府, which review their own acts, Arts. 24–25).
 * Decisions dated before 2024-01-01 follow the law then in force (1999 law, Arts. 12–13): a
 * department's act could go to the 本级人民政府 or the 上一级主管部门, at the applicant's choice.
 */
import type { Types } from "mongoose";
import { Agency, type AgencyDoc } from "../models/Agency.ts";

/** Which rule named the 复议机关. */
export type ReviewBodyRule = "department" | "government" | "vertical";

/** The 复议机关 of an agency: derived from the tree, and the override in force if any. */
export interface ReviewBody {
  rule: ReviewBodyRule;
  /** Name derived from the tree, or null when the tree does not reach that body. */
  derivedName: string | null;
  /** The administrator's override ('' when none). */
  overrideName: string;
  /** The name letters print: the override, else the derived name, else null (generic wording). */
  name: string | null;
  /** The 本级人民政府 (for pre-2024 decisions of a department), from the tree. */
  levelGovernmentName: string | null;
}

/** The part of an agency the derivation reads. */
export type ReviewBodyAgency = Pick<AgencyDoc, "name" | "level" | "ancestors"> & {
  verticallyManaged?: boolean | null;
  reviewBody?: { name?: string | null } | null;
};

/** Generic wording when no name is known, per rule. */
export const reviewBodyGeneric: Readonly<Record<ReviewBodyRule, string>> = {
  department: "本级人民政府",
  government: "上一级人民政府",
  vertical: "上一级主管部门",
};

/** Human-readable rule with its article, for the admin page. */
export const reviewBodyRuleLabels: Readonly<Record<ReviewBodyRule, string>> = {
  department: "部门的行政行为由本级人民政府管辖（《中华人民共和国行政复议法》第二十四条第一款第（一）项）",
  government:
    "人民政府的行政行为由上一级人民政府管辖（《中华人民共和国行政复议法》第二十四条第一款第（二）项）",
  vertical: "垂直领导的行政机关的行政行为由上一级主管部门管辖（《中华人民共和国行政复议法》第二十七条）",
};

/**
 * Derives the 复议机关 from the agency and its ancestors.
 * @param ancestors the ancestors' documents (any order; matched by id against `agency.ancestors`).
 */
export function deriveReviewBody(
  agency: ReviewBodyAgency,
  ancestors: readonly Pick<AgencyDoc, "_id" | "name" | "level">[],
): ReviewBody {
  const byId = new Map(ancestors.map((a) => [String(a._id), a]));
  // Nearest first.
  const chain = [...agency.ancestors]
    .reverse()
    .map((id) => byId.get(String(id)))
    .filter((a): a is Pick<AgencyDoc, "_id" | "name" | "level"> => a !== undefined);
  const nearestGovernment = chain.find((a) => a.level === "government")?.name ?? null;
  const rule: ReviewBodyRule = agency.verticallyManaged
    ? "vertical"
    : agency.level === "government"
      ? "government"
      : "department";
  const derivedName = rule === "vertical" ? (chain[0]?.name ?? null) : nearestGovernment;
  const overrideName = agency.reviewBody?.name?.trim() ?? "";
  return {
    rule,
    derivedName,
    overrideName,
    name: overrideName || derivedName,
    levelGovernmentName: agency.level === "department" ? nearestGovernment : null,
  };
}

/** Loads the ancestors of `agencies` and derives each one's 复议机关, keyed by agency id. */
export async function reviewBodiesOf(
  agencies: readonly (ReviewBodyAgency & { _id: Types.ObjectId })[],
): Promise<Map<string, ReviewBody>> {
  const ids = [...new Set(agencies.flatMap((a) => a.ancestors.map(String)))];
  const ancestors =
    ids.length === 0
      ? []
      : await Agency.find({ _id: { $in: ids } }, { name: 1, level: 1 }).lean<
          Pick<AgencyDoc, "_id" | "name" | "level">[]
        >();
  return new Map(agencies.map((a) => [String(a._id), deriveReviewBody(a, ancestors)]));
}

/** The 复议机关 of one agency. */
export async function reviewBodyOf(agency: ReviewBodyAgency & { _id: Types.ObjectId }): Promise<ReviewBody> {
  const map = await reviewBodiesOf([agency]);
  return map.get(String(agency._id)) as ReviewBody;
}
