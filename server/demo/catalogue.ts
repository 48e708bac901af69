/**
 * Demo catalogue of 海东市生态环境局, shaped after its 2019 annual report: 1,448 items published in
 * 2019 (政策解读 11, 统计数据 6, 行政许可 314, 安全及应急管理 7, 其他 1,110, among them the 11 规章
 * made and published that year, since the report lists no separate 政策文件 column), 207 of them under
 * the 专题 污染防治 / 脱贫攻坚 / 放管服; then a smaller 2020. Items are built in memory (tokens
 * included) and bulk-inserted, so the whole catalogue takes about a second.
 */

import { addDays, type IsoDate } from "@govinfo/shared/calendar/date";
import { type CalendarOverrides, isWorkingDay } from "@govinfo/shared/calendar/workdays";
import type { CategoryKey, DocKind } from "@govinfo/shared/catalogue/categories";
import { createRandom, type Random } from "@govinfo/shared/random";
import { Types } from "mongoose";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import { Counter } from "../models/Counter.ts";
import { InfoItem } from "../models/InfoItem.ts";
import { calendarOverrides, dateInChina } from "../services/calendar.ts";
import { bumpCatalogueGeneration } from "../services/catalogue/cache.ts";
import { lateness } from "../services/catalogue/compliance.ts";
import { excerptOf, formatIndexNo } from "../services/catalogue/items.ts";
import { itemTokens } from "../services/catalogue/tokens.ts";
import type { DemoSeeder } from "./registry.ts";

/** One slice of a catalogue plan: `count` items of a category published in `year`. */
export interface PlanEntry {
  year: number;
  category: CategoryKey;
  count: number;
  docKind?: DocKind;
  /** How many of them carry one of the three seed topics. */
  topical?: number;
  /** The last day an item may be published (the demo's today, in the current year). */
  until?: IsoDate;
}

/** The seed report's 2019 catalogue, then a plausible 2020. */
export const demoPlan: readonly PlanEntry[] = [
  { year: 2019, category: "policyInterpretation", count: 11, topical: 11 },
  { year: 2019, category: "statistics", count: 6 },
  { year: 2019, category: "licensing", count: 314, topical: 40 },
  { year: 2019, category: "emergency", count: 7 },
  { year: 2019, category: "other", count: 11, docKind: "regulation" },
  { year: 2019, category: "other", count: 1099, topical: 156 },
  { year: 2020, category: "policyDocument", count: 2, docKind: "normative" },
  { year: 2020, category: "policyInterpretation", count: 6 },
  { year: 2020, category: "statistics", count: 8 },
  { year: 2020, category: "licensing", count: 120 },
  { year: 2020, category: "penalty", count: 12 },
  { year: 2020, category: "emergency", count: 9 },
  { year: 2020, category: "notice", count: 60, topical: 20 },
  { year: 2020, category: "news", count: 90, topical: 25 },
];

/**
 * A year of an agency's ordinary catalogue from 2021 on, published up to `until` (the demo's
 * today in the current year), scaled down for the smaller agencies. Departments make no 规章 (only
 * people's governments do, 《立法法》第九十三条); the government's 规章 are its own.
 * @param scale 1 for the bureau, less for the others.
 */
export function livingPlan(
  year: number,
  until: IsoDate,
  kind: "government" | "department",
  scale = 1,
): PlanEntry[] {
  const yearEnd = `${year}-12-31`;
  const share = yearEnd <= until ? 1 : dayOfYear(until) / 365;
  const n = (count: number) => Math.max(1, Math.round(count * scale * share));
  const bound = yearEnd <= until ? {} : { until };
  const entries: PlanEntry[] = [
    { year, category: "policyDocument", count: n(3), docKind: "normative" },
    { year, category: "policyInterpretation", count: n(3) },
    { year, category: "statistics", count: n(5) },
    { year, category: "licensing", count: n(60) },
    { year, category: "penalty", count: n(8) },
    { year, category: "notice", count: n(20), topical: n(4) },
    { year, category: "news", count: n(30), topical: n(5) },
  ];
  if (kind === "government") entries.push({ year, category: "other", count: n(2), docKind: "regulation" });
  return entries.map((entry) => ({ ...entry, ...bound }));
}

