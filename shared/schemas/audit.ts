/**
 * The audit log as administrators and supervisors read it.
 */
import { z } from "zod";
import { eventLabels } from "../lifecycle/machine.ts";
import { DateString, ObjectIdString } from "./common.ts";

/** Chinese names of the audited actions. */
export const auditActionLabels: Record<string, string> = {
  "auth.login": "登录",
  "user.create": "创建用户",
  "user.roles": "修改角色",
  "user.disable": "停用用户",
  "user.enable": "启用用户",
  "user.password_reset": "重置密码",
  "user.password_change": "修改密码",
  "agency.create": "新增机关",
  "agency.update": "修改机关信息",
  "request.reveal": "查看申请人完整信息",
  "request.note": "内部备注",
  "request.letter": "出具文书",
  "request.file": "上传文件",
  "request.document.download": "下载文件",
  "request.redaction.convert": "将 Word 文件转换为 PDF 以进行区分处理",
  "request.redaction.save": "保存区分处理遮盖",
  "request.redaction.apply": "生成区分处理后的文件",
  "request.assign": "指派承办人",
  "request.link": "凭查询码关联申请",
  "request.rate": "满意度评价",
  "request.followUp": "登记回访结果",
  "proposal.create": "确认纳入主动公开建议",
  "proposal.publish": "纳入主动公开建议关联已公开的信息",
  "request.assignment.accept": "签收",
  "request.assignment.return": "退回分配",
  "request.transferIn": "收到转办申请",
  "request.urge": "催办",
  "supervision.issue": "发出督办单",
  "supervision.reply": "反馈督办办理情况",
  "report.draft": "生成年度报告草稿",
  "report.draftReady": "年度报告草稿已生成",
  "report.inputs": "填写表二数据",
  "report.sections": "编辑报告正文",
  "report.publish": "发布年度报告",
  "report.revise": "更正年度报告",
  "report.import": "导入历史年度报告",
  "ledger.import": "导入台账",
  "ledger.export": "导出台账",
  "catalogue.import": "导入主动公开目录",
  "catalogue.create": "新建主动公开信息",
  "catalogue.update": "修改主动公开信息",
  "catalogue.publish": "发布主动公开信息",
  "catalogue.withdraw": "撤回主动公开信息",
  "catalogue.repeal": "废止主动公开信息",
  "reviewCase.create": "登记复议诉讼案件",
  "reviewCase.update": "修改复议诉讼案件",
  "calendar.override.set": "调整工作日",
  "calendar.override.delete": "删除工作日调整",
};

/** Chinese names of the audited record types. */
export const auditTargetLabels: Record<string, string> = {
  user: "用户",
  agency: "机关",
  request: "申请",
  annualReport: "年度报告",
  infoItem: "主动公开信息",
  calendarOverride: "工作日日历",
  reviewCase: "复议诉讼案件",
  ledger: "台账",
  proposal: "纳入主动公开建议",
  supervision: "督办单",
};

/** The Chinese name of an action; lifecycle events (`request.<event>`) use the lifecycle's labels. */
export function auditActionLabel(action: string): string {
  const known = auditActionLabels[action];
  if (known) return known;
  const event = action.startsWith("request.") ? action.slice("request.".length) : "";
  return (eventLabels as Readonly<Record<string, string>>)[event] ?? action;
}

/** Query of GET /audit. */
export const AuditQuery = z
  .object({
    agencyId: ObjectIdString.optional(),
    action: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.]{1,60}$/, "操作类型格式不正确")
      .optional(),
    targetType: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.]{1,40}$/, "对象类型格式不正确")
      .optional(),
    from: DateString.optional(),
    to: DateString.optional(),
    cursor: z
      .string()
      .regex(/^\d{1,15}_[0-9a-f]{24}$/, "分页游标无效")
      .optional(),
    limit: z.coerce.number().int().min(1, "每页条数至少为 1").max(100, "每页条数不能超过 100").default(20),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { error: "开始日期不能晚于结束日期", path: ["to"] });
export type AuditQuery = z.infer<typeof AuditQuery>;

/** One audit event. */
export interface AuditEventDto {
  id: string;
  at: string;
  actorKind: string;
  actorName: string;
  agencyId: string | null;
  agencyName: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  /** The event as one Chinese sentence (who did what to which record), names resolved. */
  sentence: string;
  ip: string;
}
