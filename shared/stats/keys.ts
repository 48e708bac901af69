/**
 * Canonical statistics keys of the annual report (政府信息公开工作年度报告), in table order, with the
 * exact labels of the official templates. Keys are stable identifiers used by the lifecycle, the
 * ledger (台账), the report JSON and the API; never rename them.
 */

/** Applicant columns of table 三, in order (the last one is the row total). */
export const applicantColumns = [
  { key: "natural", label: "自然人" },
  { key: "commercial", label: "商业企业" },
  { key: "research", label: "科研机构" },
  { key: "publicInterest", label: "社会公益组织" },
  { key: "legalService", label: "法律服务机构" },
  { key: "otherOrg", label: "其他" },
  { key: "total", label: "总计" },
] as const;

/** A column key of table 三, including `total`. */
export type ApplicantColumnKey = (typeof applicantColumns)[number]["key"];

/** The six applicant types captured at intake (every column except `total`). */
export const applicantTypeKeys = [
  "natural",
  "commercial",
  "research",
  "publicInterest",
  "legalService",
  "otherOrg",
] as const;

/** An applicant type recorded on an application. */
export type ApplicantType = (typeof applicantTypeKeys)[number];

/** Group header above the five organisation columns. */
export const applicantOrgGroupLabel = "法人或其他组织";

/** Column keys under the 法人或其他组织 header. */
export const applicantOrgColumnKeys = [
  "commercial",
  "research",
  "publicInterest",
  "legalService",
  "otherOrg",
] as const satisfies readonly ApplicantType[];

/** Outcome keys (table 三 rows （一）…（六）), in table order; a closed application has exactly one. */
export const outcomeKeys = [
  "granted",
  "partial",
  "withheld.stateSecret",
  "withheld.lawProhibited",
  "withheld.securityStability",
  "withheld.thirdParty",
  "withheld.internalAffairs",
  "withheld.processInfo",
  "withheld.enforcementFile",
  "withheld.queryMatter",
  "unable.notHeld",
  "unable.needsCreation",
  "unable.stillUnclear",
  "notProcessed.complaint",
  "notProcessed.duplicate",
  "notProcessed.publication",
  "notProcessed.excessive",
  "notProcessed.confirmation",
  "other.noCorrection",
  "other.feeUnpaid",
  "other.other",
] as const;

/** The statistics outcome of a closed application. */
export type OutcomeKey = (typeof outcomeKeys)[number];

/** The UI groups of outcomes, i.e. the headings （一）…（六） of table 三. */
export type OutcomeGroupKey = "granted" | "partial" | "withheld" | "unable" | "notProcessed" | "other";

/** Everything the UI, the ledger and reply letters need to know about one outcome. */
export interface OutcomeInfo {
  /** Exact row label in the 2021 template. */
  label: string;
  /** 台账 办理结果 short name. */
  ledgerName: string;
  /** Heading （一）…（六） the row sits under. */
  group: OutcomeGroupKey;
  /** Legal basis to cite in the reply (《条例》 = 《中华人民共和国政府信息公开条例》). */
  legalBasis: string;
  /** Optional hint for staff about which situations also belong here. */
  note?: string;
}

