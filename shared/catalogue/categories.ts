/**
 * Categories (栏目) of the proactive-disclosure catalogue (主动公开目录). Each one names the item of
 * 《政府信息公开条例》第二十条 whose information it discloses, so the catalogue can be read against the
 * law and against table 二 of the annual report. Keys are stable identifiers; labels are what citizens see.
 */

/** The fifteen items of Art. 20 (2019 revision), as 第二十条第（N）项 → what must be disclosed. */
export const art20Items = {
  1: "行政法规、规章和规范性文件",
  2: "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
  3: "国民经济和社会发展规划、专项规划、区域规划及相关政策",
  4: "国民经济和社会发展统计信息",
  5: "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
  6: "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
  7: "财政预算、决算信息",
  8: "行政事业性收费项目及其依据、标准",
  9: "政府集中采购项目的目录、标准及实施情况",
  10: "重大建设项目的批准和实施情况",
  11: "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
  12: "突发公共事件的应急预案、预警信息及应对情况",
  13: "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
  14: "公务员招考的职位、名额、报考条件等事项以及录用结果",
  15: "法律、法规、规章和国家有关规定规定应当公开的其他政府信息",
} as const;

/** An Art. 20 item number, 1…15. */
export type Art20Item = keyof typeof art20Items;

/** Catalogue category keys, in display order. */
export const categoryKeys = [
  "policyDocument",
  "policyInterpretation",
  "agencyInfo",
  "planning",
  "statistics",
  "licensing",
  "penalty",
  "enforcement",
  "budget",
  "fees",
  "procurement",
  "majorProjects",
  "emergency",
  "supervision",
  "personnel",
  "notice",
  "news",
  "other",
] as const;

/** A catalogue category key. */
export type CategoryKey = (typeof categoryKeys)[number];

/** One category: label, the Art. 20 item it discloses, and alternative labels accepted on import. */
export interface CategoryInfo {
  key: CategoryKey;
  label: string;
  art20: Art20Item;
  /** Other names found in existing catalogues (e.g. 安全及应急管理), accepted by the importer. */
  aliases: readonly string[];
}

/** The category table, in display order. */
export const categories: readonly CategoryInfo[] = [
  {
    key: "policyDocument",
    label: "政策文件",
    art20: 1,
    aliases: ["规章", "规范性文件", "法规文件", "政策法规"],
  },
  { key: "policyInterpretation", label: "政策解读", art20: 1, aliases: ["解读", "解读信息"] },
  { key: "agencyInfo", label: "机构职能", art20: 2, aliases: ["机构概况", "机构设置"] },
  { key: "planning", label: "规划计划", art20: 3, aliases: ["发展规划", "规划信息"] },
  { key: "statistics", label: "统计数据", art20: 4, aliases: ["统计信息", "统计数据及分析公报"] },
  { key: "licensing", label: "行政许可", art20: 5, aliases: ["行政审批", "许可信息"] },
  { key: "penalty", label: "行政处罚", art20: 6, aliases: ["处罚信息"] },
  { key: "enforcement", label: "行政强制", art20: 6, aliases: [] },
  { key: "budget", label: "财政预决算", art20: 7, aliases: ["财政信息", "预决算", "部门预决算"] },
  { key: "fees", label: "行政事业性收费", art20: 8, aliases: ["收费信息"] },
  { key: "procurement", label: "政府采购", art20: 9, aliases: ["政府集中采购", "采购信息"] },
  { key: "majorProjects", label: "重大建设项目", art20: 10, aliases: ["重大项目"] },
  { key: "emergency", label: "应急管理", art20: 12, aliases: ["安全及应急管理", "应急信息"] },
  { key: "supervision", label: "监督检查", art20: 13, aliases: ["执法监督", "环境监管"] },
  { key: "personnel", label: "人事信息", art20: 14, aliases: ["人事任免", "招考录用"] },
  { key: "notice", label: "通知公告", art20: 15, aliases: ["公告公示", "通知"] },
  { key: "news", label: "工作动态", art20: 15, aliases: ["工作信息", "动态信息"] },
  { key: "other", label: "其他", art20: 15, aliases: ["其他信息"] },
];

const byKey = new Map<string, CategoryInfo>(categories.map((c) => [c.key, c]));
const byLabel = new Map<string, CategoryInfo>();
for (const c of categories) {
  byLabel.set(c.label, c);
  for (const alias of c.aliases) if (!byLabel.has(alias)) byLabel.set(alias, c);
}

/** Returns true when the value is a category key. */
export function isCategoryKey(value: unknown): value is CategoryKey {
  return typeof value === "string" && byKey.has(value);
}

/** The category of a key (undefined when unknown). */
export function categoryOf(key: string): CategoryInfo | undefined {
  return byKey.get(key);
}

/** Finds a category by key, label or alias (trimmed), as the importer reads it. */
export function findCategory(text: string): CategoryInfo | undefined {
  const value = text.trim();
  return byKey.get(value) ?? byLabel.get(value);
}

/** The heading 第二十条第（N）项 of an Art. 20 item. */
export function art20Heading(item: Art20Item): string {
  const numerals = [
    "",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
  ];
  return `第二十条第（${numerals[item]}）项`;
}

/** Document kinds that table 二 第二十条第（一）项 counts, plus everything else. */
export const docKinds = ["regulation", "normative", "other"] as const;

/** A document kind. */
export type DocKind = (typeof docKinds)[number];

/** Labels of the document kinds (2021 wording: 行政规范性文件). */
export const docKindLabels: Readonly<Record<DocKind, string>> = {
  regulation: "规章",
  normative: "行政规范性文件",
  other: "其他",
};

/** Validity (有效性) of an item. */
export const validities = ["inForce", "repealed", "amended"] as const;

/** A validity value. */
export type Validity = (typeof validities)[number];

/** Labels of the validity values. */
export const validityLabels: Readonly<Record<Validity, string>> = {
  inForce: "现行有效",
  repealed: "已废止",
  amended: "已修订",
};

/** Publication status of an item. */
export const itemStatuses = ["draft", "published", "withdrawn"] as const;

/** A publication status. */
export type ItemStatus = (typeof itemStatuses)[number];

/** Labels of the statuses (主动公开: an item is 已公开 once published). */
export const itemStatusLabels: Readonly<Record<ItemStatus, string>> = {
  draft: "草稿",
  published: "已公开",
  withdrawn: "已撤回",
};

/** Topics (专题) the demo agency uses; free text is allowed, these are suggestions. */
export const suggestedTopics = ["污染防治", "脱贫攻坚", "放管服", "生态文明建设", "优化营商环境"] as const;

/** Working days within which Art. 26 requires publication after formation or change. */
export const ART26_WORKING_DAYS = 20;
