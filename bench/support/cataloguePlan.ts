/**
 * The catalogue the catalogue benchmark serves: 10,000 published items over nine years, categories
 * in the proportions of a real bureau's catalogue, 15% of each on a topic; and the searches it sends.
 */
import type { PlanEntry } from "../../server/demo/catalogue.ts";

/** Items in the benchmark catalogue. */
export const ITEMS = 10_000;

const mix: Array<[PlanEntry["category"], number]> = [
  ["licensing", 0.3],
  ["news", 0.22],
  ["notice", 0.2],
  ["policyInterpretation", 0.04],
  ["statistics", 0.03],
  ["emergency", 0.03],
  ["penalty", 0.05],
  ["other", 0.13],
];

/** What `insertCatalogue` creates. */
export const benchPlan: PlanEntry[] = [];
for (let year = 2016; year <= 2024; year++) {
  for (const [category, share] of mix) {
    benchPlan.push({
      year,
      category,
      count: Math.round((ITEMS / 9) * share),
      topical: Math.round((ITEMS / 9) * share * 0.15),
    });
  }
}
const planned = benchPlan.reduce((sum, p) => sum + p.count, 0);
(benchPlan.at(-1) as PlanEntry).count += ITEMS - planned;

/** Realistic searches: words, phrases, 文号 in several spellings. */
export const searchQueries = [
  "大气污染防治",
  "排污许可证",
  "环境影响报告表的批复",
  "海东生环发〔2019〕12号",
  "海东生环审[2021]30号",
  "海东生环发2018 7",
  "饮用水水源地",
  "突发环境事件应急预案",
  "行政处罚决定书",
  "环境空气质量状况",
  "秸秆禁烧",
  "危险废物专项检查",
  "污染防治攻坚战",
  "放管服",
  "脱贫攻坚",
  "扬尘",
  "乐都区",
  "互助土族自治县 水泥",
  "输变电工程",
  "污水处理厂提标改造",
  "重污染天气",
  "生态环境状况公报",
  "光伏发电项目环评",
  "医疗废物集中处置",
  "中央环保督察整改",
  "湟水河",
  "PM2.5",
  "优良天数比例",
  "建设项目环评文件质量抽查",
  "海东市生态环境局关于做好汛期环境安全隐患排查的通知",
  "罚款",
  "绿盾 自然保护地",
];
