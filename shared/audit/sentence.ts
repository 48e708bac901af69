/**
 * The audit log as Chinese sentences: who did what to which record ("马晓梅将申请 HD-2026-0001
 * 指派给李建华"). Pure: the server resolves the names (assignees, users, serial numbers) first, so
 * the admin page never shows stored ids, English keys or JSON.
 */
import { eventLabels, type State, stateLabels } from "../lifecycle/machine.ts";
import { auditActionLabel, auditTargetLabels } from "../schemas/audit.ts";
import { type LetterKind, letterKindLabels } from "../schemas/documents.ts";
import { type OutcomeKey, outcomes } from "../stats/keys.ts";

/** What a sentence is made of: the stored event plus names the server looked up. */
export interface AuditSentenceInput {
  action: string;
  actorKind: string;
  actorName: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  /** Display names of user ids found in the event (assignees, target users). */
  userNames?: ReadonlyMap<string, string>;
  /** The serial number of the target application, when the details do not carry it. */
  serialNo?: string;
}

const actorKindNames: Record<string, string> = {
  staff: "工作人员",
  applicant: "申请人",
  system: "系统",
  anonymous: "匿名访问者",
};

/**
 * One Chinese sentence for an audit event.
 * @param event the event with resolved names.
 */
export function auditSentence(event: AuditSentenceInput): string {
  const d = event.details;
  const text = (key: string) => (typeof d[key] === "string" ? (d[key] as string) : "");
  const num = (key: string) => (typeof d[key] === "number" ? (d[key] as number) : null);
  const who = event.actorName || actorKindNames[event.actorKind] || "未知操作人";
  const userName = (id: unknown) =>
    typeof id === "string" ? (event.userNames?.get(id) ?? "（已删除的用户）") : "";
  const serial = text("serialNo") || event.serialNo || "";
  const application = serial ? `申请 ${serial} ` : "该申请";
  const targetUser = userName(event.targetId) || text("username");
  const year = num("year");
  switch (event.action) {
    case "auth.login":
      return `${who}登录了系统`;
    case "user.create":
      return `${who}创建了工作人员账号 ${text("username")}`;
    case "user.roles":
      return `${who}修改了 ${text("username") || targetUser} 的角色`;
    case "user.disable":
      return `${who}停用了 ${targetUser} 的账号`;
    case "user.enable":
      return `${who}启用了 ${targetUser} 的账号`;
    case "user.password_reset":
      return `${who}重置了 ${targetUser} 的密码`;
    case "user.password_change":
      return `${who}修改了自己的密码`;
    case "agency.create":
      return `${who}新增了机关「${text("name")}」`;
    case "agency.update":
      return `${who}修改了机关的申请编号前缀、文书抬头或审核签发设置`;
    case "request.assign":
      return d.to
        ? `${who}将${application}指派给${userName(d.to)}承办${d.from ? `（原承办人${userName(d.from)}）` : ""}`
        : `${who}取消了${application}的承办人${d.from ? `（原为${userName(d.from)}）` : ""}`;
    case "request.assignment.accept":
      return `${who}签收了${application}`;
    case "request.assignment.return":
      return `${who}退回了${application}的分配${text("reason") ? `，理由：${text("reason")}` : ""}`;
    case "request.transferIn":
      return `${text("fromSerialNo")}经申请人同意（${text("consent")}）转办，本机关收到${application.trim()}`;
    case "request.urge":
      return `${who}催办了${application.trim()}（提醒${userName(d.assigneeId)}）`;
    case "supervision.issue":
      return `${who}发出督办单${serial ? `（${application.trim()}）` : "（本机关）"}，要求于${text("deadline")}前反馈办理情况`;
    case "supervision.reply":
      return `${who}反馈了督办单的办理情况`;
    case "request.note":
      return `${who}为${application}添加了内部备注`;
    case "request.reveal":
      return `${who}查看了${application}申请人的完整个人信息（证件号码、联系电话、通信地址）`;
    case "request.letter": {
      const kind = letterKindLabels[text("kind") as LetterKind] ?? "文书";
      return `${who}为${application}出具了${kind}${d.edited ? "（修改过预览文本）" : ""}`;
    }
    case "request.file":
      return `${who}为${application}上传了文件「${text("filename")}」`;
    case "request.document.download":
      return `${who}下载了${application}的文件「${text("filename")}」`;
    case "report.draft":
      return `${who}生成了${year}年度报告草稿`;
    case "report.draftReady":
      return text("text") || `${year}年度报告草稿已生成`;
    case "report.inputs":
      return `${who}填写了${year ?? ""}年度报告表二的数据`;
    case "report.sections":
      return `${who}编辑了年度报告正文`;
    case "report.publish":
      return `${who}发布了${year}年度报告${num("revision") && (num("revision") ?? 0) > 1 ? `（第${num("revision")}版）` : ""}`;
    case "report.revise":
      return `${who}开始更正${year}年度报告${text("reason") ? `，理由：${text("reason")}` : ""}`;
    case "report.import":
      return `${who}导入了历史年度报告 ${event.targetId}`;
    case "ledger.export": {
      const masked = d.full === true ? "完整信息" : "个人信息已遮蔽";
      const reason = text("reason") ? `，理由：${text("reason")}` : "";
      return `${who}导出了${year ? `${year}年` : "全部"}台账（${String(d.format ?? "").toUpperCase()}，${num("rows") ?? 0}条，${masked}${reason}）`;
    }
    case "ledger.import":
      return `${who}导入了台账${text("filename") ? `「${text("filename")}」` : ""}：导入${num("imported") ?? 0}条，跳过${num("skipped") ?? 0}条`;
    case "catalogue.import":
      return `${who}导入了主动公开目录：新增${num("created") ?? 0}条，更新${num("updated") ?? 0}条`;
    case "calendar.override.set":
      return `${who}将 ${event.targetId} 设为${d.kind === "holiday" ? "放假日" : "调休上班日"}${text("name") ? `（${text("name")}）` : ""}`;
    case "calendar.override.delete":
      return `${who}删除了 ${event.targetId} 的工作日调整`;
  }
  if (event.action.startsWith("request.")) {
    const event_ = event.action.slice("request.".length) as keyof typeof eventLabels;
    const label = eventLabels[event_];
    if (label) {
      const to = stateLabels[d.to as State];
      const outcome = outcomes[d.outcome as OutcomeKey]?.ledgerName;
      if (event_ === "submit") return `${who}在线提交了${application.trim()}`;
      if (event_ === "register") return `${who}登记了${application.trim()}`;
      return `${who}对${application}办理「${label}」${to ? `，状态变为「${to}」` : ""}${outcome ? `，办理结果：${outcome}` : ""}`;
    }
  }
  const title = text("title");
  const target = auditTargetLabels[event.targetType] ?? "记录";
  return `${who}${auditActionLabel(event.action)}${title ? `「${title}」` : `（${target}）`}`;
}