function dayOfYear(date: IsoDate): number {
  const start = Date.UTC(Number(date.slice(0, 4)), 0, 1);
  return Math.max(1, Math.round((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000) + 1);
}

/** How an agency's texts name it: full name, short name in running text, 文号 prefix. */
export interface CatalogueVoice {
  name: string;
  shortName: string;
  docPrefix: string;
}

const BUREAU_VOICE: CatalogueVoice = {
  name: "海东市生态环境局",
  shortName: "市生态环境局",
  docPrefix: "海东生环",
};

const SEED_TOPICS = ["污染防治", "脱贫攻坚", "放管服"] as const;
const COUNTIES = [
  "乐都区",
  "平安区",
  "民和回族土族自治县",
  "互助土族自治县",
  "化隆回族自治县",
  "循化撒拉族自治县",
];
const COMPANIES = [
  "青海互助青稞酒股份有限公司",
  "海东市平安区宏达建材有限公司",
  "民和县川垣新材料有限公司",
  "乐都区瑞丰砖厂",
  "化隆县群科新区污水处理厂",
  "循化县清水河水泥有限公司",
  "青海海东金圆水泥有限公司",
  "互助县威远镇集中供热站",
  "青海黄河上游水电开发有限责任公司",
  "海东工业园区热力有限公司",
];
const PROJECTS = [
  "年产10万吨商品混凝土搅拌站建设项目",
  "生活垃圾无害化处理场扩建工程",
  "110千伏输变电工程",
  "集中供热锅炉超低排放改造项目",
  "污水处理厂提标改造工程",
  "砂石料加工项目",
  "农村饮用水水源地保护工程",
  "光伏发电项目",
  "医疗废物集中处置中心建设项目",
  "石料厂矿山生态修复项目",
];
const REGULATIONS = [
  "海东市大气污染防治条例实施办法",
  "海东市湟水河流域水环境保护办法",
  "海东市扬尘污染防治管理办法",
  "海东市机动车排气污染防治办法",
  "海东市饮用水水源保护区管理办法",
  "海东市危险废物规范化管理办法",
  "海东市环境噪声污染防治办法",
  "海东市建设项目环境保护管理办法",
  "海东市固体废物污染环境防治办法",
  "海东市生态环境损害赔偿办法",
  "海东市秸秆禁烧管理办法",
];
const POLICIES = [
  "海东市打赢蓝天保卫战三年行动实施方案",
  "海东市水污染防治工作方案",
  "海东市土壤污染防治工作方案",
  "关于深化“放管服”改革优化营商环境的若干措施",
  "海东市生态环境保护助力脱贫攻坚实施意见",
  "海东市农村人居环境整治三年行动方案",
  "海东市排污许可证核发工作实施方案",
  "海东市环境影响评价审批正面清单",
  "海东市生态环境领域扫黑除恶专项斗争实施方案",
  "海东市污染防治攻坚战考核办法",
  "海东市生态环境保护督察整改方案",
];
const MEETINGS = [
  "全市生态环境保护工作会议",
  "中央环保督察反馈问题整改推进会",
  "污染防治攻坚战推进会",
  "“放管服”改革工作座谈会",
  "生态环境领域脱贫攻坚专题会议",
  "大气污染防治联防联控会议",
  "湟水河流域水污染防治现场会",
  "生态环境执法培训班",
];
const NOTICES = [
  "开展夏季臭氧污染防控专项行动",
  "做好秸秆禁烧工作",
  "开展饮用水水源地环境问题排查整治",
  "做好汛期环境安全隐患排查",
  "开展危险废物专项检查",
  "做好重污染天气应急准备",
  "开展建设项目环评文件质量抽查",
  "报送污染源普查数据",
  "开展“绿盾”自然保护地监督检查",
  "做好排污许可证核发登记",
];

/** A function that returns a float in [0, 1). */
type Rng = () => number;

interface Slot {
  entry: PlanEntry;
  index: number;
}

/**
 * Builds the item documents of a plan in memory (tokens, excerpts, 索引号, Art. 26 lateness).
 * @param startSeq first 索引号 sequence per year (defaults to 1).
 */
export function buildCatalogueDocs(
  agency: Pick<AgencyDoc, "_id" | "code">,
  plan: readonly PlanEntry[],
  rng: Rng,
  overrides: CalendarOverrides = [],
  startSeq: ReadonlyMap<number, number> = new Map(),
  voice: CatalogueVoice = BUREAU_VOICE,
): { docs: Array<Record<string, unknown>>; lastSeq: Map<number, number> } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
  const seqs = new Map<number, number>();
  const docNumbers = new Map<string, number>();
  const nextDocNumber = (prefix: string, year: number) => {
    const key = `${prefix}${year}`;
    const n = (docNumbers.get(key) ?? 0) + 1;
    docNumbers.set(key, n);
    return `${prefix}〔${year}〕${n}号`;
  };
  const slots: Slot[] = plan.flatMap((entry) =>
    Array.from({ length: entry.count }, (_, index) => ({ entry, index })),
  );
  // Publication dates first, in date order, so 文号 sequence numbers rise with time.
  const dated = slots.map((slot) => ({
    slot,
    published: randomWorkingDay(slot.entry.year, rng, overrides, slot.entry.until),
  }));
  dated.sort((a, b) => a.published.localeCompare(b.published));
  let regulationNo = 0;
  const docs = dated.map(({ slot, published }) => {
    const { entry, index } = slot;
    const docKind = entry.docKind ?? "other";
    const isLate = docKind === "other" && rng() < 0.008;
    let formed = subtractWorkingDays(published, isLate ? int(21, 32) : int(0, 12), overrides);
    // Table 二 counts 规章 made in the year they were published; keep them inside it.
    if (docKind !== "other" && formed.slice(0, 4) !== published.slice(0, 4)) formed = published;
    const year = entry.year;
    const topics = index < (entry.topical ?? 0) ? [SEED_TOPICS[index % SEED_TOPICS.length] as string] : [];
    const text = inVoice(
      contentFor(entry.category, docKind, year, published, {
        pick,
        int,
        nextDocNumber: (prefix, y) =>
          nextDocNumber(prefix.replace(BUREAU_VOICE.docPrefix, voice.docPrefix), y),
        topics,
        regulationNo: () => ++regulationNo,
      }),
      voice,
    );
    const formedYear = Number(formed.slice(0, 4));
    const seq = (seqs.get(formedYear) ?? (startSeq.get(formedYear) ?? 1) - 1) + 1;
    seqs.set(formedYear, seq);
    const tokens = itemTokens({ title: text.title, docNumber: text.docNumber, body: text.body, topics });
    return {
      _id: new Types.ObjectId(),
      agencyId: agency._id,
      indexNo: formatIndexNo(agency.code, formedYear, seq),
      title: text.title,
      docNumber: text.docNumber,
      category: entry.category,
      docKind,
      topics,
      summary: "",
      body: text.body,
      link: "",
      excerpt: excerptOf(text.body),
      attachments: [],
      formedDate: formed,
      publishedDate: published,
      publishedYear: Number(published.slice(0, 4)),
      repealedDate: null,
      validity: "inForce",
      status: "published",
      withdrawnReason: "",
      ...tokens,
      lateByWorkingDays: lateness(formed, published, overrides),
      createdAt: new Date(`${published}T09:00:00+08:00`),
      // "Now", not the publication day: readers sync the items changed since they last looked.
      updatedAt: new Date(),
    };
  });
  return { docs, lastSeq: seqs };
}

