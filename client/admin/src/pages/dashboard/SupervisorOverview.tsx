/**
 * 监督概览: where a supervisor lands — every agency they supervise with its open applications, those
 * due within 3 working days, overdue and unassigned ones, and last year's annual report: published,
 * a draft, or missing, with the days it is late. Failing checks are counted only for reports that
 * exist.
 */
import { grants } from "@govinfo/shared/access/capabilities";

import { type ReportBoardRow, reportStatusLabels } from "@govinfo/shared/schemas/report";
import { Alert, Button, Card, Table, Tag, Typography } from "antd";
import { PageShell } from "../../components/PageShell.tsx";
import { navigate, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { FeedbackSummaryCard } from "./CitizenFeedback.tsx";
import { loadOpenRequests, loadReportBoard, loadSupervisionCounts } from "./service.ts";
import { dueSoon, overdueOpen, unassignedOpen } from "./stats.ts";

/** One row of the overview. */
export interface OverviewRow {
  agencyId: string;
  agencyName: string;
  open: number;
  dueSoon: number;
  overdue: number;
  unassigned: number;
  /** 督办单 awaiting the agency's 办理情况, and those of them past their deadline. */
  supervisionOpen: number;
  supervisionOverdue: number;
  report: ReportBoardRow | null;
}

/** The overview page for supervisors. */
export function SupervisorOverview() {
  const { access } = useSession();
  const supervised = access.agencies.filter((a) => grants(a.roles, "superviseAgencies"));
  const rows = useAsync(async (): Promise<OverviewRow[]> => {
    const [board, queues, orders] = await Promise.all([
      loadReportBoard(),
      Promise.all(supervised.map((a) => loadOpenRequests(a.agencyId))),
      Promise.all(supervised.map((a) => loadSupervisionCounts(a.agencyId))),
    ]);
    return supervised.map((agency, i) => {
      const items = queues[i] ?? [];
      return {
        agencyId: agency.agencyId,
        agencyName: agency.agencyName,
        open: items.length,
        dueSoon: dueSoon(items),
        overdue: overdueOpen(items),
        unassigned: unassignedOpen(items),
        supervisionOpen: orders[i]?.open ?? 0,
        supervisionOverdue: orders[i]?.overdue ?? 0,
        report: board.find((r) => r.agencyId === agency.agencyId) ?? null,
      };
    });
  }, [supervised.map((a) => a.agencyId).join()]);
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        监督概览
      </Typography.Title>
      <PageShell {...rows} onRetry={rows.reload}>
        {(data) => <OverviewTable rows={data} />}
      </PageShell>
      <FeedbackSummaryCard />
    </>
  );
}

function OverviewTable({ rows }: { rows: OverviewRow[] }) {
  const { setAgencyId } = useSession();
  const open = (agencyId: string, path: string) => {
    setAgencyId(agencyId);
    navigate(path);
  };
  const late = rows.filter((r) => r.report && r.report.status !== "published" && r.report.daysLeft < 0);
  const year = rows.find((r) => r.report)?.report?.year;
  const count = (value: number, row: OverviewRow, path: string, color?: string) =>
    value === 0 ? (
      <Typography.Text type="secondary">0</Typography.Text>
    ) : (
      <Button
        type="link"
        size="small"
        style={{ padding: 0, ...(color ? { color } : {}) }}
        onClick={() => open(row.agencyId, path)}
      >
        {value}件
      </Button>
    );
  return (
    <>
      {late.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${late.length}个机关的${year}年度报告已超过法定发布期限仍未发布`}
          description={late.map((r) => `${r.agencyName}（逾期${-(r.report?.daysLeft ?? 0)}天）`).join("、")}
        />
      )}
      <Card size="small">
        <Table<OverviewRow>
          rowKey="agencyId"
          size="middle"
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: "机关",
              render: (_, row) => (
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0 }}
                  onClick={() => open(row.agencyId, "/")}
                >
                  {row.agencyName}
                </Button>
              ),
            },
            { title: "办理中", render: (_, row) => count(row.open, row, "/requests") },
            {
              title: "3个工作日内到期",
              render: (_, row) => count(row.dueSoon, row, "/requests?dueWithin=3", "#d46b08"),
            },
            {
              title: "已超期",
              render: (_, row) => count(row.overdue, row, "/requests?overdue=true", "#cf1322"),
            },
            { title: "未分配", render: (_, row) => count(row.unassigned, row, "/requests?assignee=none") },

            {
              title: year ? `${year}年度报告` : "年度报告",
              render: (_, row) => <ReportCell report={row.report} />,
            },
            {
              title: "未通过校验",
              render: (_, row) =>
                !row.report || row.report.status === "none" ? (
                  <Typography.Text type="secondary">—</Typography.Text>
                ) : row.report.failingHardChecks > 0 ? (
                  <Tag color="red">{row.report.failingHardChecks}项</Tag>
                ) : (
                  <Tag color="green">全部通过</Tag>
                ),
            },
            { title: "督办待反馈", render: (_, row) => count(row.supervisionOpen, row, "/") },
            {
              title: "督办逾期",
              render: (_, row) => count(row.supervisionOverdue, row, "/", "#cf1322"),
            },
          ]}
        />
      </Card>
    </>
  );
}

function ReportCell({ report }: { report: ReportBoardRow | null }) {
  if (!report) return <Typography.Text type="secondary">—</Typography.Text>;
  if (report.status === "published") return <Tag color="green">{reportStatusLabels.published}</Tag>;
  const label = reportStatusLabels[report.status];
  return (
    <span>
      <Tag>{label}</Tag>
      {report.daysLeft < 0 ? (
        <Typography.Text type="danger">
          逾期{-report.daysLeft}天（应于{report.deadline}前发布）
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary">
          距{report.deadline}还有{report.daysLeft}天
        </Typography.Text>
      )}
    </span>
  );
}