/** Per-outcome labels, ledger names, groups and legal bases (law-and-report-format.md §1.7). */
export const outcomes: Readonly<Record<OutcomeKey, OutcomeInfo>> = {
  granted: {
    label: "（一）予以公开",
    ledgerName: "予以公开",
    group: "granted",
    legalBasis: "《条例》第三十六条第（二）项",
    note: "已主动公开、告知获取途径的（《条例》第三十六条第（一）项）也计入本项",
  },
  partial: {
    label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ledgerName: "部分公开",
    group: "partial",
    legalBasis: "《条例》第三十七条",
  },
  "withheld.stateSecret": {
    label: "1.属于国家秘密",
    ledgerName: "不予公开-国家秘密",
    group: "withheld",
    legalBasis: "《条例》第十四条、第三十六条第（三）项",
  },
  "withheld.lawProhibited": {
    label: "2.其他法律行政法规禁止公开",
    ledgerName: "不予公开-法律法规禁止",
    group: "withheld",
    legalBasis: "《条例》第十四条、第三十六条第（三）项",
  },
  "withheld.securityStability": {
    label: "3.危及“三安全一稳定”",
    ledgerName: "不予公开-三安全一稳定",
    group: "withheld",
    legalBasis: "《条例》第十四条、第三十六条第（三）项",
  },
  "withheld.thirdParty": {
    label: "4.保护第三方合法权益",
    ledgerName: "不予公开-第三方权益",
    group: "withheld",
    legalBasis: "《条例》第十五条、第三十二条、第三十六条第（三）项",
  },
  "withheld.internalAffairs": {
    label: "5.属于三类内部事务信息",
    ledgerName: "不予公开-内部事务",
    group: "withheld",
    legalBasis: "《条例》第十六条第一款、第三十六条第（三）项",
  },
  "withheld.processInfo": {
    label: "6.属于四类过程性信息",
    ledgerName: "不予公开-过程性信息",
    group: "withheld",
    legalBasis: "《条例》第十六条第二款、第三十六条第（三）项",
  },
  "withheld.enforcementFile": {
    label: "7.属于行政执法案卷",
    ledgerName: "不予公开-行政执法案卷",
    group: "withheld",
    legalBasis: "《条例》第十六条第二款、第三十六条第（三）项",
  },
  "withheld.queryMatter": {
    label: "8.属于行政查询事项",
    ledgerName: "不予公开-行政查询事项",
    group: "withheld",
    legalBasis: "《条例》第三十六条第（七）项",
    note: "工商、不动产登记资料等有专门查询规定的，告知按规定办理",
  },
  "unable.notHeld": {
    label: "1.本机关不掌握相关政府信息",
    ledgerName: "无法提供-本机关不掌握",
    group: "unable",
    legalBasis: "《条例》第三十六条第（四）项、第（五）项",
    note: "经检索没有所申请公开信息的，以及不属于本机关负责公开的，均计入本项",
  },
  "unable.needsCreation": {
    label: "2.没有现成信息需要另行制作",
    ledgerName: "无法提供-需另行制作",
    group: "unable",
    legalBasis: "《条例》第三十八条",
  },
  "unable.stillUnclear": {
    label: "3.补正后申请内容仍不明确",
    ledgerName: "无法提供-补正后不明确",
    group: "unable",
    legalBasis: "《条例》第三十条",
    note: "仅适用于申请人已补正但内容仍不明确的情形；逾期不补正的计入（六）1",
  },
  "notProcessed.complaint": {
    label: "1.信访举报投诉类申请",
    ledgerName: "不予处理-信访举报投诉",
    group: "notProcessed",
    legalBasis: "《条例》第三十九条第一款",
  },
  "notProcessed.duplicate": {
    label: "2.重复申请",
    ledgerName: "不予处理-重复申请",
    group: "notProcessed",
    legalBasis: "《条例》第三十六条第（六）项",
  },
  "notProcessed.publication": {
    label: "3.要求提供公开出版物",
    ledgerName: "不予处理-公开出版物",
    group: "notProcessed",
    legalBasis: "《条例》第三十九条第二款",
  },
  "notProcessed.excessive": {
    label: "4.无正当理由大量反复申请",
    ledgerName: "不予处理-大量反复申请",
    group: "notProcessed",
    legalBasis: "《条例》第三十五条",
  },
  "notProcessed.confirmation": {
    label: "5.要求行政机关确认或重新出具已获取信息",
    ledgerName: "不予处理-确认或重新出具",
    group: "notProcessed",
    legalBasis: "《条例》无专门条款（年度报告格式规定的统计类别）",
  },
  "other.noCorrection": {
    label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ledgerName: "其他处理-逾期不补正",
    group: "other",
    legalBasis: "《条例》第三十条",
  },
  "other.feeUnpaid": {
    label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ledgerName: "其他处理-逾期未缴费",
    group: "other",
    legalBasis: "《条例》第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
  },
  "other.other": {
    label: "3.其他",
    ledgerName: "其他处理-其他",
    group: "other",
    legalBasis: "无专门条款（申请人撤回申请等其他情形）",
  },
};

