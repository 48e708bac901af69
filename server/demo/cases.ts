/**
 * The demo year of applications as plans: what was asked, by whom, through which channel, and the
 * steps staff took, in working days after the previous step. `requests.ts` turns each plan into
 * real records through `createRequest` and `fireEvent`. Together the plans reach every state, every
 * outcome key, every applicant type and every channel; deadline expiries are left to the real jobs.
 */
import { addDays, type IsoDate } from "@govinfo/shared/calendar/date";
import { byPagesFee } from "@govinfo/shared/fees";
import type { Channel } from "@govinfo/shared/lifecycle/channels";
import type { EventType } from "@govinfo/shared/lifecycle/machine";
import type { deliveryMethods, infoForms } from "@govinfo/shared/schemas/request";
import type { ReplyOutcomeKey } from "@govinfo/shared/schemas/requestEvent";
import { duplicateChecklistComplete } from "@govinfo/shared/schemas/requestEvent";
import type { ApplicantType } from "@govinfo/shared/stats/keys";

/** Who takes a step: a demo staff role, or the applicant (online accounts). */
export type StepActor = "registrar" | "handler" | "reviewer" | "signer" | "applicant";

/** What a payload builder may use. */
export interface StepContext {
  /** The next reply number of the agency (答复文号). */
  replyNumber(date: IsoDate): string;
  delivery: Delivery;
  /** A deterministic number in [min, max]. */
  int(min: number, max: number): number;
}

/** One lifecycle step of a plan. */
export interface StepPlan {
  type: EventType;
  /** Working days after the previous step (0 = the same day). */
  after: number;
  by: StepActor;
  payload?: (date: IsoDate, context: StepContext) => Record<string, unknown>;
}

/** 获取方式 of a plan. */
export type Delivery = (typeof deliveryMethods)[number];

/** One demo application. */
export interface CasePlan {
  /** The application text, given the year it is received in (so "last year's report" stays last year). */
  description: (year: number) => string;
  documentNumber?: string;
  type?: ApplicantType;
  channel?: Channel;
  infoForm?: (typeof infoForms)[number];
  delivery?: Delivery;
  steps: StepPlan[];
  /** An online, fax or e-mail submission nobody has confirmed yet. */
  unconfirmed?: boolean;
}

/** An open plan, anchored to "today": received `startBack` working days ago. */
export interface OpenCasePlan extends CasePlan {
  startBack: number;
}

// ----- stories: the usual sequences of steps -----

const deliver: StepPlan = {
  type: "deliver",
  after: 1,
  by: "registrar",
  payload: (_date, context) => ({
    method: context.delivery,
    ...(context.delivery === "mail"
      ? { trackingNo: `11${String(context.int(100_000_000, 999_999_999))}03` }
      : {}),
  }),
};

/** A reply (答复) with `outcome` after `days` working days, then its delivery. */
function answer(
  outcome: ReplyOutcomeKey,
  days = 12,
  note?: string,
  grounds: Record<string, unknown> = {},
): StepPlan[] {
  return [
    {
      type: "decide",
      after: days,
      by: "reviewer",
      payload: (date, context) => ({
        outcome,
        documentNumber: context.replyNumber(date),
        ...(note ? { note } : {}),
        // Staff confirmed the four points of a 重复申请 (Art. 36(六)).
        ...(outcome === "notProcessed.duplicate" ? { duplicateChecklist: duplicateChecklistComplete } : {}),
        ...grounds,
      }),
    },
    deliver,
  ];
}

/**
 * The sign-off chain before a reply (the bureau requires 审核 for 予以公开 and 签发 for 不予公开/部分公开):
 * the handler's 拟办 `after` working days in, then as many of 返工 → 拟办, 审核, 签发 as `upTo` says.
 */