interface TextTools {
  pick<T>(items: readonly T[]): T;
  int(min: number, max: number): number;
  nextDocNumber(prefix: string, year: number): string;
  topics: string[];
  regulationNo(): number;
}

// The texts are written as the bureau; another agency's items name that agency instead.
function inVoice(
  text: { title: string; docNumber: string; body: string },
  voice: CatalogueVoice,
): { title: string; docNumber: string; body: string } {
  if (voice === BUREAU_VOICE) return text;
  const speak = (value: string) =>
    value.replaceAll(BUREAU_VOICE.name, voice.name).replaceAll(BUREAU_VOICE.shortName, voice.shortName);
  return { title: speak(text.title), docNumber: text.docNumber, body: speak(text.body) };
}

// A statistics release reports on a period that has ended by its publication day: the quarter or
// half-year just past, or the whole of last year early in the year.
function reportedPeriod(published: IsoDate, pick: <T>(items: readonly T[]) => T): string {
  const year = Number(published.slice(0, 4));
  const month = Number(published.slice(5, 7));
  if (month <= 3) return `${year - 1}年全年`;
  if (month <= 6) return `${year}年第一季度`;
  if (month <= 9) return `${year}年${pick(["第二季度", "上半年"])}`;
  return `${year}年第三季度`;
}

