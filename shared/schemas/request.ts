/**
 * Intake schemas of a 依申请公开 application, shared by the mini-program form, the admin registration
 * dialog and the server. No purpose is asked for: the 2019 条例 removed the "三需要" requirement.
 */
import { z } from "zod";
import { checkCreditCode, checkIdNumber, checkMobile } from "../identity.ts";
import { channels } from "../lifecycle/channels.ts";
import { applicantTypeKeys } from "../stats/keys.ts";
import { DateString, Text } from "./common.ts";

/** Identity documents. */
export const idTypes = ["idCard", "creditCode", "passport", "other"] as const;
/** Identity document labels. */
export const idTypeLabels: Record<(typeof idTypes)[number], string> = {
  idCard: "居民身份证",
  creditCode: "统一社会信用代码证",
  passport: "护照",
  other: "其他证件",
};
/** 信息形式 options. */
export const infoForms = ["paper", "electronic"] as const;
/** 信息形式 labels. */
export const infoFormLabels: Record<(typeof infoForms)[number], string> = {
  paper: "纸质",
  electronic: "电子",
};
/** 获取方式 options. */
export const deliveryMethods = ["mail", "email", "inPerson", "online", "fax"] as const;
/** 获取方式 labels. */
export const deliveryLabels: Record<(typeof deliveryMethods)[number], string> = {
  mail: "邮寄",
  email: "电子邮件",
  inPerson: "当面领取",
  online: "在线获取",
  fax: "传真",
};

/** The applicant as entered at intake. */
export const ApplicantInput = z
  .object({
    type: z.enum(applicantTypeKeys, { error: "请选择申请人类型" }),
    name: Text(100, "申请人姓名或名称"),
    idType: z.enum(idTypes, { error: "请选择证件类型" }),
    idNumber: Text(40, "证件号码"),
    phone: Text(20, "联系电话"),
    address: z.string().trim().max(200, "通信地址不能超过 200 个字").default(""),
    email: z.union([z.literal(""), z.email("电子邮箱格式不正确")]).default(""),
    contactPerson: z.string().trim().max(50, "联系人不能超过 50 个字").default(""),
  })
  .superRefine((value, ctx) => {
    if (value.idType === "idCard") {
      const result = checkIdNumber(value.idNumber);
      if (!result.ok) ctx.addIssue({ code: "custom", path: ["idNumber"], message: result.error });
    }
    if (value.idType === "creditCode") {
      const result = checkCreditCode(value.idNumber);
      if (!result.ok) ctx.addIssue({ code: "custom", path: ["idNumber"], message: result.error });
    }
    if (value.type === "natural" && value.idType === "creditCode") {
      ctx.addIssue({ code: "custom", path: ["idType"], message: "自然人请填写居民身份证或其他个人证件" });
    }
    if (value.type !== "natural" && value.idType !== "creditCode" && value.idType !== "other") {
      ctx.addIssue({ code: "custom", path: ["idType"], message: "法人或其他组织请填写统一社会信用代码" });
    }
    const phone = checkMobile(value.phone);
    if (!phone.ok && !/^0\d{2,3}-?\d{7,8}$/.test(value.phone)) {
      ctx.addIssue({
        code: "custom",
        path: ["phone"],
        message: "请填写正确的手机号码或固定电话（如 0972-8612345）",
      });
    }
  });

/** The agency the application is addressed to; missing or malformed, the form asks to choose one. */
const AgencyChoice = z.string({ error: "请选择受理机关" }).regex(/^[0-9a-f]{24}$/i, "请选择受理机关");

/** The information requested and how the applicant wants it. */
const requestBody = {
  applicant: ApplicantInput,
  description: Text(2000, "申请公开的政府信息的名称、文号或者便于查询的其他特征性描述"),
  documentNumber: z.string().trim().max(100, "文号不能超过 100 个字").default(""),
  infoForm: z.enum(infoForms, { error: "请选择信息形式" }),
  delivery: z.enum(deliveryMethods, { error: "请选择获取方式" }),
};

/** An online application submitted by an applicant (mini-program or H5). */
export const RequestSubmitInput = z
  .object({ agencyId: AgencyChoice, ...requestBody })
  .superRefine((value, ctx) => {
    if (value.delivery === "mail" && value.applicant.address === "") {
      ctx.addIssue({ code: "custom", path: ["applicant", "address"], message: "选择邮寄的，请填写通信地址" });
    }
    if (value.delivery === "email" && value.applicant.email === "") {
      ctx.addIssue({
        code: "custom",
        path: ["applicant", "email"],
        message: "选择电子邮件的，请填写电子邮箱",
      });
    }
  });
export type RequestSubmitInput = z.infer<typeof RequestSubmitInput>;

/** An application registered by staff (in person, mail, fax, e-mail) with its channel and receipt date. */
export const RequestRegisterInput = z
  .object({
    agencyId: AgencyChoice,
    ...requestBody,
    channel: z.enum(channels, { error: "请选择收到渠道" }),
    receiptDate: DateString,
  })
  .superRefine((value, ctx) => {
    if (value.delivery === "mail" && value.applicant.address === "") {
      ctx.addIssue({ code: "custom", path: ["applicant", "address"], message: "选择邮寄的，请填写通信地址" });
    }
  });
export type RequestRegisterInput = z.infer<typeof RequestRegisterInput>;