function signOffChain(
  outcome: ReplyOutcomeKey,
  upTo: "drafted" | "returned" | "approved" | "signed",
  note: string,
  after = 8,
): StepPlan[] {
  const draft = (days: number): StepPlan => ({
    type: "draftDecision",
    after: days,
    by: "handler",
    payload: () => ({ outcome, note }),
  });
  const steps: StepPlan[] = [draft(after)];
  if (upTo === "drafted") return steps;
  steps.push({
    type: "returnDraft",
    after: 1,
    by: "reviewer",
    payload: () => ({ reason: "请在答复中写明适用的具体条款，并核对申请内容的表述" }),
  });
  if (upTo === "returned") return steps;
  steps.push(draft(1), {
    type: "approveDraft",
    after: 1,
    by: "reviewer",
    payload: () => ({ comment: "同意" }),
  });
  if (upTo === "approved") return steps;
  steps.push({ type: "signOff", after: 1, by: "signer", payload: () => ({ comment: "同意签发" }) });
  return steps;
}

const correctionItems = [
  "请明确所申请信息的具体名称、文号或者便于查询的其他特征性描述",
  "请说明所指企业或项目的名称及所在位置",
  "请明确所申请信息的形成时间范围",
];

/** A 补正 notice after `after` working days with a deadline 15 calendar days later. */
function correctionNotice(after = 3): StepPlan {
  return {
    type: "requestCorrection",
    after,
    by: "registrar",
    payload: (date, context) => ({
      items: correctionItems.slice(0, context.int(1, 3)),
      deadline: addDays(date, 15),
    }),
  };
}

/** The corrected application arrives (the clock restarts), optionally with clearer content. */
function correctionReceived(after = 5, description?: string): StepPlan {
  return {
    type: "receiveCorrection",
    after,
    by: "registrar",
    payload: () => (description ? { description } : {}),
  };
}

function consultation(party: "thirdParty" | "otherAgency", name: string, after = 5): StepPlan {
  return { type: "startConsultation", after, by: "handler", payload: () => ({ party, name }) };
}

function consultationEnd(result: "agreed" | "objected" | "noReply", after = 8): StepPlan {
  return { type: "endConsultation", after, by: "handler", payload: () => ({ result }) };
}

const extension = (after = 17): StepPlan => ({
  type: "extend",
  after,
  by: "reviewer",
  payload: () => ({
    workingDays: 15,
    reason: "申请公开的信息涉及多个年度的纸质档案，需调档检索、逐页核对，无法在20个工作日内答复",
    approver: "局办公室主任 韩永胜",
  }),
});

const art35Delay = (after = 15): StepPlan => ({
  type: "delayDeadline",
  after,
  by: "reviewer",
  payload: (date) => ({
    deadline: addDays(date, 45),
    reason:
      "申请人短期内提交大量申请，经说明理由合理，但无法在法定期限内答复，依据《条例》第三十五条确定延迟答复期限",
  }),
});

const feeNoticeByPages = (pages: number, after = 6): StepPlan => ({
  type: "feeNotice",
  after,
  by: "reviewer",
  payload: () => ({ delivery: "online", method: "byPages", pages, amount: byPagesFee(pages).amount }),
});

const feeNoticePerRequest = (ordinalInMonth: number, amount: number, after = 6): StepPlan => ({
  type: "feeNotice",
  after,
  by: "reviewer",
  payload: () => ({ delivery: "online", method: "perRequest", ordinalInMonth, amount }),
});

const feePaid = (after = 6): StepPlan => ({
  type: "feePaid",
  after,
  by: "registrar",
  payload: (_date, context) => ({ receiptNo: `青非税〔电〕${context.int(10_000_000, 99_999_999)}` }),
});

const withdrawal = (by: StepActor, after = 4): StepPlan => ({
  type: "withdraw",
  after,
  by,
  payload: () => ({ reason: "申请人已通过其他途径获取所需信息，主动撤回申请" }),
});

// ----- the closed applications of the two years, in the order they are spread over the window -----