// A monthly work report is published in the month after the one it reports.
function reportedMonth(published: IsoDate): string {
  const year = Number(published.slice(0, 4));
  const month = Number(published.slice(5, 7));
  return month === 1 ? `${year - 1}年12月` : `${year}年${month - 1}月`;
}

function contentFor(
  category: CategoryKey,
  docKind: DocKind,
  year: number,
  published: IsoDate,
  t: TextTools,
): { title: string; docNumber: string; body: string } {
  const county = t.pick(COUNTIES);
  const company = t.pick(COMPANIES);
  const topicLine = t.topics.length > 0 ? `本信息属于“${t.topics[0]}”专题。` : "";
  if (docKind === "regulation") {
    const name = REGULATIONS[(t.regulationNo() - 1) % REGULATIONS.length] as string;
    return {
      title: name,
      docNumber: `海东市人民政府令第${t.int(1, 30)}号`,
      body: `《${name}》已经市人民政府常务会议审议通过，现予公布，自公布之日起施行。\n\n第一条 为了保护和改善生态环境，防治污染，保障公众健康，推进生态文明建设，根据有关法律、法规，结合本市实际，制定本办法。\n\n第二条 本办法适用于本市行政区域内的生态环境保护及其监督管理活动。${topicLine}`,
    };
  }
  if (docKind === "normative") {
    const name = t.pick(POLICIES);
    return {
      title: `海东市生态环境局关于印发《${name}》的通知`,
      docNumber: t.nextDocNumber("海东生环发", year),
      body: `各县（区）生态环境局、局属各单位：现将《${name}》印发给你们，请结合实际认真贯彻执行。本文件自印发之日起施行，有效期五年。${topicLine}`,
    };
  }
  switch (category) {
    case "policyInterpretation": {
      const name = t.pick(POLICIES);
      return {
        title: `《${name}》政策解读`,
        docNumber: "",
        body: `一、出台背景\n为贯彻落实党中央、国务院和省委省政府关于${t.topics[0] ?? "污染防治"}的决策部署，市生态环境局研究制定了《${name}》。\n\n二、主要内容\n方案明确了目标任务、重点工程和保障措施，要求各县（区）压实责任，确保各项任务落地见效。${topicLine}`,
      };
    }
    case "statistics": {
      const what = t.pick([
        "环境空气质量状况",
        "地表水环境质量状况",
        "生态环境状况公报",
        "重点排污单位自行监测数据汇总",
      ]);
      const period = reportedPeriod(published, t.pick);
      return {
        title: `${period}海东市${what}`,
        docNumber: "",
        body: `${period}，全市环境空气质量优良天数比例为${t.int(85, 97)}.${t.int(0, 9)}%，细颗粒物（PM2.5）平均浓度为${t.int(22, 38)}微克/立方米；湟水河出境断面水质稳定达到Ⅲ类标准。${topicLine}`,
      };
    }
    case "licensing": {
      const project = t.pick(PROJECTS);
      if (t.int(0, 2) === 0)
        return {
          title: `${company}排污许可证核发信息公示`,
          docNumber: "",
          body: `根据《排污许可管理办法（试行）》，我局对${company}提交的排污许可证申请材料进行了审查，拟核发排污许可证，现予公示。公示期间如有异议，请向我局反映。${topicLine}`,
        };
      return {
        title: `关于${county}${company}${project}环境影响报告表的批复`,
        docNumber: t.nextDocNumber("海东生环审", year),
        body: `${company}：你单位报送的《${project}环境影响报告表》收悉。经研究，批复如下：一、该项目位于${county}，在全面落实报告表提出的各项污染防治和生态保护措施后，环境不利影响能够得到缓解和控制，我局同意该项目建设。${topicLine}`,
      };
    }
    case "emergency": {
      const what = t.pick([
        "突发环境事件应急预案",
        "重污染天气应急预案",
        "汛期环境安全隐患排查工作方案",
        "尾矿库环境应急管理工作方案",
      ]);
      return {
        title: `海东市${what}`,
        docNumber: t.nextDocNumber("海东生环发", year),
        body: `为有效防范和妥善应对突发环境事件，保障人民群众生命财产安全和环境安全，依据《中华人民共和国突发事件应对法》《国家突发环境事件应急预案》，制定本${what.endsWith("预案") ? "预案" : "方案"}。${topicLine}`,
      };
    }
    case "penalty":
      return {
        title: `${company}环境行政处罚决定书`,
        docNumber: t.nextDocNumber("海东环罚", year),
        body: `当事人：${company}。经查，当事人存在未按规定运行大气污染防治设施的违法行为，违反了《中华人民共和国大气污染防治法》的规定，我局决定对其处以罚款人民币${t.int(2, 20)}万元。${topicLine}`,
      };
    case "notice":
    case "policyDocument": {
      const notice = t.pick(NOTICES);
      return {
        title: `海东市生态环境局关于${notice}的通知`,
        docNumber: t.nextDocNumber("海东生环发", year),
        body: `各县（区）生态环境局：为切实${notice}，现将有关事项通知如下：一、提高思想认识；二、明确工作重点；三、强化督促检查。请于规定时间内将工作开展情况报送我局。${topicLine}`,
      };
    }
    case "news": {
      const meeting = t.pick(MEETINGS);
      return {
        title: `市生态环境局召开${meeting}`,
        docNumber: "",
        body: `近日，市生态环境局召开${meeting}，传达学习上级有关会议精神，安排部署下一阶段工作。会议强调，要坚决打好污染防治攻坚战，持续改善全市生态环境质量。${topicLine}`,
      };
    }
    default: {
      const kind = t.int(0, 3);
      if (kind === 0) {
        const meeting = t.pick(MEETINGS);
        return {
          title: `市生态环境局召开${meeting}`,
          docNumber: "",
          body: `近日，市生态环境局召开${meeting}，${county}等县（区）生态环境部门负责同志参加会议。会议要求，要以更高标准推进生态环境保护各项工作。${topicLine}`,
        };
      }
      if (kind === 1) {
        const notice = t.pick(NOTICES);
        return {
          title: `海东市生态环境局关于${notice}的通知`,
          docNumber: t.nextDocNumber("海东生环发", year),
          body: `各县（区）生态环境局：为切实${notice}，现将有关事项通知如下。请各单位高度重视，认真组织实施，并按时报送工作进展。${topicLine}`,
        };
      }
      if (kind === 2)
        return {
          title: `${county}${company}环境问题整改情况公示`,
          docNumber: "",
          body: `针对群众反映的${company}扬尘和异味问题，${county}生态环境部门立即开展现场核查，督促企业落实整改措施，目前已完成整改。${topicLine}`,
        };
      return {
        title: `海东市生态环境局${reportedMonth(published)}重点工作完成情况`,
        docNumber: "",
        body: `本月，我局围绕污染防治攻坚战目标任务，扎实推进大气、水、土壤污染防治工作，完成建设项目环评审批${t.int(5, 40)}件，开展执法检查${t.int(20, 90)}次。${topicLine}`,
      };
    }
  }
}

