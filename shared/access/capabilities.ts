/**
 * THE capability table: who may do what, beside lifecycle events (those are the state machine's own
 * table in `shared/lifecycle/machine.ts`). Route declarations (`access.staff("editCatalogue")`), the
 * server's policies and services, and the admin page's menus and buttons all read it, so "who may do
 * this?" has one answer. No other file declares a list of roles: a test scans the sources for one.
 *
 * A capability's scope says where the roles must be held:
 * - `agency`: at the agency the action concerns. Supervision is granted once and covers the whole
 *   subtree below (see `subtreeRoles`), so a supervisor holds it at every agency below theirs.
 * - `parent`: at the parent of the agency concerned (nobody promotes themselves or a colleague).
 * - `deployment`: granted at a root agency (settings that move every agency's deadlines).
 */
import type { StaffRole } from "../schemas/auth.ts";

/** Where a capability's roles must be held. */
export type CapabilityScope = "agency" | "parent" | "deployment";

/** One capability: the roles that grant it, where, and what it is (Chinese, as staff would say it). */
export interface Capability {
  roles: readonly StaffRole[];
  scope: CapabilityScope;
  label: string;
}

/** The agency's own staff who work on its cases (登记、承办、审核、管理员). */
const casework = ["registrar", "handler", "reviewer", "admin"] as const;

/** Capability → roles and scope. */
export const capabilities = {
  /** Register applications received at the counter, by post, fax or e-mail. */
  registerRequests: { roles: ["registrar"], scope: "agency", label: "登记申请" },
  /** Work the cases assigned to oneself (我的申请). */
  handleAssignedRequests: { roles: ["handler"], scope: "agency", label: "承办申请" },
  /** Take part in handling the agency's applications at all: everyone but a supervisor. */
  workOnRequests: {
    roles: ["registrar", "handler", "reviewer", "signer", "admin"],
    scope: "agency",
    label: "办理申请",
  },
  /** Distribute work (登记 distributes, 审核 and the agency admin redistribute). */
  assignRequests: { roles: ["registrar", "reviewer", "admin"], scope: "agency", label: "分配承办人" },
  /**
   * Work on a case: read the applicant's unmasked data (the reveal rule), write notes, upload and
   * issue files and letters, redact (区分处理), import ledger events. Supervisors oversee with masked
   * data and never act on a case.
   */
  workCases: { roles: casework, scope: "agency", label: "办理案件" },
  /** Remind the assignee (催办). */
  urgeAssignee: { roles: ["reviewer", "admin", "supervisor"], scope: "agency", label: "催办" },
  /** Create, edit, publish, withdraw and repeal catalogue items, and answer publication proposals. */
  editCatalogue: { roles: ["admin", "handler", "reviewer"], scope: "agency", label: "管理主动公开目录" },
  /** Read the staff views of a catalogue (Art. 26 list, table 二 figures). */
  readCatalogue: {
    roles: ["admin", "handler", "reviewer", "supervisor"],
    scope: "agency",
    label: "查看主动公开目录管理信息",
  },
  /** Read annual reports and their checks. */
  readReports: { roles: ["admin", "reviewer", "supervisor"], scope: "agency", label: "查看年度报告" },
  /** Draft an annual report: inputs, paragraphs, imports. */
  writeReports: { roles: ["admin", "reviewer"], scope: "agency", label: "编制年度报告" },
  /** Publish or revise a published annual report. */
  publishReports: { roles: ["admin"], scope: "agency", label: "发布年度报告" },
  /** The summary of the reports of the agencies below. */
  readReportSummary: { roles: ["supervisor", "admin"], scope: "agency", label: "查看年度报告汇总" },
  /** Read the 行政复议 and 行政诉讼 cases. */
  readReviewCases: {
    roles: ["handler", "reviewer", "admin", "supervisor"],
    scope: "agency",
    label: "查看复议诉讼案件",
  },
  /** Register and update 行政复议 and 行政诉讼 cases. */
  writeReviewCases: { roles: ["handler", "reviewer", "admin"], scope: "agency", label: "登记复议诉讼案件" },
  /** Import a ledger (historic applications). */
  importLedger: { roles: ["admin"], scope: "agency", label: "导入台账" },
  /** Export the ledger with personal data masked. */
  exportLedger: { roles: ["admin", "reviewer", "supervisor"], scope: "agency", label: "导出台账" },
  /** Export the ledger with personal data in clear (also needs the reveal rule, `workCases`). */
  exportLedgerInClear: { roles: ["admin"], scope: "agency", label: "导出含完整个人信息的台账" },
  /** Manage the users of an agency and grant roles up to `admin` there. */
  manageUsers: { roles: ["admin", "supervisor"], scope: "agency", label: "管理用户和角色" },
  /** Grant or take away the `supervisor` role at an agency. */
  grantSupervisor: { roles: ["supervisor"], scope: "parent", label: "授予监督人员角色" },
  /** Create and edit agencies below one's own. */
  manageAgencies: { roles: ["admin", "supervisor"], scope: "agency", label: "管理机关" },
  /** Read the audit log. */
  readAudit: { roles: ["admin", "supervisor"], scope: "agency", label: "查看审计日志" },
  /** Oversee the agencies below (督办, the supervisor's overview). */
  superviseAgencies: { roles: ["supervisor"], scope: "agency", label: "督办" },
  /** Answer a 督办 addressed to the agency. */
  answerSupervision: {
    roles: ["admin", "reviewer", "handler", "registrar"],
    scope: "agency",
    label: "答复督办",
  },
  /** Change the working-day calendar, which moves every agency's statutory deadlines. */
  editCalendar: { roles: ["supervisor"], scope: "deployment", label: "修改工作日日历" },
  /** Read the applicants' ratings and the 回访 tasks. */
  readFeedback: {
    roles: ["admin", "handler", "reviewer", "supervisor"],
    scope: "agency",
    label: "查看评价与回访",
  },
  /** Record the result of a 回访. */
  recordFollowUp: { roles: ["admin"], scope: "agency", label: "登记回访结果" },
} as const satisfies Record<string, Capability>;

/** A capability's name. */
export type CapabilityName = keyof typeof capabilities;

/** Every capability's name, in table order. */
export const capabilityNames = Object.keys(capabilities) as CapabilityName[];

/**
 * Roles whose grant at an agency covers its whole subtree (expanded once, when a session is resolved).
 */
export const subtreeRoles: readonly StaffRole[] = ["supervisor"];

/**
 * The roles that grant `capability`.
 * @param capability the capability.
 */
export function rolesFor(capability: CapabilityName): readonly StaffRole[] {
  return capabilities[capability].roles;
}

/**
 * Whether roles held at one agency grant `capability` there.
 * @param held the roles held at the agency.
 * @param capability the capability.
 */
export function grants(held: Iterable<StaffRole>, capability: CapabilityName): boolean {
  const wanted: readonly StaffRole[] = capabilities[capability].roles;
  for (const role of held) if (wanted.includes(role)) return true;
  return false;
}