/** Applications received over the two years and closed by now. */
export const closedCases: readonly CasePlan[] = [
  {
    description: (y) => `${y - 1}年海东市乐都区某污水处理厂提标改造项目环境影响评价文件及批复`,
    type: "natural",
    channel: "inPerson",
    delivery: "inPerson",
    infoForm: "paper",
    steps: answer("granted", 9),
  },
  {
    description: (y) => `海东市${y - 1}年度生态环境状况公报`,
    type: "natural",
    channel: "online",
    delivery: "online",
    steps: answer("granted", 3, undefined, {
      ground: "alreadyPublic",
      location: "该公报已在本机关门户网站“政府信息公开”专栏“主动公开”栏目发布，可在线查阅、下载",
    }),
  },
  {
    description: () => "平安区某水泥有限公司排污许可证副本及许可事项",
    type: "commercial",
    channel: "registeredMail",
    delivery: "mail",
    infoForm: "paper",
    steps: answer("granted", 11),
  },
  {
    description: (y) => `湟水河海东段${y - 1}年第三季度国控、省控断面水质监测数据`,
    type: "research",
    channel: "email",
    delivery: "email",
    steps: answer("granted", 8),
  },
  {
    description: () => "互助县某砂石料场建设项目环境影响报告表审批意见",
    type: "publicInterest",
    channel: "fax",
    delivery: "mail",
    steps: answer("granted", 14),
  },
  {
    description: () => "民和县川口镇集中式饮用水水源地保护区划定方案及批复",
    type: "legalService",
    channel: "ordinaryMail",
    delivery: "mail",
    infoForm: "paper",
    steps: answer("granted", 10),
  },
  {
    description: (y) => `乐都区碾伯镇东关村周边养殖场${y - 1}年环境监管检查情况`,
    type: "otherOrg",
    channel: "inPerson",
    delivery: "inPerson",
    steps: answer("partial", 16, "现场检查记录中涉及企业生产工艺的内容作区分处理后公开"),
  },
  {
    description: (y) => `海东市${y}年重点排污单位名录`,
    channel: "online",
    delivery: "online",
    steps: answer("granted", 4, "该信息已主动公开，告知申请人获取途径"),
  },
  {
    description: () => "海东市某化工企业环境行政处罚决定书及相关调查询问笔录",
    type: "legalService",
    channel: "registeredMail",
    delivery: "mail",
    steps: answer("partial", 15, "公开行政处罚决定书；调查询问笔录属于行政执法案卷，不予公开"),
  },
  {
    description: () => "海东市辖区内军事管理区周边辐射环境监测点位坐标及监测数据",
    type: "natural",
    channel: "inPerson",
    steps: answer("withheld.stateSecret", 12),
  },
  {
    description: () => "全市放射源使用单位的放射源具体存放位置及安保方案",
    channel: "email",
    delivery: "email",
    steps: answer("withheld.lawProhibited", 13),
  },
  {
    description: () => "海东市突发环境事件应急预案中涉及重点目标安保部署及应急物资储备点位的内容",
    channel: "online",
    delivery: "online",
    steps: answer("withheld.securityStability", 14),
  },
  {
    description: () => "青海东垣光伏发电有限公司环境影响报告书中的生产工艺流程及原料配方",
    type: "commercial",
    channel: "registeredMail",
    delivery: "mail",
    steps: [
      consultation("thirdParty", "青海东垣光伏发电有限公司", 4),
      consultationEnd("objected", 9),
      ...answer("withheld.thirdParty", 5, "第三方书面反对公开，理由涉及商业秘密，依法不予公开"),
    ],
  },
  {
    description: (y) => `海东市生态环境局${y - 1}年干部年度考核结果及人事任免内部审批材料`,
    channel: "inPerson",
    steps: answer("withheld.internalAffairs", 10),
  },
  {
    description: () => "关于海东工业园区规划环评调整的局长办公会会议纪要及内部讨论稿",
    type: "publicInterest",
    channel: "online",
    delivery: "online",
    steps: answer("withheld.processInfo", 15),
  },
  {
    description: (y) => `${y - 1}年对乐都区某洗煤厂行政处罚案件的全部案卷材料`,
    type: "legalService",
    channel: "inPerson",
    steps: answer("withheld.enforcementFile", 12),
  },
  {
    description: () => "民和县川口洗煤厂的工商登记档案及股东出资信息",
    type: "commercial",
    channel: "fax",
    delivery: "fax",
    steps: answer(
      "withheld.queryMatter",
      9,
      "告知申请人按照企业登记档案查询的有关规定向市场监督管理部门申请查询",
    ),
  },
  {
    description: () => "海东市2015年以前历年排污费征收明细及减免审批记录",
    channel: "inPerson",
    steps: answer("unable.notHeld", 10, "经检索，本机关未保存该时段的相关信息", { ground: "notExist" }),
  },
  {
    description: () => "互助县某村饮用水井的水质化验报告",
    type: "otherOrg",
    channel: "ordinaryMail",
    delivery: "mail",
    steps: answer("unable.notHeld", 8, "农村饮用水水质检测由卫生健康部门负责，相关检测报告由其制作和保存", {
      ground: "notResponsible",
      responsibleAgencyName: "互助县卫生健康局",
    }),
  },
  {
    description: () => "青海省生态环境厅对湟水流域某水电站项目的环境影响评价审批文件",
    type: "research",
    channel: "email",
    delivery: "email",
    steps: answer("unable.notHeld", 11, "该审批文件由青海省生态环境厅作出并保存", {
      ground: "notResponsible",
      responsibleAgencyName: "青海省生态环境厅",
      responsibleAgencyContact: "0971-8254321",
    }),
  },
  {
    description: () => "近十年海东市各县区环境信访数量按月统计分析表",
    channel: "online",
    delivery: "online",
    steps: answer("unable.needsCreation", 13),
  },
  {
    description: (y) => `全市所有企业${y - 1}年排污许可证执行报告的汇总对比分析`,
    type: "research",
    channel: "registeredMail",
    delivery: "mail",
    steps: answer("unable.needsCreation", 15),
  },
  {
    description: () => "关于我家附近那个厂子的所有环保文件",
    type: "natural",
    channel: "inPerson",
    steps: [
      correctionNotice(3),
      correctionReceived(6, "关于乐都区雨润镇附近一家工厂（名称不详）的全部环保材料"),
      ...answer("unable.stillUnclear", 10, "补正后仍未能明确所指企业及所需信息"),
    ],
  },
  {
    description: () => "举报平安区某砖厂夜间偷排废气，要求查处并公开处理结果",
    channel: "online",
    delivery: "online",
    steps: answer("notProcessed.complaint", 5, "已告知申请人通过12345热线或生态环境举报渠道反映"),
  },
  {
    description: (y) => `${y - 1}年海东市乐都区某污水处理厂提标改造项目环境影响评价文件及批复`,
    type: "natural",
    channel: "inPerson",
    steps: answer("notProcessed.duplicate", 6, "本机关已就相同内容作出答复，申请人重复申请"),
  },
  {
    description: () => "《海东市生态环境保护“十四五”规划》正式出版物一册",
    type: "publicInterest",
    channel: "registeredMail",
    delivery: "mail",
    steps: answer("notProcessed.publication", 7),
  },
  {
    description: () => "全市所有建设项目自2010年以来的环评文件、批复、验收材料（本月第36件同类申请）",
    type: "commercial",
    channel: "email",
    delivery: "email",
    steps: answer("notProcessed.excessive", 12, "申请人未能说明理由，依据《条例》第三十五条不予处理"),
  },
  {
    description: () => "要求对已获取的某项目环评批复重新出具加盖公章的确认件",
    type: "legalService",
    channel: "inPerson",
    steps: answer("notProcessed.confirmation", 8),
  },
  {
    description: () => "海东市环保方面的所有文件",
    channel: "online",
    delivery: "online",
    steps: [correctionNotice(2)],
  },
  {
    description: () => "关于某厂的材料",
    type: "natural",
    channel: "ordinaryMail",
    delivery: "mail",
    steps: [correctionNotice(4)],
  },
  {
    description: () => "2019年以来全市建设项目环评审批文件纸质复印件（约260页）",
    type: "commercial",
    channel: "inPerson",
    infoForm: "paper",
    delivery: "mail",
    steps: [feeNoticeByPages(260)],
  },
  {
    description: () => "海东市各县区环境空气自动监测站历年小时监测数据纸质打印件（约150页）",
    type: "research",
    channel: "registeredMail",
    infoForm: "paper",
    delivery: "mail",
    steps: [feeNoticeByPages(150), feePaid(7), ...answer("granted", 5)],
  },
  {
    description: () => "乐都区某小区周边通信基站电磁辐射环境监测报告",
    type: "natural",
    channel: "online",
    delivery: "online",
    steps: [withdrawal("applicant", 3)],
  },
  {
    description: (y) => `民和县某企业${y - 1}年度环境信用评价结果`,
    type: "commercial",
    channel: "inPerson",
    steps: [withdrawal("registrar", 5)],
  },
  {
    description: () => "湟水河乐都段入河排污口设置审批文件",
    type: "publicInterest",
    channel: "inPerson",
    steps: [extension(17), ...answer("granted", 12)],
  },
  {
    description: () => "化隆县某养殖场环境影响登记表备案回执",
    channel: "online",
    delivery: "online",
    steps: answer("granted", 6),
  },
  {
    description: () => "海东工业园区乐都工业园规划环境影响报告书审查意见",
    type: "research",
    channel: "inPerson",
    steps: [
      consultation("otherAgency", "海东市发展和改革委员会", 5),
      consultationEnd("agreed", 7),
      ...answer("granted", 6),
    ],
  },
  {
    description: () => "循化县某水电站建设项目竣工环境保护验收意见",
    channel: "registeredMail",
    delivery: "mail",
    steps: answer("granted", 13),
  },
  {
    description: (y) => `海东市${y}年大气污染防治实施方案`,
    channel: "online",
    delivery: "online",
    steps: answer("granted", 2, "该信息已主动公开，告知申请人获取途径"),
  },
  {
    description: () => "乐都区生活垃圾填埋场地下水监测报告",
    type: "otherOrg",
    channel: "inPerson",
    steps: [
      consultation("thirdParty", "海东市乐都区城市管理和综合执法局", 4),
      consultationEnd("noReply", 15),
      ...answer("partial", 4),
    ],
  },
  {
    description: () => "平安区某建材公司环境违法行为整改情况及复查意见",
    type: "natural",
    channel: "fax",
    delivery: "fax",
    steps: answer("granted", 15),
  },
  {
    description: () => "海东市第二轮中央生态环境保护督察反馈问题整改方案及整改进展",
    type: "publicInterest",
    channel: "online",
    delivery: "online",
    steps: [feeNoticePerRequest(12, 100, 5), feePaid(4), ...answer("granted", 8)],
  },
];