function randomWorkingDay(year: number, rng: Rng, overrides: CalendarOverrides, until?: IsoDate): IsoDate {
  const span = until ? dayOfYear(until) : 365;
  for (;;) {
    const day = addDays(`${year}-01-01`, Math.floor(rng() * span));
    if (day.startsWith(String(year)) && (!until || day <= until) && isWorkingDay(day, overrides)) return day;
  }
}

function subtractWorkingDays(date: IsoDate, n: number, overrides: CalendarOverrides): IsoDate {
  let current = date;
  let left = n;
  while (left > 0) {
    current = addDays(current, -1);
    if (isWorkingDay(current, overrides)) left -= 1;
  }
  return current;
}

/**
 * Bulk-inserts a plan's items for an agency and advances its 索引号 counters past them.
 * @returns how many items were inserted.
 */
export async function insertCatalogue(
  agencyId: Types.ObjectId | string,
  plan: readonly PlanEntry[],
  rng: Rng,
  voice?: CatalogueVoice,
): Promise<number> {
  const agency = await Agency.findById(agencyId).lean<AgencyDoc>();
  if (!agency) throw new Error(`agency ${String(agencyId)} not found`);
  const years = [...new Set(plan.map((p) => p.year))];
  const start = new Map<number, number>();
  for (const year of [...years, ...years.map((y) => y - 1)]) {
    const counter = await Counter.findById(`catalogue:${String(agency._id)}:${year}`).lean<{
      value: number;
    }>();
    start.set(year, (counter?.value ?? 0) + 1);
  }
  const { docs, lastSeq } = buildCatalogueDocs(agency, plan, rng, await calendarOverrides(), start, voice);
  for (let i = 0; i < docs.length; i += 2000) {
    await InfoItem.collection.insertMany(docs.slice(i, i + 2000), { ordered: false });
  }
  for (const [year, seq] of lastSeq) {
    await Counter.updateOne(
      { _id: `catalogue:${String(agency._id)}:${year}` },
      { $max: { value: seq } },
      { upsert: true },
    );
  }
  bumpCatalogueGeneration();
  return docs.length;
}