/** Outcome groups for pickers, in table order, with the exact group headings of table 三. */
export const outcomeGroups: ReadonlyArray<{
  key: OutcomeGroupKey;
  label: string;
  keys: readonly OutcomeKey[];
}> = [
  { key: "granted", label: "（一）予以公开", keys: ["granted"] },
  { key: "partial", label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", keys: ["partial"] },
  { key: "withheld", label: "（三）不予公开", keys: outcomeKeysOf("withheld") },
  { key: "unable", label: "（四）无法提供", keys: outcomeKeysOf("unable") },
  { key: "notProcessed", label: "（五）不予处理", keys: outcomeKeysOf("notProcessed") },
  { key: "other", label: "（六）其他处理", keys: outcomeKeysOf("other") },
];

/** Full label for pickers and exports, e.g. "（三）不予公开 4.保护第三方合法权益". */
export function outcomeFullLabel(key: OutcomeKey): string {
  const info = outcomes[key];
  if (info.group === "granted" || info.group === "partial") return info.label;
  const group = outcomeGroups.find((g) => g.key === info.group);
  return `${group?.label ?? ""} ${info.label}`;
}

/** Returns true when the value is one of the outcome keys (for parsing stored or imported data). */
export function isOutcomeKey(value: unknown): value is OutcomeKey {
  return typeof value === "string" && (outcomeKeys as readonly string[]).includes(value);
}

/** Outcome row keys of the 2019 format, where the three `other.*` rows are one row `other`. */
export type OutcomeKey2019 = Exclude<OutcomeKey, `other.${string}`> | "other";

/** Maps a 2021 outcome key to its 2019-format row (other.* → other). */
export function toOutcomeKey2019(key: OutcomeKey): OutcomeKey2019 {
  return key.startsWith("other.") ? "other" : (key as OutcomeKey2019);
}

/** A row of table 三. */
export interface Table3Row {
  key: string;
  label: string;
  /** 台账 办理结果 short name; absent for the count rows 一, 二, （七）, 四. */
  ledgerName?: string;
}

/** Table 三 rows of the 2021 format, in order (the 三、本年度办理结果 spanning cell is not a data row). */
export const table3Rows2021: readonly Table3Row[] = [
  { key: "newReceived", label: "一、本年新收政府信息公开申请数量" },
  { key: "carriedOver", label: "二、上年结转政府信息公开申请数量" },
  ...outcomeKeys.map((key) => ({
    key,
    label: labelWithGroupPrefix(key),
    ledgerName: outcomes[key].ledgerName,
  })),
  { key: "closedTotal", label: "（七）总计" },
  { key: "carriedForward", label: "四、结转下年度继续办理" },
];

/** Table 三 rows of the 2019 format: identical except one row `other` （六）其他处理. */
export const table3Rows2019: readonly Table3Row[] = [
  ...table3Rows2021.filter(
    (row) => !row.key.startsWith("other.") && row.key !== "closedTotal" && row.key !== "carriedForward",
  ),
  { key: "other", label: "（六）其他处理", ledgerName: "其他处理" },
  { key: "closedTotal", label: "（七）总计" },
  { key: "carriedForward", label: "四、结转下年度继续办理" },
];

/** Spanning label above the outcome rows of table 三. */
export const table3OutcomeSectionLabel = "三、本年度办理结果";

/** Table 四 blocks, in order. */
export const table4Blocks = [
  { key: "reconsideration", label: "行政复议" },
  { key: "litigationDirect", label: "行政诉讼 · 未经复议直接起诉" },
  { key: "litigationAfterReconsideration", label: "行政诉讼 · 复议后起诉" },
] as const;

/** Table 四 columns, repeated in each block. */
export const table4Columns = [
  { key: "upheld", label: "结果维持" },
  { key: "corrected", label: "结果纠正" },
  { key: "other", label: "其他结果" },
  { key: "pending", label: "尚未审结" },
  { key: "total", label: "总计" },
] as const;

/** A block key of table 四. */
export type Table4BlockKey = (typeof table4Blocks)[number]["key"];
/** A column key of table 四. */
export type Table4ColumnKey = (typeof table4Columns)[number]["key"];

/** A row group of table 二: the Art. 20 item, its rows and its columns. */
export interface Table2Block {
  /** Art. 20 item, e.g. 第二十条第（一）项. */
  item: string;
  rows: ReadonlyArray<{ key: string; label: string }>;
  columns: ReadonlyArray<{ key: string; label: string }>;
}

/** Table 二 of the 2021 format (国办公开办函〔2021〕30号). */
export const table2Blocks2021: readonly Table2Block[] = [
  {
    item: "第二十条第（一）项",
    rows: [
      { key: "regulations", label: "规章" },
      { key: "normativeDocuments", label: "行政规范性文件" },
    ],
    columns: [
      { key: "issued", label: "本年制发件数" },
      { key: "repealed", label: "本年废止件数" },
      { key: "inForce", label: "现行有效件数" },
    ],
  },
  {
    item: "第二十条第（五）项",
    rows: [{ key: "licensing", label: "行政许可" }],
    columns: [{ key: "decisions", label: "本年处理决定数量" }],
  },
  {
    item: "第二十条第（六）项",
    rows: [
      { key: "penalty", label: "行政处罚" },
      { key: "enforcement", label: "行政强制" },
    ],
    columns: [{ key: "decisions", label: "本年处理决定数量" }],
  },
  {
    item: "第二十条第（八）项",
    rows: [{ key: "fees", label: "行政事业性收费" }],
    columns: [{ key: "amountWan", label: "本年收费金额（单位：万元）" }],
  },
];

/** Table 二 of the 2019 format (国办公开办函〔2019〕60号). */
export const table2Blocks2019: readonly Table2Block[] = [
  {
    item: "第二十条第（一）项",
    rows: [
      { key: "regulations", label: "规章" },
      { key: "normativeDocuments", label: "规范性文件" },
    ],
    columns: [
      { key: "newlyMade", label: "本年新制作数量" },
      { key: "newlyPublished", label: "本年新公开数量" },
      { key: "publishedTotal", label: "对外公开总数量" },
    ],
  },
  {
    item: "第二十条第（五）项",
    rows: [
      { key: "licensing", label: "行政许可" },
      { key: "otherServices", label: "其他对外管理服务事项" },
    ],
    columns: [
      { key: "previousYear", label: "上一年项目数量" },
      { key: "change", label: "本年增/减" },
      { key: "decisions", label: "处理决定数量" },
    ],
  },
  {
    item: "第二十条第（六）项",
    rows: [
      { key: "penalty", label: "行政处罚" },
      { key: "enforcement", label: "行政强制" },
    ],
    columns: [
      { key: "previousYear", label: "上一年项目数量" },
      { key: "change", label: "本年增/减" },
      { key: "decisions", label: "处理决定数量" },
    ],
  },
  {
    item: "第二十条第（八）项",
    rows: [{ key: "fees", label: "行政事业性收费" }],
    columns: [
      { key: "previousYear", label: "上一年项目数量" },
      { key: "change", label: "本年增/减" },
    ],
  },
  {
    item: "第二十条第（九）项",
    rows: [{ key: "procurement", label: "政府集中采购" }],
    columns: [
      { key: "projects", label: "采购项目数量" },
      { key: "amountYuan", label: "采购总金额" },
    ],
  },
];

/** Report format version; statistics years 2019–2020 use 2019, 2021 onward use 2021. */
export type ReportFormat = 2019 | 2021;

/** Returns the report format that applies to a statistics year. */
export function reportFormatForYear(year: number): ReportFormat {
  return year >= 2021 ? 2021 : 2019;
}

function outcomeKeysOf(group: OutcomeGroupKey): OutcomeKey[] {
  return outcomeKeys.filter((key) => outcomes[key].group === group);
}

// Table rows carry the group heading on the first sub-row, as the templates print it.
function labelWithGroupPrefix(key: OutcomeKey): string {
  const info = outcomes[key];
  const first = outcomeKeys.find((k) => outcomes[k].group === info.group);
  if (first !== key || info.group === "granted" || info.group === "partial") return info.label;
  return outcomeFullLabel(key);
}

/**
 * The result as a citizen reads it: the kind of answer in the regulation's words, then what it
 * means for them, never the report's counting notes ("只计这一情形…").
 */
export const outcomePlainTexts: Readonly<Record<OutcomeKey, string>> = {
  granted: "予以公开：您申请的信息依法公开，详见答复书",
  partial: "部分公开：部分信息依法不予公开，理由见答复书",
  "withheld.stateSecret": "不予公开：所申请信息属于国家秘密，理由见答复书",
  "withheld.lawProhibited": "不予公开：法律、行政法规禁止公开所申请信息，理由见答复书",
  "withheld.securityStability":
    "不予公开：公开后可能危及国家安全、公共安全、经济安全或社会稳定，理由见答复书",
  "withheld.thirdParty": "不予公开：公开会损害第三方合法权益，理由见答复书",
  "withheld.internalAffairs": "不予公开：所申请信息属于行政机关内部事务信息，理由见答复书",
  "withheld.processInfo": "不予公开：所申请信息属于过程性信息，理由见答复书",
  "withheld.enforcementFile": "不予公开：所申请信息属于行政执法案卷信息，理由见答复书",
  "withheld.queryMatter": "不予公开：所申请信息属于行政查询事项，可按答复书告知的途径查询",
  "unable.notHeld": "无法提供：本机关不掌握您申请的信息，详见答复书",
  "unable.needsCreation": "无法提供：没有现成信息，需要另行制作，详见答复书",
  "unable.stillUnclear": "无法提供：补正后申请内容仍不明确，详见答复书",
  "notProcessed.complaint": "不予处理：申请属于信访、投诉、举报，请按答复书告知的渠道提出",
  "notProcessed.duplicate": "不予处理：属于重复申请，详见答复书",
  "notProcessed.publication": "不予处理：所要求的是公开出版物，可通过公开发行渠道获取",
  "notProcessed.excessive": "不予处理：无正当理由大量、反复申请，详见答复书",
  "notProcessed.confirmation": "不予处理：要求确认或重新出具已获取的信息，详见答复书",
  "other.noCorrection": "终止处理：未在期限内补正申请，视为放弃申请",
  "other.feeUnpaid": "终止处理：未在期限内缴纳信息处理费，不再处理本申请",
  "other.other": "其他处理：详见答复书或办理记录",
};