/** Applications received in December of last year; most are answered in January (结转). */
export const carryOverCases: readonly CasePlan[] = [
  {
    description: (y) => `海东市${y}年度建设项目环境影响评价审批情况汇总表`,
    type: "natural",
    channel: "inPerson",
    steps: answer("granted", 16),
  },
  {
    description: () => "乐都区某化工企业突发环境事件应急预案备案材料",
    type: "commercial",
    channel: "registeredMail",
    delivery: "mail",
    steps: [extension(18), ...answer("partial", 12)],
  },
  {
    description: () => "关于平安区湟水河沿岸那几个厂的排污材料",
    type: "publicInterest",
    channel: "online",
    delivery: "online",
    steps: [
      correctionNotice(4),
      correctionReceived(7, "平安区湟水河沿岸三家洗砂场的排污许可及监测数据"),
      ...answer("granted", 11),
    ],
  },
  {
    description: (y) => `互助县${y}年农村环境整治项目资金使用及验收情况`,
    type: "legalService",
    channel: "email",
    delivery: "email",
    steps: [
      consultation("otherAgency", "海东市财政局", 6),
      consultationEnd("agreed", 10),
      ...answer("granted", 5),
    ],
  },
];

/** Applications still open today, each received `startBack` working days ago. */
export const openCases: readonly OpenCasePlan[] = [
  {
    description: () => "乐都区碾伯镇某餐饮街油烟污染投诉处理情况及监测报告",
    type: "natural",
    channel: "online",
    delivery: "online",
    startBack: 0,
    unconfirmed: true,
    steps: [],
  },
  {
    description: () => "平安区某商砼站扬尘治理措施及环评批复",
    type: "commercial",
    channel: "email",
    delivery: "email",
    startBack: 1,
    unconfirmed: true,
    steps: [],
  },
  {
    description: () => "高店镇东村周边砖厂大气污染物排放监测数据",
    type: "natural",
    channel: "online",
    delivery: "online",
    startBack: 8,
    unconfirmed: true,
    steps: [
      {
        type: "closeUnprocessed",
        after: 1,
        by: "reviewer",
        payload: () => ({
          outcome: "other.other",
          reason: "同一申请人重复提交的相同内容，已合并至另一件申请办理",
        }),
      },
    ],
  },
  {
    description: () => "互助县威远镇某屠宰场污水处理设施建设及验收材料",
    type: "natural",
    channel: "inPerson",
    startBack: 2,
    steps: [],
  },
  {
    description: () => "化隆县群科新区污水处理厂在线监测数据",
    type: "research",
    channel: "registeredMail",
    delivery: "mail",
    startBack: 18,
    steps: [],
  },
  {
    description: () => "循化县积石镇某酒店环境影响登记表及排水许可",
    type: "commercial",
    channel: "inPerson",
    startBack: 22,
    steps: [],
  },
  {
    description: () => "海东市近三年生态环境损害赔偿案件办理情况",
    type: "legalService",
    channel: "inPerson",
    startBack: 26,
    steps: [extension(19)],
  },
  {
    description: () => "我们村旁边那个厂的环评",
    type: "otherOrg",
    channel: "ordinaryMail",
    delivery: "mail",
    startBack: 14,
    steps: [
      correctionNotice(3),
      correctionReceived(5, "乐都区高店镇东村东侧某石材加工厂的环境影响评价文件及批复"),
    ],
  },
  {
    description: () => "关于河边那个项目的情况",
    type: "natural",
    channel: "online",
    delivery: "online",
    startBack: 6,
    steps: [correctionNotice(4)],
  },
  {
    description: () => "某锂电池材料项目环境影响报告书（含附件）全本",
    type: "publicInterest",
    channel: "inPerson",
    startBack: 11,
    steps: [consultation("thirdParty", "青海锂源新材料有限公司", 6)],
  },
  {
    description: () => "海东市机动车排气检验机构监督检查结果",
    type: "commercial",
    channel: "fax",
    delivery: "fax",
    startBack: 9,
    steps: [consultation("otherAgency", "海东市公安局交通警察支队", 5)],
  },
  {
    description: () => "全市重点排污单位自行监测方案及历年监测报告纸质复印件（约120页）",
    type: "research",
    channel: "inPerson",
    infoForm: "paper",
    delivery: "mail",
    startBack: 12,
    steps: [feeNoticeByPages(120, 7)],
  },
  {
    description: () => "民和县某铁合金厂超标排放处罚及整改情况",
    type: "natural",
    channel: "inPerson",
    startBack: 16,
    // 予以公开 needs 审核 at the bureau: 拟办, 审核, then the reply (not yet delivered).
    steps: [
      { type: "draftDecision", after: 12, by: "handler", payload: () => ({ outcome: "granted" }) },
      { type: "approveDraft", after: 1, by: "reviewer" },
      ...answer("granted", 1).slice(0, 1),
    ],
  },
  {
    description: () => "全市各类建设项目环评审批文件（本年度第二十批）",
    type: "commercial",
    channel: "email",
    delivery: "email",
    startBack: 21,
    steps: [art35Delay(17)],
  },
  // One case at each step of the sign-off chain.
  {
    description: () => "乐都区某化工企业突发环境事件应急预案备案材料",
    type: "commercial",
    channel: "inPerson",
    startBack: 13,
    steps: signOffChain("withheld.processInfo", "drafted", "应急预案修订稿尚在内部讨论中"),
  },
  {
    description: () => "本局内部考勤及车辆使用管理制度",
    type: "natural",
    channel: "inPerson",
    startBack: 15,
    steps: signOffChain("withheld.internalAffairs", "returned", "属于本机关内部管理信息", 9),
  },
  {
    description: () => "某涉密建设项目环境影响评价文件",
    type: "natural",
    channel: "inPerson",
    startBack: 17,
    steps: signOffChain("withheld.lawProhibited", "approved", "相关法律、行政法规禁止公开", 9),
  },
  {
    description: () => "全市饮用水水源地周边重点风险源排查台账",
    type: "publicInterest",
    channel: "inPerson",
    startBack: 19,
    steps: signOffChain("withheld.securityStability", "signed", "公开后可能危及公共安全", 10),
  },
  {
    description: () => "乐都区城区声环境质量监测数据",
    type: "natural",
    channel: "online",
    delivery: "online",
    startBack: 4,
    steps: [],
  },
];