/**
 * Seeds the demo catalogue of an agency (海东市生态环境局); does nothing when it already has items.
 * The 2019–2020 plan follows the seed report; from 2021 a living plan runs up to `today`.
 * @param rng deterministic randomness (defaults to a fixed seed).
 * @param today the demo's today (defaults to today in Asia/Shanghai).
 */
export async function seedDemoCatalogue(
  agencyId: Types.ObjectId | string,
  rng?: Random,
  today: IsoDate = dateInChina(),
): Promise<number> {
  if (await InfoItem.exists({ agencyId })) return 0;
  const random = rng ?? createRandom(20190101);
  const plan = [
    ...demoPlan.filter((entry) => `${entry.year}-12-31` < today),
    ...livingYears(today).flatMap((year) => livingPlan(year, today, "department")),
  ];
  return insertCatalogue(agencyId, plan, () => random.next());
}

/** The years of the living plan: 2021 up to the demo's current year. */
function livingYears(today: IsoDate): number[] {
  const last = Number(today.slice(0, 4));
  return Array.from({ length: Math.max(0, last - 2020) }, (_, i) => 2021 + i);
}

/** The catalogue seeder for the demo registry: the bureau in full, the government and the other departments smaller. */
export const catalogueDemoSeeder: DemoSeeder = {
  name: "catalogue",
  seed: async (context) => {
    const { agencies, today, random } = context;
    let count = await seedDemoCatalogue(agencies.bureau._id, random, today);
    const others = [
      { agency: agencies.government, kind: "government" as const, scale: 0.5 },
      ...agencies.siblings.map((agency) => ({ agency, kind: "department" as const, scale: 0.3 })),
    ];
    // Only the two years a visitor reads (last year's report and this year's list): enough to look alive.
    const years = livingYears(today).slice(-2);
    for (const { agency, kind, scale } of others) {
      if (await InfoItem.exists({ agencyId: agency._id })) continue;
      const plan = years.flatMap((year) => livingPlan(year, today, kind, scale));
      count += await insertCatalogue(agency._id, plan, () => random.next(), voiceOf(agency));
    }
    context.logger.info({ count }, "demo catalogue seeded");
  },
};

function voiceOf(agency: Pick<AgencyDoc, "name" | "serialPrefix">): CatalogueVoice {
  const shortName = agency.name.replace(/^海东市/, "市");
  return { name: agency.name, shortName, docPrefix: agency.serialPrefix };
}
