/**
 * Fictitious but plausible applicants in 青海省海东市: people with valid 居民身份证号码 (check digit
 * included) and organisations with valid 统一社会信用代码, addresses in the city's districts and
 * counties, mobile and 0972 landline numbers. Every value is generated; none belongs to anyone.
 */
import { creditCodeCheckChar, idCheckDigit } from "@govinfo/shared/identity";
import type { Random } from "@govinfo/shared/random";
import type { ApplicantType } from "@govinfo/shared/stats/keys";

/** An applicant as the intake form takes it. */
export interface DemoApplicant {
  type: ApplicantType;
  name: string;
  idType: "idCard" | "creditCode";
  idNumber: string;
  phone: string;
  address: string;
  email: string;
  contactPerson: string;
}

/** 海东市 districts and counties with their GB/T 2260 codes and a few streets. */
const places = [
  {
    code: "630202",
    area: "乐都区",
    towns: ["碾伯镇古城大街", "碾伯镇朝阳山路", "雨润镇深沟村", "高店镇东村"],
  },
  { code: "630203", area: "平安区", towns: ["平安镇平安大道", "平安镇湟水路", "小峡镇王家庄村"] },
  { code: "630222", area: "民和回族土族自治县", towns: ["川口镇民和路", "川口镇迎宾路", "马场垣乡马场垣村"] },
  { code: "630223", area: "互助土族自治县", towns: ["威远镇西大街", "威远镇南门峡路", "塘川镇高羌村"] },
  { code: "630224", area: "化隆回族自治县", towns: ["巴燕镇团结路", "群科镇群科新区"] },
  { code: "630225", area: "循化撒拉族自治县", towns: ["积石镇河滨路", "街子镇三兰巴海村"] },
] as const;

const surnames = ["马", "李", "张", "王", "韩", "祁", "冶", "赵", "鲁", "刘", "陈", "杨", "朱", "喇", "星"];
const givenNames = [
  "建国",
  "秀兰",
  "文忠",
  "玉梅",
  "福寿",
  "海龙",
  "丽娟",
  "福林",
  "晓燕",
  "永福",
  "德明",
  "桂英",
  "占鳌",
  "有才",
  "春花",
  "志强",
  "金花",
  "国栋",
];
/** Tibetan and Salar names are written whole, without a surname. */
const wholeNames = ["才让多杰", "索南措", "韩木洒", "扎西卓玛"];

const organisations: Readonly<Record<Exclude<ApplicantType, "natural">, readonly Org[]>> = {
  commercial: [
    { name: "海东市乐都区河湟建材有限公司", prefix: "91" },
    { name: "青海高原绿源环保科技有限公司", prefix: "91" },
    { name: "平安区湟水砂石料有限责任公司", prefix: "91" },
    { name: "青海东垣光伏发电有限公司", prefix: "91" },
    { name: "民和县川口洗煤厂", prefix: "92" },
  ],
  research: [
    { name: "青海省环境科学研究设计院", prefix: "12" },
    { name: "青海大学生态环境工程学院", prefix: "12" },
  ],
  publicInterest: [
    { name: "海东市河湟生态环境保护志愿者协会", prefix: "51" },
    { name: "青海绿色江源环境保护促进会", prefix: "51" },
  ],
  legalService: [
    { name: "青海湟水律师事务所", prefix: "31" },
    { name: "青海海东明德律师事务所", prefix: "31" },
  ],
  otherOrg: [
    { name: "乐都区碾伯镇东关村村民委员会", prefix: "54" },
    { name: "平安区阳光小区业主委员会", prefix: "Y1" },
  ],
};

interface Org {
  name: string;
  /** 登记管理部门 + 机构类别 of the credit code. */
  prefix: string;
}

/**
 * A random applicant of the given type, living or registered in 海东市.
 * @param random the seeded generator.
 * @param options `mobileOnly` for applicants who log in online (an account needs a mobile number).
 */
export function demoApplicant(
  type: ApplicantType,
  random: Random,
  options: { mobileOnly?: boolean } = {},
): DemoApplicant {
  const place = random.pick(places);
  const address = `青海省海东市${place.area}${random.pick(place.towns)}${random.int(1, 188)}号`;
  if (type === "natural") {
    const name =
      random.next() < 0.15 ? random.pick(wholeNames) : random.pick(surnames) + random.pick(givenNames);
    return {
      type,
      name,
      idType: "idCard",
      idNumber: idNumber(place.code, random),
      phone: mobile(random),
      address,
      email:
        random.next() < 0.35 ? `${random.pick(["hd", "ld", "qh", "pa"])}${random.digits(7)}@163.com` : "",
      contactPerson: "",
    };
  }
  const org = random.pick(organisations[type]);
  const contact = random.pick(surnames) + random.pick(givenNames);
  return {
    type,
    name: org.name,
    idType: "creditCode",
    idNumber: creditCode(org.prefix, place.code, random),
    phone: !options.mobileOnly && random.next() < 0.5 ? `0972-86${random.digits(5)}` : mobile(random),
    address,
    email: random.next() < 0.6 ? `office${random.digits(4)}@qq.com` : "",
    contactPerson: contact,
  };
}

function idNumber(areaCode: string, random: Random): string {
  const year = random.int(1955, 2000);
  const month = String(random.int(1, 12)).padStart(2, "0");
  const day = String(random.int(1, 28)).padStart(2, "0");
  const first17 = `${areaCode}${year}${month}${day}${random.digits(3)}`;
  return first17 + idCheckDigit(first17);
}

function creditCode(prefix: string, areaCode: string, random: Random): string {
  const organisationCode = `MA${random.int(0, 9)}${random.pick([..."0123456789ABCDEFGHJKLMNPQRTUWXY"])}${random.digits(5)}`;
  const first17 = `${prefix}${areaCode}${organisationCode}`;
  return first17 + creditCodeCheckChar(first17);
}

function mobile(random: Random): string {
  return `1${random.pick(["39", "38", "37", "52", "58", "87", "89", "99"])}${random.digits(8)}`;
}
