/**
 * Demo annual report: last year's 政府信息公开工作年度报告 of the demo bureau, generated from the seeded
 * data, with the paragraphs staff would write and the table 二 figures from other systems filled in,
 * then published — so a citizen opening 年度报告 on a fresh install finds a real one.
 */
import type { CategoryKey } from "@govinfo/shared/catalogue/categories";
import type { NarrativeParagraph } from "@govinfo/shared/stats/report";
import type { Types } from "mongoose";
import { InfoItem } from "../models/InfoItem.ts";
import { PLACEHOLDER_MARK } from "../reports/narrative.ts";
import { findAgency, publishReport, refreshDraft, updateInputs, updateSections } from "../reports/service.ts";
import type { DemoSeeder } from "./registry.ts";

/** Published catalogue items of a category in a year. */
export function publishedIn(agencyId: Types.ObjectId, year: number, category: CategoryKey): Promise<number> {
  return InfoItem.countDocuments({ agencyId, category, status: "published", publishedYear: year });
}

/** What the bureau's staff write in the paragraphs the generator cannot draft from data. */
const WRITTEN_BY_STAFF: Record<string, string> = {
  "（三）政府信息管理":
    "严格落实公文公开属性源头认定，对拟公开的政府信息依法依规进行保密审查；建立规章和行政规范性文件公开台账，动态更新现行有效文件目录，确保公开信息底数清晰、准确。",
  "（四）政府信息公开平台建设":
    "依托门户网站政府信息公开专栏和政务新媒体同步发布政府信息，上线依申请公开网上办理和微信小程序，申请人可在线提交申请、查询办理进度、接收答复文书。",
  "（五）监督保障":
    "将政府信息公开工作纳入年度绩效考核，定期通报依申请公开办理时效；本年度未发生因政府信息公开工作被责任追究的情况。",
};

const PROBLEMS = [
  "一是部分科室对主动公开时限要求把握不够，个别信息未能在形成之日起20个工作日内公开；二是政策解读形式较为单一，图解、视频解读偏少。",
  "下一步，我局将加强对公开时限的提醒和督办，丰富政策解读形式，进一步提升依申请公开答复的规范化水平。",
];

/** Publishes last year's report of the demo bureau (skipped quietly if its checks do not pass). */
export const annualReportDemoSeeder: DemoSeeder = {
  name: "annualReport",
  async seed({ agencies, today, logger }) {
    const year = Number(today.slice(0, 4)) - 1;
    const agency = await findAgency(String(agencies.bureau._id));
    const draft = await refreshDraft(agency, year);
    const overview = ((draft.sections as { overview?: NarrativeParagraph[] } | undefined)?.overview ?? [])
      .filter((p) => p.text.includes(PLACEHOLDER_MARK))
      .map((p) => ({ key: p.key, text: WRITTEN_BY_STAFF[p.heading ?? ""] ?? "本年度该项工作按计划推进。" }));
    await updateSections(agency, year, { overview, problems: PROBLEMS }, null);
    await updateInputs(
      agency,
      year,
      {
        // The decisions the catalogue published that year: table 二 then says what the catalogue holds.
        two: {
          licensing: { decisions: await publishedIn(agencies.bureau._id, year, "licensing") },
          penalty: { decisions: await publishedIn(agencies.bureau._id, year, "penalty") },
          enforcement: { decisions: await publishedIn(agencies.bureau._id, year, "enforcement") },
          fees: { amountWan: 0 },
        },
      },
      null,
    );
    try {
      await publishReport(agency, year, null);
    } catch (error) {
      logger.warn({ err: error, year }, "demo annual report left as a draft");
    }
  },
};
