/**
 * The agency tree: who sees which agencies, adding a child agency, editing the letterhead and the
 * serial-number prefix.
 */
import { z } from "zod";
import { HH_MM } from "../calendar/reminders.ts";
import { type SignOffPolicy, signOffStepKeys } from "../lifecycle/machine.ts";
import { ObjectIdString } from "./common.ts";

/** Agency levels: 部门 or 政府. */
export const agencyLevelLabels = { department: "部门", government: "政府" } as const;

const Field = (max: number, label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`);

/** Letterhead printed on notices and reply letters. */
export const LetterheadInput = z.object({
  title: Field(60, "文书抬头"),
  address: Field(100, "地址"),
  phone: Field(40, "电话"),
  postcode: z
    .string({ error: "邮政编码必须是文字" })
    .trim()
    .regex(/^(\d{6})?$/, "邮政编码应为 6 位数字"),
});
export type LetterheadInput = z.infer<typeof LetterheadInput>;

const SerialPrefix = Field(20, "编号前缀");

/** Path parameter `:id` of an agency. */
export const AgencyParams = z.object({ id: ObjectIdString });

/** Body of POST /agencies. */
export const AgencyCreateInput = z.object({
  parentId: ObjectIdString,
  code: z
    .string({ error: "请填写机关代码" })
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,32}$/, "机关代码只能使用 2 至 32 个字母、数字、下划线或连字符"),
  name: z
    .string({ error: "请填写机关名称" })
    .trim()
    .min(2, "请填写机关名称")
    .max(60, "机关名称不能超过 60 个字"),
  level: z.enum(["department", "government"], { error: "请选择层级（部门或政府）" }).default("department"),
  serialPrefix: SerialPrefix.default(""),
  letterhead: LetterheadInput.partial().default({}),
  verticallyManaged: z.boolean({ error: "“实行垂直领导”应为是或否" }).default(false),
});
export type AgencyCreateInput = z.infer<typeof AgencyCreateInput>;

const steps = z.enum(signOffStepKeys, { error: "请选择审核签发环节（直接答复、拟办审核或拟办审核签发）" });

/** Which replies need 拟办、审核 (and 签发), per outcome group of table 三; groups left out are unchanged. */
export const SignOffPolicyInput = z.strictObject(
  {
    granted: steps.optional(),
    partial: steps.optional(),
    withheld: steps.optional(),
    unable: steps.optional(),
    notProcessed: steps.optional(),
    other: steps.optional(),
  },
  { error: "审核签发设置应按办理结果分类填写" },
);

/** Body of PATCH /agencies/:id. */
/** A quiet-hours bound 'HH:mm', or '' for none. */
const QuietTime = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .refine((v) => v === "" || HH_MM.test(v), `${label}应为“时:分”，例如 22:00`);

export const AgencyUpdateInput = z
  .object({
    serialPrefix: SerialPrefix.optional(),
    letterhead: LetterheadInput.partial().optional(),
    verticallyManaged: z.boolean({ error: "“实行垂直领导”应为是或否" }).optional(),
    /** The 行政复议机关 named in letters; '' returns to the one derived from the tree. */
    reviewBodyName: Field(60, "行政复议机关名称").optional(),
    signOffPolicy: SignOffPolicyInput.optional(),
    /** Quiet hours of text and WeChat messages to staff; empty start and end: none. */
    staffNotify: z
      .object({
        quietStart: QuietTime("免打扰开始时间"),
        quietEnd: QuietTime("免打扰结束时间"),
        wechatTemplateId: z.string().trim().max(64, "微信模板编号不能超过 64 个字符").optional(),
      })
      .optional(),
  })
  .refine(
    (v) =>
      v.serialPrefix !== undefined ||
      v.letterhead !== undefined ||
      v.verticallyManaged !== undefined ||
      v.reviewBodyName !== undefined ||
      v.signOffPolicy !== undefined ||
      v.staffNotify !== undefined,
    "没有要修改的内容",
  );
export type AgencyUpdateInput = z.infer<typeof AgencyUpdateInput>;

/** One agency of the tree, with what the caller may do there. */
export interface AgencyNodeDto {
  id: string;
  code: string;
  name: string;
  level: "department" | "government";
  parentId: string | null;
  serialPrefix: string;
  letterhead: { title: string; address: string; phone: string; postcode: string };
  verticallyManaged: boolean;
  /** Quiet hours and WeChat template of messages to staff (催办, 超期预警). */
  staffNotify?: { quietStart: string; quietEnd: string; wechatTemplateId: string };
  /** The 行政复议机关 named in remedy sentences. */
  reviewBody: {
    /** What letters print (override, else derived); null: the generic wording of `rule`. */
    name: string | null;
    derivedName: string | null;
    overrideName: string;
    /** The rule with its article. */
    rule: string;
  };
  /** Which replies need 拟办、审核 (and 签发) before they are issued. */
  signOffPolicy: SignOffPolicy;
  abilities: { canEdit: boolean; canAddChild: boolean };
  children: AgencyNodeDto[];
}
